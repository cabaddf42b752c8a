"""Contested names: every occurrence of every lexicon term in the five seed articles is
suggested with its side.  The expected occurrences are computed here, independently of the
suggester, with one case-insensitive regular expression over the lexicon's English terms."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from framelens.annotate.analysis.nlp import VIEWPOINTS, get_pipeline, suggest
from framelens.annotate.analysis.nlp.common import assets_dir

CORPUS = Path(__file__).resolve().parents[1] / "assets" / "demo" / "two-plus-two"   # = ../shared/corpus
pytestmark = pytest.mark.skipif(not (CORPUS / "metadata.json").exists(), reason="seed corpus absent")


def _lexicon() -> dict:
    return json.loads((assets_dir() / "lexicons/contested_names.json").read_text("utf-8"))


def expected_occurrences(text: str, lexicon: dict) -> dict[tuple[int, int], str]:
    """(start, end) -> side for every English term/variant, longest match first."""
    side_of: dict[str, str] = {}
    for st in lexicon["sets"]:
        for entry in st["terms"]:
            if entry.get("lang", "en") != "en":
                continue
            for form in [entry["term"], *entry.get("variants", [])]:
                side_of[form.lower().replace("’", "'")] = entry["side"]
    forms = sorted(side_of, key=len, reverse=True)
    body = "|".join(re.escape(f).replace("'", "['’]") for f in forms)
    rx = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)
    return {(m.start(), m.end()): side_of[m.group(0).lower().replace("’", "'")] for m in rx.finditer(text)}


@pytest.fixture(scope="module")
def seeds():
    meta = json.loads((CORPUS / "metadata.json").read_text("utf-8"))
    texts = {i: (CORPUS / a["file"]).read_text("utf-8") for i, a in enumerate(meta["articles"])}
    get_pipeline("en")
    found = dict(suggest([(i, t, "en") for i, t in texts.items()], suggesters=["contested"]))
    return texts, found


def test_every_occurrence_with_its_side(seeds):
    texts, found = seeds
    lexicon = _lexicon()
    total = 0
    for i, text in texts.items():
        expected = expected_occurrences(text, lexicon)
        got = {(s.start, s.end): s.label for s in found[i] if s.data.get("via") == "phrase"}
        assert got == expected, (i, sorted(set(got.items()) ^ set(expected.items())))
        total += len(expected)
    assert total >= 30  # the seeds are full of Kurils, Northern Territories, Crimea ...


def test_known_terms_in_the_seeds(seeds):
    texts, found = seeds
    pairs = {(texts[i][s.start:s.end].lower(), s.label) for i in texts for s in found[i]}
    for term, side in [("northern territories", "Japanese"), ("southern kuriles", "Russian"),
                       ("southern kurils", "Russian"), ("south kuril islands", "Russian"),
                       ("kuril islands", "Russian"), ("kurils", "Russian"), ("senkaku islands", "Japanese"),
                       ("diaoyu", "Chinese"), ("annexation of crimea", "US"),
                       ("annexation of the crimean region", "US"), ("dprk", "Other"),
                       ("sea of japan", "Japanese")]:
        assert (term, side) in pairs, term


def test_records(seeds):
    texts, found = seeds
    for i in texts:
        for s in found[i]:
            assert s.codebook == "viewpoint" and s.label in VIEWPOINTS
            assert s.data["term"] in s.rationale and s.data["set_name"] in s.rationale
            assert 0 < s.score <= 1


def test_lemma_pattern_and_case_insensitivity():
    text = "Russia annexed Crimea in 2014. Moscow speaks of the REUNIFICATION WITH CRIMEA; Tokyo of the northern territories."
    (_, found), = suggest([(1, text, "en")], suggesters=["contested"])
    got = [(text[s.start:s.end], s.label, s.data["via"]) for s in found]
    assert got == [("annexed Crimea", "US", "pattern"),
                   ("REUNIFICATION WITH CRIMEA", "Russian", "phrase"),
                   ("northern territories", "Japanese", "phrase")]
