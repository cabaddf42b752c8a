"""Real coded projects that other people made: exported by NVivo for Windows 12.6, NVivo for Mac
12.7 and QualCoder 3.6 (tests/data/refi/README.md says where each comes from).  Every code (the
non-codable groups and the codes nobody used included), every coding on the same characters
with its code and coder, the coders, the sources under their own names — in the project and
again in its export; export -> import -> export gives the same bytes."""

import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from framelens import store
from framelens.annotate.analysis.formats.refi import read_qdpx
from framelens.annotate.cli import main as framelens

DATA = Path(__file__).resolve().parent / "data" / "refi"
WINDOWS = DATA / "nvivo12win_oltas.qdpx"
MAC = DATA / "nvivo12mac_oltas.qdpx"
QUALCODER = DATA / "qualcoder36_mannheimer.qdpx"

# What the files hold, counted from their project.qde with a plain XML reader (not ours):
# <Code> elements (the Mac file's one isCodable="false" group included), <Coding>s, <User>s,
# <TextSource>s with their names, and <Code><Description>s with text.
EXPECTED = {
    WINDOWS: {"origin": "NVivo for Windows 12.6", "codes": 60, "codings": 97,
              "users": ["Gergo", "floriansipos"], "sources": ["videos_selection"],
              "described": 9},
    MAC: {"origin": "NVivo for Mac 12.7.0", "codes": 152, "codings": 297,
          "users": ["Gergo", "floriansipos"],
          "sources": ["videos_10_selected", "videos_selection"], "described": 82},
    # 230 codes in 55 categories (QualCoder writes a category as a non-codable code; the top
    # one becomes a codebook), 753 codings by one coder in 30 interview transcripts
    QUALCODER: {"origin": "QualCoder 3.6", "codes": 285, "codings": 753,
                "users": ["saramannheimer"], "sources": None, "described": 0},
}
NS = "{urn:QDA-XML:project:1.0}"


def _cli(capsys, *argv):
    status = framelens([str(a) for a in argv])
    out = capsys.readouterr()
    assert status == 0, out.err
    return out.out


def _raw(path):
    """The file as NVivo wrote it, read with the standard library's XML parser: code names by
    guid (with their parent path), the coded characters of every coding, users, sources.
    Positions count UTF-16 units of the text as stored, line ends included as written (the
    Windows file has CRLF line ends and 894 characters outside the BMP — emoji — before and
    inside its codings; read as code points, the passages start mid-word).  FrameLens keeps
    line ends as LF, so quotes are compared with CRLF read as LF."""
    import xml.etree.ElementTree as ET
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("project.qde"))
        texts = {}
        for src in root.iter(NS + "TextSource"):
            member = src.get("plainTextPath").replace("internal://", "")
            name = next(n for n in z.namelist() if n.lower().endswith("sources/" + member.lower()))
            texts[src.get("guid")] = (src.get("name"),
                                      z.read(name).decode("utf-8-sig").encode("utf-16-le"))
    paths = {}

    def walk(el, prefix):
        for code in el.findall(NS + "Code"):
            path = prefix + (code.get("name"),)
            paths[code.get("guid")] = path
            walk(code, path)
    walk(root.find(NS + "CodeBook/" + NS + "Codes"), ())
    users = {u.get("guid"): u.get("name") for u in root.iter(NS + "User")}
    codings = []
    for src in root.iter(NS + "TextSource"):
        title, text = texts[src.get("guid")]
        for sel in src.iter(NS + "PlainTextSelection"):
            a, b = int(sel.get("startPosition")), int(sel.get("endPosition"))
            for coding in sel.iter(NS + "Coding"):
                code = paths[coding.find(NS + "CodeRef").get("targetGUID")]
                quote = text[2 * a:2 * b].decode("utf-16-le").replace("\r\n", "\n")
                codings.append((title, quote, code[-1],
                                users[coding.get("creatingUser") or sel.get("creatingUser")]))
    described = sum(1 for c in root.iter(NS + "Code")
                    if (c.findtext(NS + "Description") or "").strip())
    return {"origin": root.get("origin"), "paths": sorted(paths.values()), "codings": codings,
            "users": sorted(users.values()), "sources": sorted(t for t, _ in texts.values()),
            "described": described}


@pytest.mark.parametrize("path", [WINDOWS, MAC, QUALCODER],
                         ids=["nvivo-windows-12.6", "nvivo-mac-12.7", "qualcoder-3.6"])
def test_nvivo_project_comes_in_whole_and_goes_out_again(tmp_path, capsys, path):
    raw, want = _raw(path), EXPECTED[path]
    want = dict(want, sources=want["sources"] or raw["sources"])
    assert (raw["origin"], len(raw["paths"]), len(raw["codings"]), raw["users"],
            raw["sources"], raw["described"]) == (
        want["origin"], want["codes"], want["codings"], want["users"], want["sources"],
        want["described"])

    proj = tmp_path / "a" / "study.framelens"
    proj.parent.mkdir()
    store.create_project(proj).close()
    report = json.loads(_cli(capsys, "import-dataset", proj, path, "--json"))
    assert (report["articles_new"], report["spans"], report["coders"], report["not_placed"]) == (
        len(want["sources"]), want["codings"], len(want["users"]), [])
    # A name used twice in one codebook is made unique with its parent's name, and reported
    # (QualCoder: a category and a code of the same name inside it).
    renamed = {re.search(r"is named (['\"])(.*)\1: codebook", r).group(2): r
               for r in report["renamed"]}

    def original(name):
        return re.sub(r" \([^()]*\)$", "", name) if name in renamed else name

    p = store.open_project(proj, read_only=True)
    try:
        books = {b.id: b.name for b in store.list_codebooks(p)}
        codes = store.list_codes(p)
        by_id = {c.id: c for c in codes}

        def code_path(c):
            names = []
            while c is not None:
                names.insert(0, original(c.name))
                c = by_id.get(c.parent_id)
            return tuple(names)
        # every NVivo code is a FrameLens code, except a top-level group that cannot be coded,
        # which becomes a codebook of its own name holding its children
        groups = [b for b in books.values() if b != "imported"]
        kept = sorted(tuple([books[c.codebook_id]] + list(code_path(c)))
                      if books[c.codebook_id] != "imported" else code_path(c) for c in codes)
        assert sorted(kept + [(g,) for g in groups]) == raw["paths"]
        assert sum(1 for c in codes if (c.description or "").strip()) == want["described"]
        titles = {a.id: a.title for a in store.list_articles(p)}
        assert sorted(titles.values()) == want["sources"]
        got = Counter((titles[a.article_id], a.quote, original(by_id[a.code_id].name), a.coder)
                      for a in store.list_annotations(p))
        assert got == Counter(raw["codings"])          # the same characters, code and coder
    finally:
        p.close()

    out = tmp_path / "out.qdpx"
    _cli(capsys, "export", proj, "-f", "qdpx", "-o", out)
    again = _raw(out)
    assert Counter((t, q, original(c), u) for t, q, c, u in again["codings"]) == Counter(
        raw["codings"])
    assert set(raw["paths"]) <= {tuple(original(n) for n in (p[1:] if p[0] == "imported" else p))
                                 for p in again["paths"]}
    assert set(raw["users"]) <= set(again["users"])
    assert again["sources"] == raw["sources"] and again["described"] == raw["described"]
    xp = read_qdpx(out)
    assert len(xp.spans) == want["codings"]

    # export -> import -> export gives the same bytes
    second = tmp_path / "b" / "study.framelens"
    second.parent.mkdir()
    store.create_project(second).close()
    _cli(capsys, "import-dataset", second, out)
    twice = tmp_path / "twice.qdpx"
    _cli(capsys, "export", second, "-f", "qdpx", "-o", twice)
    with zipfile.ZipFile(out) as a, zipfile.ZipFile(twice) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name

