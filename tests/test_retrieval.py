"""Coded-segment retrieval (store/retrieval.py), its CSV/JSON export (annotate/ops/retrieval.py)
and ``framelens segments``: on a small constructed project whose expected answers are written
out by hand below."""

from __future__ import annotations

import csv
import json

import pytest

from framelens import store
from framelens.store import retrieval as rt

TEXTS = {
    "en": ("Talks resumed in Tokyo. The U.S. officials praised the alliance. "
           "Critics warned of an arms race in the region.\nA second paragraph closes it."),
    "ru": "Переговоры прошли в Токио. Стороны обсудили безопасность. Критики предупредили о гонке.",
    "ja": "東京で協議が行われた。双方は同盟を称賛した。批判者は軍拡競争を警告した。",
}


def _span(text: str, quote: str) -> tuple[int, int]:
    i = text.index(quote)
    return i, i + len(quote)


@pytest.fixture
def built(tmp_path):
    """Three articles (en/US, ru/RU, ja/JP, plus one with no outlet), two coders, codes
    Security, Alliance, Conflict, Economy (Alliance under Security); a story with en and ja."""
    path = tmp_path / "r.framelens"
    p = store.create_project(path)
    store.load_codebook(p, {"key": "t", "name": "Test", "codes": [
        {"name": "Security", "children": [{"name": "Alliance"}]},
        {"name": "Conflict"}, {"name": "Economy"}]})
    ids = {}
    for lang, outlet, country in (("en", "Wire", "US"), ("ru", "TASS", "RU"), ("ja", "NHK", "JP")):
        r = store.add_articles(p, [{"text": TEXTS[lang], "title": f"{lang} piece", "outlet": outlet,
                                    "country": country, "language": lang,
                                    "published": "2018-09-06"}])[0]
        ids[lang] = r.article_id
    ids["none"] = store.add_articles(p, [{"text": "No outlet here. Alliance talk.",
                                          "title": "orphan"}])[0].article_id
    alice, bob = store.ensure_coder(p, "alice"), store.ensure_coder(p, "bob")
    code = {c.name: c.id for c in store.list_codes(p)}
    anns = {}

    def ann(key, lang, quote, name, coder):
        text = TEXTS.get(lang) or "No outlet here. Alliance talk."
        s, e = _span(text, quote)
        anns[key] = store.add_annotation(p, article_id=ids[lang], start=s, end=e,
                                         code_id=code[name], coder_id=coder.id)[0]

    ann("en_sec", "en", "The U.S. officials praised", "Security", alice)
    ann("en_all", "en", "praised the alliance", "Alliance", alice)
    ann("en_con_a", "en", "officials", "Conflict", alice)      # inside en_sec, before en_all
    ann("en_con_b", "en", "arms race", "Conflict", bob)
    ann("ru_sec", "ru", "обсудили безопасность", "Security", alice)
    ann("ru_con", "ru", "безопасность", "Conflict", bob)        # overlaps ru_sec, another coder
    ann("ja_sec", "ja", "同盟", "Security", bob)
    ann("ja_con", "ja", "同盟を称賛", "Conflict", bob)
    ann("none_all", "none", "Alliance talk", "Alliance", alice)
    sid = store.ensure_story(p, "talks story")
    store.add_to_story(p, sid, [ids["en"], ids["ja"]])
    yield p, ids, code, anns, {"alice": alice.id, "bob": bob.id}, sid, path
    p.close()


def _ids(segs):
    return sorted(s.annotation_id for s in segs)


def test_or_is_the_union_across_every_article(built):
    p, ids, code, anns, coders, sid, _ = built
    segs = rt.find_segments(p, rt.SegmentQuery((code["Security"], code["Conflict"])))
    assert _ids(segs) == sorted(anns[k] for k in ("en_sec", "en_con_a", "en_con_b", "ru_sec",
                                                  "ru_con", "ja_sec", "ja_con"))
    # ordered by country (JP, RU, US), then offset
    assert [s.country for s in segs] == ["JP", "JP", "RU", "RU", "US", "US", "US"]
    first = segs[0]
    assert (first.code, first.coder, first.outlet, first.title) == ("Security", "bob", "NHK", "ja piece")
    assert first.also == ()


def test_and_same_coder_keeps_only_one_coders_overlaps(built):
    p, ids, code, anns, coders, sid, _ = built
    q = rt.SegmentQuery((code["Security"], code["Conflict"]), mode=rt.ALL)
    segs = rt.find_segments(p, q)
    # en: alice's Security overlaps alice's Conflict "officials"; ja: bob's two overlap;
    # ru: the two overlap but belong to different coders
    assert _ids(segs) == sorted(anns[k] for k in ("en_sec", "en_con_a", "ja_sec", "ja_con"))
    by = {s.annotation_id: s for s in segs}
    assert by[anns["en_sec"]].also == ("Conflict",)
    assert by[anns["en_con_a"]].also == ("Security",)


def test_and_across_coders(built):
    p, ids, code, anns, coders, sid, _ = built
    q = rt.SegmentQuery((code["Security"], code["Conflict"]), mode=rt.ALL, same_coder=False)
    assert _ids(rt.find_segments(p, q)) == sorted(
        anns[k] for k in ("en_sec", "en_con_a", "ru_sec", "ru_con", "ja_sec", "ja_con"))
    # the coder filter also binds the partners: bob alone has only the Japanese pair
    q = rt.SegmentQuery((code["Security"], code["Conflict"]), mode=rt.ALL, same_coder=False,
                        coder_ids=(coders["bob"],))
    assert _ids(rt.find_segments(p, q)) == sorted(anns[k] for k in ("ja_sec", "ja_con"))


def test_three_codes_and_subcodes(built):
    p, ids, code, anns, coders, sid, _ = built
    three = (code["Security"], code["Alliance"], code["Conflict"])
    # each listed span overlaps a span of each other code: en_sec overlaps both "officials"
    # (Conflict) and "praised the alliance" (Alliance); neither of those overlaps the other
    segs = rt.find_segments(p, rt.SegmentQuery(three, mode=rt.ALL))
    assert _ids(segs) == [anns["en_sec"]]
    assert segs[0].also == ("Alliance", "Conflict")
    # with subcodes, Security stands for Security + Alliance
    segs = rt.find_segments(p, rt.SegmentQuery((code["Security"],), with_subcodes=True))
    assert _ids(segs) == sorted(anns[k] for k in ("en_sec", "en_all", "ru_sec", "ja_sec", "none_all"))
    # the family is one AND term: Alliance's span overlaps no Conflict span
    segs = rt.find_segments(p, rt.SegmentQuery((code["Security"], code["Conflict"]), mode=rt.ALL,
                                               with_subcodes=True))
    assert _ids(segs) == sorted(anns[k] for k in ("en_sec", "en_con_a", "ja_sec", "ja_con"))


def test_filters(built):
    p, ids, code, anns, coders, sid, _ = built
    all_codes = tuple(code.values())
    q = rt.SegmentQuery(all_codes, coder_ids=(coders["alice"],))
    assert {s.coder for s in rt.find_segments(p, q)} == {"alice"}
    q = rt.SegmentQuery(all_codes, countries=("ru",))
    assert _ids(rt.find_segments(p, q)) == sorted([anns["ru_sec"], anns["ru_con"]])
    q = rt.SegmentQuery(all_codes, outlet_ids=(None,))
    assert _ids(rt.find_segments(p, q)) == [anns["none_all"]]
    nhk = store.get_outlet(p, "NHK").id
    q = rt.SegmentQuery(all_codes, outlet_ids=(nhk, None))
    assert _ids(rt.find_segments(p, q)) == sorted([anns["ja_sec"], anns["ja_con"], anns["none_all"]])
    q = rt.SegmentQuery(all_codes, story_id=sid)
    assert {s.article_id for s in rt.find_segments(p, q)} == {ids["en"], ids["ja"]}
    assert rt.find_segments(p, rt.SegmentQuery((code["Economy"],))) == []


def test_context_is_the_sentence_in_code_points(built):
    p, ids, code, anns, coders, sid, _ = built
    segs = {s.annotation_id: s for s in rt.find_segments(p, rt.SegmentQuery(tuple(code.values())))}
    s = segs[anns["en_con_a"]]
    # "U.S. officials" does not end a sentence at "U.S."
    assert s.context == "The U.S. officials praised the alliance."
    assert (s.before, s.context[len(s.before):len(s.before) + len(s.quote)], s.after) == (
        "The U.S. ", "officials", " praised the alliance.")
    assert TEXTS["en"][s.context_start:s.context_start + len(s.context)] == s.context
    assert (s.clipped_left, s.clipped_right) == (False, False)
    s = segs[anns["en_con_b"]]
    assert s.context == "Critics warned of an arms race in the region."    # stops at the line break
    s = segs[anns["ja_sec"]]
    assert s.context == "双方は同盟を称賛した。"
    s = segs[anns["ru_con"]]
    assert s.context == "Стороны обсудили безопасность."
    # a narrow window without a sentence end is clipped, and says so
    narrow = rt.find_segments(p, rt.SegmentQuery((code["Conflict"],), context=5,
                                                 coder_ids=(coders["bob"],), countries=("US",)))
    assert len(narrow) == 1
    n = narrow[0]
    assert (n.context, n.clipped_left, n.clipped_right) == ("f an arms race in t", True, True)
    assert n.before == "f an "


def test_bad_queries_say_what_is_wrong(built):
    p, ids, code, *_ = built
    with pytest.raises(store.ValidationError, match="at least one code"):
        rt.find_segments(p, rt.SegmentQuery(()))
    with pytest.raises(store.ValidationError, match="no code with id 999"):
        rt.find_segments(p, rt.SegmentQuery((999,)))
    with pytest.raises(store.ValidationError, match="mode must be"):
        rt.find_segments(p, rt.SegmentQuery((code["Security"],), mode="xor"))


def test_summary(built):
    p, ids, code, *_ = built
    segs = rt.find_segments(p, rt.SegmentQuery((code["Security"], code["Conflict"])))
    assert rt.summarize(segs) == {"segments": 7, "articles": 3, "outlets": 3, "coders": 2}


# -- export (annotate/ops/retrieval.py) and the command line -----------------------------------
def test_export_csv_and_json_write_every_row(built, tmp_path):
    from framelens.annotate.ops import retrieval as ops

    p, ids, code, anns, *_ = built
    segs = rt.find_segments(p, rt.SegmentQuery((code["Security"], code["Conflict"]), mode=rt.ALL))
    out = tmp_path / "segs.csv"
    assert ops.write_csv(segs, out) == 4
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ops.COLUMNS
    ja = [r for r in rows if r["country"] == "JP"]
    assert [(r["code"], r["also"], r["quote"], r["coder"]) for r in ja] == [
        ("Security", "Conflict", "同盟", "bob"), ("Conflict", "Security", "同盟を称賛", "bob")]
    assert ja[0]["context_before"] + ja[0]["quote"] + ja[0]["context_after"] == "双方は同盟を称賛した。"
    for r in rows:
        text = TEXTS[{"US": "en", "JP": "ja", "RU": "ru"}[r["country"]]]
        assert text[int(r["start"]):int(r["end"])] == r["quote"]
    js = tmp_path / "segs.json"
    assert ops.export(segs, js) == 4
    data = json.loads(js.read_text("utf-8"))
    assert [d["annotation_id"] for d in data] == [s.annotation_id for s in segs]
    assert data[0]["also"] == ["Conflict"]


def test_export_refuses_a_project_file(built, tmp_path):
    from framelens.annotate.ops import retrieval as ops

    p, _ids, code, *_ = built
    segs = rt.find_segments(p, rt.SegmentQuery((code["Security"],)))
    with pytest.raises(store.ValidationError, match="that is a project file"):
        ops.write_csv(segs, p.path)
    with pytest.raises(store.ValidationError, match="is a folder"):
        ops.write_csv(segs, tmp_path)


def test_resolve_names_and_say_what_is_missing(built):
    from framelens.annotate.ops import retrieval as ops

    p, ids, code, anns, coders, sid, _ = built
    q = ops.resolve(p, ops.Request(codes=["security", "Conflict"], mode=rt.ALL, coders=["bob"],
                                   outlets=["nhk"], countries=["jp"], story="talks story"))
    assert (q.code_ids, q.coder_ids, q.countries, q.story_id, q.mode) == (
        (code["Security"], code["Conflict"]), (coders["bob"],), ("JP",), sid, rt.ALL)
    with pytest.raises(store.ValidationError, match=r"no coder 'carol' \(coders: alice, bob\)"):
        ops.resolve(p, ops.Request(codes=["Security"], coders=["carol"]))
    with pytest.raises(store.ValidationError, match=r"no outlet 'BBC' \(outlets: NHK, TASS, Wire\)"):
        ops.resolve(p, ops.Request(codes=["Security"], outlets=["BBC"]))
    with pytest.raises(store.ProjectError, match="no code called 'Peace'"):
        ops.resolve(p, ops.Request(codes=["Peace"]))


def test_cli_segments(built, tmp_path, capsys):
    from framelens.annotate.cli import main

    p, ids, code, anns, coders, sid, path = built
    p.close()
    assert main(["segments", str(path), "--code", "Security", "--code", "Conflict", "--all",
                 "--json"]) == 0
    out, _ = capsys.readouterr()
    assert sorted(r["annotation_id"] for r in json.loads(out)) == sorted(
        anns[k] for k in ("en_sec", "en_con_a", "ja_sec", "ja_con"))
    assert main(["segments", str(path), "--code", "Security", "--code", "Conflict", "--all",
                 "--across-coders", "--country", "RU"]) == 0
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert lines[-1] == "2 segment(s) in 1 article(s) from 1 outlet(s), 2 coder(s)"
    assert "Стороны обсудили »безопасность«." in out
    dest = tmp_path / "out.csv"
    assert main(["segments", str(path), "--code", "Alliance", "--csv", str(dest)]) == 0
    _, err = capsys.readouterr()
    assert err.startswith(f"wrote 2 segment(s) to {dest}")
    with open(dest, encoding="utf-8", newline="") as fh:
        assert [r["title"] for r in csv.DictReader(fh)] == ["en piece", "orphan"]
    # bad input: one line naming the problem, exit status 2, no traceback
    assert main(["segments", str(path), "--code", "Nope"]) == 2
    _, err = capsys.readouterr()
    assert err.strip() == "framelens segments: error: no code called 'Nope'"
    assert main(["segments", str(path), "--code", "Security", "--csv", str(path)]) == 2
    _, err = capsys.readouterr()
    assert "that is a project file" in err and "Traceback" not in err


def test_code_counts_follow_the_filters(built):
    p, ids, code, anns, coders, sid, _ = built
    assert rt.code_counts(p, rt.SegmentQuery(())) == {
        code["Security"]: 3, code["Alliance"]: 2, code["Conflict"]: 4}
    assert rt.code_counts(p, rt.SegmentQuery((), coder_ids=(coders["bob"],), countries=("JP",))) == {
        code["Security"]: 1, code["Conflict"]: 1}
    assert rt.code_counts(p, rt.SegmentQuery((), story_id=sid)) == {
        code["Security"]: 2, code["Alliance"]: 1, code["Conflict"]: 3}
