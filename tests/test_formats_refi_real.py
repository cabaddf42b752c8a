"""REFI-QDA files made by other programs (tests/data/refi/README.md says where each comes from):
everything they carry is read, imported into a project, and exported again without loss."""

import json
import zipfile
from pathlib import Path

import pytest

from framelens import store
from framelens.annotate.cli import main as framelens
from framelens.annotate.ops.exchange import project_to_x
from framelens.annotate.analysis.formats.refi import read_qdc_project, read_qdpx

DATA = Path(__file__).resolve().parent / "data" / "refi"
MAXQDA = DATA / "maxqda24_icls_themes.qdpx"
ATLAS_QDC = DATA / "atlasti23_codebook.qdc"
ATLAS_QDPX = DATA / "atlasti23_target_project.qdpx"
NVIVO_MAC = DATA / "nvivo15mac_qc_codebook.qdpx"


def _counts(xp):
    return {"sources": len(xp.articles), "codes": len(xp.codes), "codings": len(xp.spans),
            "labels": len(xp.labels), "coders": sorted(xp.coders),
            "memos": sum(1 for s in xp.spans if s.memo) + len(xp.notes.get("memos") or [])
            + (1 if xp.notes.get("description") else 0),   # a project's own description
            "with parent": sum(1 for c in xp.codes if c.parent),
            "described": sum(1 for c in xp.codes if c.description),
            "coloured": sum(1 for c in xp.codes if c.color)}


def _cli(capsys, *argv):
    status = framelens([str(a) for a in argv])
    out = capsys.readouterr()
    assert status == 0, out.err
    return out.out


def test_maxqda_export_is_read_whole():
    xp = read_qdpx(MAXQDA)
    assert _counts(xp) == {"sources": 10, "codes": 307, "codings": 0, "labels": 0,
                           "coders": ["johnb"], "memos": 0, "with parent": 289,
                           "described": 307, "coloured": 307}
    assert [a.title for a in xp.articles][:3] == ["ICLS 2024 3-10", "ICLS 2024 11-18",
                                                  "ICLS 2024 19-26"]
    assert {k: len(v) for k, v in xp.notes["source_sets"].items()} == {"ICLS 2024": 5,
                                                                       "ICLS 2025": 5}
    assert "import_warnings" not in xp.notes
    top = [c for c in xp.codes if c.parent is None]
    assert len(top) == 18 and top[0].name == "Additional Themes and Ideas"
    assert top[0].color == "#EF8256"


def test_maxqda_export_imports_into_a_project_and_exports_again_unchanged(tmp_path, capsys):
    first = tmp_path / "a" / "study.framelens"     # the project's name is its file's stem
    first.parent.mkdir()
    store.create_project(first).close()
    report = json.loads(_cli(capsys, "import-dataset", first, MAXQDA, "--json"))
    assert (report["articles_new"], report["codes_new"], report["coders"], report["stories"],
            report["not_placed"]) == (10, 307, 1, 2, [])
    p = store.open_project(first, read_only=True)
    try:
        codes = store.list_codes(p)
        assert len(codes) == 307 and sum(1 for c in codes if c.parent_id) == 289
        titles = sorted(a.title for a in store.list_articles(p))
        assert titles[0] == "ICLS 2024 11-18" and len(titles) == 10
        assert {c.name for c in store.list_coders(p)} >= {"johnb"}
        before = _counts(read_qdpx(MAXQDA))
        xp = project_to_x(p)
    finally:
        p.close()
    out1 = tmp_path / "again.qdpx"
    _cli(capsys, "export", first, "-f", "qdpx", "-o", out1)
    again = read_qdpx(out1)
    after = _counts(again)
    assert after.pop("coders") == sorted(xp.coders) and "johnb" in xp.coders
    before.pop("coders")
    assert after == before
    assert [c.description for c in again.codes] == [c.description for c in read_qdpx(MAXQDA).codes]
    assert sorted(a.text for a in again.articles) == sorted(a.text for a in read_qdpx(MAXQDA).articles)
    # export -> import -> export gives the same file
    second = tmp_path / "b" / "study.framelens"
    second.parent.mkdir()
    store.create_project(second).close()
    _cli(capsys, "import-dataset", second, out1)
    out2 = tmp_path / "twice" / "again.qdpx"
    _cli(capsys, "export", second, "-f", "qdpx", "-o", out2)
    with zipfile.ZipFile(out1) as a, zipfile.ZipFile(out2) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name


def test_atlasti_codebook_imports_and_reports_its_code_group(tmp_path, capsys):
    xp = read_qdc_project(ATLAS_QDC)
    assert [(c.name, c.color, c.description) for c in xp.codes] == [
        ("code1", "#46AA00", "description")]
    proj = tmp_path / "p.framelens"
    store.create_project(proj).close()
    report = json.loads(_cli(capsys, "import-dataset", proj, ATLAS_QDC, "--json"))
    assert report["codes_new"] == 1
    assert report["not_placed"] == ["code set 'code group 1' (1 code(s)): FrameLens has no "
                                    "code groups"]
    p = store.open_project(proj, read_only=True)
    try:
        [code] = [c for c in store.list_codes(p) if c.name == "code1"]
        assert (code.color.upper(), code.description) == ("#46AA00", "description")
    finally:
        p.close()
    text = _cli(capsys, "import-dataset", proj, ATLAS_QDC)
    assert "not placed: code set 'code group 1'" in text


def test_our_own_codebook_export_imports_into_a_fresh_project(tmp_path, capsys):
    from framelens.annotate.ops.demo import load_default_codebooks

    src = tmp_path / "src.framelens"
    p = store.create_project(src)
    load_default_codebooks(p)
    books = {b.key: [c for c in store.list_codes(p) if c.codebook_id == b.id]
             for b in store.list_codebooks(p)}
    p.close()
    key, codes = next((k, v) for k, v in books.items() if any(c.parent_id for c in v) or v)
    out = tmp_path / "book.qdc"
    _cli(capsys, "export", src, "-f", "qdc", "--codebook", key, "-o", out)
    fresh = tmp_path / "fresh.framelens"
    store.create_project(fresh).close()
    report = json.loads(_cli(capsys, "import-dataset", fresh, out, "--json"))
    assert report["codes_new"] == len(codes) and report["not_placed"] == []
    p = store.open_project(fresh, read_only=True)
    try:
        got = {(c.name, c.color.upper(), c.description) for c in store.list_codes(p)}
    finally:
        p.close()
    assert got == {(c.name, c.color.upper(), c.description) for c in codes}


def _depths(codes):
    """Each code's depth in file order: the shape of the hierarchy, names aside."""
    by_key = {c.key: c for c in codes}

    def depth(c):
        n = 0
        while c.parent:
            c, n = by_key[c.parent], n + 1
        return n
    return [depth(c) for c in codes]


def _round_trip_stable(tmp_path, capsys, exported):
    """export -> import into a fresh project -> export gives the same bytes."""
    again = tmp_path / "again" / "study.framelens"
    again.parent.mkdir()
    store.create_project(again).close()
    _cli(capsys, "import-dataset", again, exported)
    twice = tmp_path / "twice.qdpx"
    _cli(capsys, "export", again, "-f", "qdpx", "-o", twice)
    with zipfile.ZipFile(exported) as a, zipfile.ZipFile(twice) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name


def test_nvivo_mac_export_keeps_every_code_none_of_which_is_used(tmp_path, capsys):
    """NVivo for Mac 15: 262 codes, none coded, 7 levels deep, ten names used twice under
    different parents; its two sources are empty documents (reported, not imported)."""
    xp = read_qdpx(NVIVO_MAC)
    assert _counts(xp) == {"sources": 0, "codes": 262, "codings": 0, "labels": 0,
                           "coders": ["chrisp", "cp"], "memos": 0, "with parent": 259,
                           "described": 0, "coloured": 0}
    assert len(xp.notes["import_warnings"]) == 2      # the two empty sources, by name
    assert [c.name for c in xp.codes if c.parent is None] == [
        "rq1_definition", "rq2_curriculum_and_instruction", "rq3_process"]
    assert max(_depths(xp.codes)) == 6
    proj = tmp_path / "a" / "study.framelens"
    proj.parent.mkdir()
    store.create_project(proj).close()
    report = json.loads(_cli(capsys, "import-dataset", proj, NVIVO_MAC, "--json"))
    assert (report["articles_new"], report["codes_new"], report["codes_matched"],
            report["coders"]) == (0, 262, 0, 2)
    assert report["not_placed"] == [
        "source '66653866-6334-3535-3435-366637306566' has no text (an article needs one): "
        "not imported",
        "source '33663939-3636-3632-3038-613431643463' has no text (an article needs one): "
        "not imported"]
    assert len(report["renamed"]) == 10
    assert report["renamed"][0] == (
        "code 'imported/rq1_definition/framings/cs_as_programming/programming' is named "
        "'programming (cs_as_programming)': codebook 'imported' has another code named "
        "'programming'")
    p = store.open_project(proj, read_only=True)
    try:
        codes = store.list_codes(p)
        assert len(codes) == 262 and sum(1 for c in codes if c.parent_id) == 259
        by_id = {c.id: c for c in codes}
        renamed = next(c for c in codes if c.name == "programming (cs_as_programming)")
        assert by_id[renamed.parent_id].name == "cs_as_programming"
        assert {c.name for c in store.list_coders(p)} >= {"chrisp", "cp"}
    finally:
        p.close()
    out = tmp_path / "out.qdpx"
    _cli(capsys, "export", proj, "-f", "qdpx", "-o", out)
    again = read_qdpx(out)
    assert len(again.codes) == 262 and _depths(again.codes) == _depths(xp.codes)
    assert [c.name.split(" (")[0] for c in again.codes] == [c.name for c in xp.codes]
    assert sorted(set(again.coders) & {"chrisp", "cp"}) == ["chrisp", "cp"]
    _round_trip_stable(tmp_path, capsys, out)
    # importing the same file again finds every code, the renamed ones included
    report = json.loads(_cli(capsys, "import-dataset", proj, NVIVO_MAC, "--json"))
    assert (report["codes_new"], report["codes_matched"]) == (0, 262)


def test_atlasti_project_export_round_trips(tmp_path, capsys):
    """ATLAS.ti for Windows 23.2: a code with two sub-codes and two users, no sources."""
    xp = read_qdpx(ATLAS_QDPX)
    assert _counts(xp) == {"sources": 0, "codes": 3, "codings": 0, "labels": 0,
                           "coders": ["ATLAS.ti", "Enric Llagostera"], "memos": 0,
                           "with parent": 2, "described": 0, "coloured": 0}
    proj = tmp_path / "a" / "study.framelens"
    proj.parent.mkdir()
    store.create_project(proj).close()
    report = json.loads(_cli(capsys, "import-dataset", proj, ATLAS_QDPX, "--json"))
    assert (report["codes_new"], report["coders"], report["not_placed"]) == (3, 2, [])
    out = tmp_path / "out.qdpx"
    _cli(capsys, "export", proj, "-f", "qdpx", "-o", out)
    again = read_qdpx(out)
    before, after = _counts(xp), _counts(again)
    assert before.pop("coders") == after.pop("coders")
    assert before == after
    assert [(c.name, c.parent is None) for c in again.codes] == [
        ("Commits", True), ("2022-05-10T02:05:59Z 19e4dce", False),
        ("2022-02-11T10:39:25Z cdbfd92", False)]
    _round_trip_stable(tmp_path, capsys, out)


QUALCODER = DATA / "qualcoder40_twoplustwo.qdpx"
QUALCODER_QDC = DATA / "qualcoder40_twoplustwo.qdc"


def test_qualcoder_export_is_read_whole():
    """QualCoder 4.0: what its exporter wrote (tests/data/refi/README.md) all comes in — the
    sub-code it writes twice with one guid once, source and coding memos (its <Description>s),
    the annotation (a note on a passage), the journal, the case memo and the project memo."""
    xp = read_qdpx(QUALCODER)
    assert _counts(xp) == {"sources": 3, "codes": 6, "codings": 11, "labels": 0,
                           "coders": ["alice", "bob"], "memos": 6, "with parent": 3,
                           "described": 3, "coloured": 5}
    # QualCoder's seven memos: 1 coding memo, 2 source memos, the annotation, the journal, the
    # case memo (4 project/article memos above: FrameLens keeps one memo per article and coder,
    # so the annotation joins alice's memo on its source, naming its passage) and the project's:
    assert xp.notes["description"] == "Framing of the 2+2 talks: a test project."
    assert [(c.name, c.parent and c.parent.rsplit("/", 1)[-1]) for c in xp.codes] == [
        ("Territorial dispute", None), ("Cooperation", None), ("Economic ties", "Cooperation"),
        ("Security", None), ("Threat", "Security"), ("Unused code", "Security")]
    assert xp.notes["import_warnings"] == [
        "code 'Economic ties' is written twice with the same guid (kept once, under 'Cooperation')",
        "case 'Russian MFA': FrameLens has no cases; its description is kept as a project memo"]
    # every coding lands on the text QualCoder selected (it writes the selected text as the
    # selection's name)
    with zipfile.ZipFile(QUALCODER) as z:
        qde = z.read("project.qde").decode("utf-8")
    import re
    selected = re.findall(r'<PlainTextSelection [^>]*startPosition="(\d+)" endPosition="(\d+)" '
                          r'name="([^"]*)"', qde)
    assert sorted((int(a), int(b), n) for a, b, n in selected) == sorted(
        (s.start, s.end, s.quote) for s in xp.spans)
    assert {s.memo for s in xp.spans if s.memo} == {"why coded"}
    memos = {(m["target"], m["title"]): m["text"] for m in xp.notes["memos"]}
    assert memos[("project", "Coding log")] == "First pass done; Threat needs a clearer rule."
    assert memos[("project", "Case Russian MFA")] == "the ministry as a source"
    article_memos = sorted(m["text"] for m in xp.notes["memos"] if m["target"] == "article")
    assert article_memos == [
        "memo on source en_tass_2019.txt\n\nan annotation on a passage\n"
        "[on characters 37-48: \u201cministerial\u201d]",
        "memo on source ja_mofa_2018-07-31.txt"]


def test_qualcoder_export_imports_and_round_trips(tmp_path, capsys):
    proj = tmp_path / "a" / "study.framelens"
    proj.parent.mkdir()
    store.create_project(proj).close()
    report = json.loads(_cli(capsys, "import-dataset", proj, QUALCODER, "--json"))
    assert (report["articles_new"], report["codes_new"], report["coders"]) == (3, 6, 2)
    assert len(report["not_placed"]) == 2
    p = store.open_project(proj, read_only=True)
    try:
        quotes = sorted((a.quote, a.coder) for a in store.list_annotations(p))
        assert len(quotes) == 11 and ("консультаций", "alice") in quotes
        assert ("resumed", "alice") in quotes and ("resumed", "bob") in quotes
        assert sorted(a.title for a in store.list_articles(p)) == [
            "en_tass_2019.txt", "ja_mofa_2018-07-31.txt", "ru_mid_2017-03-20.txt"]
    finally:
        p.close()
    out = tmp_path / "out.qdpx"
    _cli(capsys, "export", proj, "-f", "qdpx", "-o", out)
    before, after = _counts(read_qdpx(QUALCODER)), _counts(read_qdpx(out))
    assert before == after
    _round_trip_stable(tmp_path, capsys, out)


def test_qualcoder_codebook_imports_every_code(tmp_path, capsys):
    xp = read_qdc_project(QUALCODER_QDC)
    assert [c.name for c in xp.codes] == ["Territorial dispute", "Cooperation", "Economic ties",
                                          "Security", "Threat", "Unused code"]
    assert xp.notes["import_warnings"] == [
        "code 'Economic ties' is written twice with the same guid (kept once, under 'Cooperation')"]
    proj = tmp_path / "study.framelens"
    store.create_project(proj).close()
    report = json.loads(_cli(capsys, "import-dataset", proj, QUALCODER_QDC, "--json"))
    assert report["codes_new"] == 6 and len(report["not_placed"]) == 1


TAGUETTE_QDC = DATA / "taguette152_codebook.qdc"


def test_taguette_codebook_imports_every_tag_and_exports_again(tmp_path, capsys):
    """Taguette 1.5.2's own codebook exporter (make_taguette_export.py): a flat list of tags, no
    colours or descriptions, an empty <Sets/>; a backslash in a tag name is part of the name
    (Taguette has no code hierarchy in its export), and non-Latin names come through."""
    names = ["interesting", "people", "interesting\\places", "Конфликт",
             "Конфликт\\Территориальный спор", "安全保障", "経済協力", "外交\\对话"]
    xp = read_qdc_project(TAGUETTE_QDC)
    assert [(c.name, c.parent) for c in xp.codes] == [(n, None) for n in names]
    assert xp.notes.get("import_warnings", []) == []
    proj = tmp_path / "study.framelens"
    store.create_project(proj).close()
    report = json.loads(_cli(capsys, "import-dataset", proj, TAGUETTE_QDC, "--json"))
    assert (report["codes_new"], report["not_placed"]) == (8, [])
    p = store.open_project(proj, read_only=True)
    try:
        books = store.list_codebooks(p)
        assert sorted(c.name for c in store.list_codes(p)) == sorted(names)
    finally:
        p.close()
    out = tmp_path / "book.qdc"
    _cli(capsys, "export", proj, "-f", "qdc", "--codebook", books[0].key, "-o", out)
    assert [c.name for c in read_qdc_project(out).codes] == names
    fresh = tmp_path / "fresh.framelens"
    store.create_project(fresh).close()
    _cli(capsys, "import-dataset", fresh, out)
    twice = tmp_path / "twice.qdc"
    p = store.open_project(fresh, read_only=True)
    key = store.list_codebooks(p)[0].key
    p.close()
    _cli(capsys, "export", fresh, "-f", "qdc", "--codebook", key, "-o", twice)
    assert twice.read_bytes() == out.read_bytes()
