"""Word diff of shared agency copy (annotate/analysis/textdiff.py)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from framelens.annotate.analysis.textdiff import (apply_ops, propose_diff, shared_text_ratio,
                               tokenize, word_diff)

AGENCY = """\
TOKYO, March 20 (Wire) - Russia and Japan resumed their security talks in \
Tokyo on Monday for the first time since 2013, with both sides pledging to \
work together against terrorism and drug trafficking.

Foreign Minister Sergei Lavrov and Defence Minister Sergei Shoigu met their \
Japanese counterparts for about three hours, officials said. The two sides \
also discussed joint economic projects on the disputed islands.

Japan raised concerns over the deployment of Russian missiles on the islands, \
while Moscow repeated its objections to U.S. missile defence systems in the \
region. A further round of talks is expected later this year."""

# The same story as republished: two words replaced, a number changed, a
# sentence inserted and a word deleted.
REPUBLISHED = """\
TOKYO, March 20 (Wire) - Russia and Japan restarted their security talks in \
Tokyo on Monday for the first time since 2013, with both sides pledging to \
work together against terrorism and drug trafficking.

Foreign Minister Sergei Lavrov and Defence Minister Sergei Shoigu met their \
Japanese counterparts for about four hours, diplomats said. The meeting was \
closed to the press. The two sides also discussed economic projects on the \
disputed islands.

Japan raised concerns over the deployment of Russian missiles on the islands, \
while Moscow repeated its objections to U.S. missile defence systems in the \
region. A further round of talks is expected later this year."""


def _marked(text, marks):
    return [text[s:e] for s, e, _ in marks]


def test_edited_republication_marks_exactly_the_changed_words():
    d = word_diff(AGENCY, REPUBLISHED)
    assert _marked(AGENCY, d.a_marks) == ["resumed", "three", "officials", "joint"]
    assert _marked(REPUBLISHED, d.b_marks) == [
        "restarted", "four", "diplomats", "The meeting was closed to the press."]
    assert {kind for _, _, kind in d.a_marks} == {"delete"}
    assert {kind for _, _, kind in d.b_marks} == {"insert"}
    assert apply_ops(d.ops) == (AGENCY, REPUBLISHED)


def test_shared_text_ratio_and_proposal():
    assert shared_text_ratio(AGENCY, AGENCY) == 1.0
    ratio = shared_text_ratio(AGENCY, REPUBLISHED)
    assert 0.85 < ratio < 1.0
    assert propose_diff(AGENCY, REPUBLISHED)
    other = ("Prime Minister Shinzo Abe will travel to Sochi in May to meet "
             "President Putin, the government spokesman announced on Friday.")
    assert shared_text_ratio(AGENCY, other) < 0.6
    assert not propose_diff(AGENCY, other)
    assert shared_text_ratio("", "") == 1.0
    assert shared_text_ratio("abc", "") == 0.0


def test_offsets_are_code_points():
    a = "Café “Kuril” talks 😀 resumed today."
    b = "Café “Kuril” talks 😀 restarted today."
    d = word_diff(a, b)
    assert _marked(a, d.a_marks) == ["resumed"]
    assert _marked(b, d.b_marks) == ["restarted"]


def test_identical_and_empty_texts():
    d = word_diff(AGENCY, AGENCY)
    assert d.a_marks == [] and d.b_marks == []
    assert [op.op for op in d.ops] == ["equal"]
    d = word_diff("", "new words")
    assert _marked("new words", d.b_marks) == ["new words"]
    assert apply_ops(word_diff("", "").ops) == ("", "")


_WORDS = st.sampled_from(["the", "talks", "Russia", "Japan", "U.S.", "3.5", "2,000",
                          " ", "  ", "\n", "\n\n", ".", ",", "—", "resumed", "é", "😀"])
_TEXTS = st.one_of(st.text(max_size=60), st.lists(_WORDS, max_size=40).map("".join))


def _boundaries(text):
    out, pos = {0}, 0
    for tok in tokenize(text):
        pos += len(tok)
        out.add(pos)
    return out


@settings(max_examples=300, deadline=None)
@given(_TEXTS, _TEXTS)
def test_ops_rebuild_both_texts(a, b):
    d = word_diff(a, b)
    assert apply_ops(d.ops) == (a, b)
    pos_a = pos_b = 0
    for op in d.ops:
        assert (op.a_start, op.b_start) == (pos_a, pos_b)
        if op.op in ("equal", "delete"):
            assert a[op.a_start:op.a_end] == op.text
        if op.op in ("equal", "insert"):
            assert b[op.b_start:op.b_end] == op.text
        pos_a, pos_b = op.a_end, op.b_end
    assert (pos_a, pos_b) == (len(a), len(b))
    ba, bb = _boundaries(a), _boundaries(b)
    for s, e, _ in d.a_marks:
        assert s in ba and e in ba and a[s:e].strip() == a[s:e] != ""
    for s, e, _ in d.b_marks:
        assert s in bb and e in bb and b[s:e].strip() == b[s:e] != ""
