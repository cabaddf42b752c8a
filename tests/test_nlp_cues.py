"""Frame-cue suggester: sentence spans labelled with Policy Frames from cue lexicons."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from framelens.annotate.analysis.nlp import POLICY_FRAMES, get_pipeline, suggest
from framelens.annotate.analysis.nlp.common import assets_dir

CORPUS = Path(__file__).resolve().parents[1] / "assets" / "demo" / "two-plus-two"   # = ../shared/corpus
needs_corpus = pytest.mark.skipif(not (CORPUS / "metadata.json").exists(), reason="seed corpus absent")


@pytest.fixture(scope="module")
def seeds():
    meta = json.loads((CORPUS / "metadata.json").read_text("utf-8"))
    texts = {i: (CORPUS / a["file"]).read_text("utf-8") for i, a in enumerate(meta["articles"])}
    get_pipeline("en")
    return texts, dict(suggest([(i, t, "en") for i, t in texts.items()], suggesters=["cues"]))


def _labels_covering(found, start: int, end: int) -> set[str]:
    return {s.label for s in found if s.start <= start and end <= s.end}


def test_lexicon_uses_the_exact_frame_names():
    frames = json.loads((assets_dir() / "lexicons/frame_cues.json").read_text("utf-8"))["frames"]
    assert set(frames) == set(POLICY_FRAMES) and len(POLICY_FRAMES) == 15
    codebook = json.loads((assets_dir() / "codebooks/policy_frames.json").read_text("utf-8"))
    assert {c["name"] for c in codebook["codes"]} == set(POLICY_FRAMES)


@needs_corpus
def test_missile_defence_sentences_are_security(seeds):
    texts, found = seeds
    hits = 0
    for i, text in texts.items():
        for m in re.finditer(r"(?i)missile defen[cs]e", text):
            assert "Security and defense" in _labels_covering(found[i], m.start(), m.end()), text[m.start() - 80:m.end()]
            hits += 1
    assert hits >= 5


@needs_corpus
def test_sanctions_sentences_are_external_or_economic(seeds):
    texts, found = seeds
    hits = 0
    for i, text in texts.items():
        for m in re.finditer(r"(?i)\bsanctions\b", text):
            labels = _labels_covering(found[i], m.start(), m.end())
            assert labels & {"External regulation and reputation", "Economic"}, text[m.start() - 80:m.end()]
            hits += 1
    assert hits >= 5
    jt = texts[0]
    a = jt.index("which drew condemnation and economic sanctions")
    assert {"External regulation and reputation", "Economic"} <= _labels_covering(found[0], a, a + 40)


@needs_corpus
def test_records_are_sentences_with_cue_rationales(seeds):
    texts, found = seeds
    for i, text in texts.items():
        for s in found[i]:
            assert s.label in POLICY_FRAMES and s.codebook == "policy_frames"
            span = text[s.start:s.end]
            assert span == span.strip() and "\n\n" not in span
            assert s.data["cues"] and all(c in span for c in s.data["cues"])
            assert s.data["cues"][0] in s.rationale and 0.25 <= s.score < 1


def test_denser_sentences_score_higher():
    text = ("The missile was mentioned once in a long sentence about the weather, the food, the hotel "
            "and the long flight home. Missile defense, troops and military drills raised security fears.")
    (_, found), = suggest([(1, text, "en")], suggesters=["cues"])
    sec = sorted((s for s in found if s.label == "Security and defense"), key=lambda s: s.start)
    assert len(sec) == 2 and sec[1].score > sec[0].score


def test_blank_pipeline_uses_a_sentencizer():
    (_, found), = suggest([(2, "Россия ввела санкции. Министр обороны обсудил безопасность.", "ru")],
                          suggesters=["cues"])
    assert {s.label for s in found} >= {"Security and defense", "External regulation and reputation"}
