"""Reliability: Krippendorff's worked example, presence / categorical / character alpha,
Cohen's kappa, the report and the disagreement list."""

import math
import random
import time

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from annotate.agreement import (
    agreement_report, alpha, article_presence_alpha, categorical_alpha, character_alpha,
    cohen_kappa, disagreements, pairwise_kappa, presence_matrix,
)
from annotate.formats.model import XCode, XLabel, XSpan

_ = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4 x 12 example.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
]


@pytest.mark.parametrize("level,expected", [("nominal", 0.743), ("ordinal", 0.815),
                                            ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorff_2011_worked_example(level, expected):
    assert round(alpha(K2011, level), 3) == expected


def test_alpha_edge_cases():
    assert alpha([[1, 2, 3, 1], [1, 2, 3, 1]], "nominal") == 1.0
    assert alpha([["E", "P", "S", "E"], ["E", "P", "S", "E"], ["E", _, "S", _]]) == 1.0
    assert math.isnan(alpha([[1, 1, 1], [1, 1, 1]]))        # no variation: undefined
    assert math.isnan(alpha([[1, _, _], [_, 2, _]]))        # nothing pairable
    with pytest.raises(ValueError):
        alpha(K2011, "cardinal")
    with pytest.raises(ValueError):
        alpha([[1, 2], [1]])
    with pytest.raises(ValueError):
        alpha([["a", "b"], ["a", "a"]], "interval")


def test_article_presence_alpha_treats_uncoded_as_missing():
    arts = ["a1", "a2", "a3", "a4", "a5"]
    coders = ["A", "B", "C"]
    spans = [XSpan("a1", 0, 3, "econ", "A"), XSpan("a1", 1, 2, "econ", "B"),
             XSpan("a1", 0, 1, "econ", "C"), XSpan("a2", 0, 3, "econ", "A"),
             XSpan("a2", 0, 3, "econ", "B"), XSpan("a3", 0, 3, "other", "A"),
             XSpan("a4", 5, 9, "econ", "C")]
    labels = [XLabel("a5", "B", "econ", None, "yes")]
    coded_by = {"a1": {"A", "B", "C"}, "a2": {"A", "B"}, "a3": {"A", "B", "C"},
                "a4": {"A", "B", "C"}, "a5": {"A", "B"}}
    mat = presence_matrix(spans, coders, arts, "econ", coded_by, labels=labels)
    assert mat == [[1, 1, 0, 0, 0], [1, 1, 0, 0, 1], [1, None, 0, 1, None]]
    got = article_presence_alpha(spans, coders, arts, "econ", coded_by, labels=labels)
    expected = krippendorff.alpha(reliability_data=np.array(
        [[np.nan if v is None else v for v in row] for row in mat], dtype=float),
        level_of_measurement="nominal")
    assert got == pytest.approx(expected)
    as_zero = [[0 if v is None else v for v in row] for row in mat]
    assert got != pytest.approx(alpha(as_zero))
    perfect = [XSpan(a, 0, 1, "econ", c) for a in ("a1", "a2") for c in coders]
    assert article_presence_alpha(perfect, coders, ["a1", "a2", "a3"], "econ",
                                  {a: set(coders) for a in ("a1", "a2", "a3")}) == 1.0


def test_categorical_alpha():
    labels = [XLabel(a, c, None, "primary", v) for a, c, v in [
        ("a1", "A", "Economic"), ("a1", "B", "Economic"), ("a2", "A", "Political"),
        ("a2", "B", "Political"), ("a3", "A", "Economic"), ("a3", "B", "Security"),
        ("a4", "A", "Security"), ("a4", "B", "Security"), ("a5", "A", "Morality"),
        ("a1", "A", "ignored-other-question")]]
    labels[-1].question = "viewpoint"
    got = categorical_alpha(labels, "primary")
    codes = {"Economic": 0, "Political": 1, "Security": 2, "Morality": 3}
    a = [codes[v] for v in ("Economic", "Political", "Economic", "Security", "Morality")]
    b = [codes[v] for v in ("Economic", "Political", "Security", "Security")] + [np.nan]
    assert got == pytest.approx(krippendorff.alpha(
        reliability_data=np.array([a, b], dtype=float), level_of_measurement="nominal"))
    yes_no = [XLabel(f"a{i}", c, None, "q1", v) for i, (x, y) in enumerate(
        [("1", "1"), ("0", "0"), ("1", "0"), ("1", "1")]) for c, v in (("A", x), ("B", y))]
    assert categorical_alpha(yes_no, "q1", level="interval") == pytest.approx(
        alpha([[1, 0, 1, 1], [1, 0, 0, 1]], "interval"))
    assert math.isnan(categorical_alpha(labels, "absent"))


def test_character_alpha_hand_computed():
    spans = [XSpan("t", 0, 6, "c", "A"), XSpan("t", 2, 8, "c", "B")]
    # chars 0-1 and 6-7 disagree (4 units), 2-5 both 1, 8-9 both 0:
    # o01 = 4, n1 = 12, n0 = 8, n = 20 -> alpha = 1 - 19 * 4 / (8 * 12)
    assert character_alpha(spans, "c", {"t": "x" * 10}) == pytest.approx(1 - 76 / 96)
    assert character_alpha(spans, "c", {"t": 10}) == pytest.approx(1 - 76 / 96)
    same = [XSpan("t", 2, 5, "c", "A"), XSpan("t", 2, 4, "c", "B"), XSpan("t", 4, 5, "c", "B")]
    assert character_alpha(same, "c", {"t": 10}) == 1.0
    with pytest.raises(ValueError, match="no text"):
        character_alpha(spans, "c", {})


def brute_force_character_alpha(spans, code, lengths, coded_by, coders):
    columns = []
    for art, who in coded_by.items():
        if len(who) < 2:
            continue
        for i in range(lengths[art]):
            col = []
            for c in coders:
                if c not in who:
                    col.append(np.nan)
                else:
                    col.append(float(any(s.article == art and s.coder == c and s.code == code
                                         and s.start <= i < s.end for s in spans)))
            columns.append(col)
    if not columns:
        return math.nan
    data = np.array(columns, dtype=float).T
    try:
        return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    except ValueError:  # a single value in the domain: alpha is undefined
        return math.nan


CODERS = ["A", "B", "C", "D"]


@st.composite
def span_sets(draw):
    lengths = {f"t{i}": draw(st.integers(1, 25)) for i in range(draw(st.integers(1, 3)))}
    coded_by = {a: set(draw(st.lists(st.sampled_from(CODERS), min_size=1, max_size=4,
                                     unique=True))) for a in lengths}
    spans = []
    for a, n in lengths.items():
        for c in sorted(coded_by[a]):
            for _ in range(draw(st.integers(0, 3))):
                s = draw(st.integers(-2, n))
                e = draw(st.integers(s, n + 2))
                spans.append(XSpan(a, s, e, draw(st.sampled_from(["x", "y"])), c))
    return spans, lengths, coded_by


@settings(max_examples=150, deadline=None)
@given(span_sets())
def test_character_alpha_matches_brute_force(case):
    spans, lengths, coded_by = case
    got = character_alpha(spans, "x", lengths, coded_by=coded_by)
    expected = brute_force_character_alpha(spans, "x", lengths, coded_by, CODERS)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected, abs=1e-9)


def test_character_alpha_is_fast():
    rnd = random.Random(3)
    spans, lengths = [], {}
    for i in range(10_000):
        art = f"a{i}"
        lengths[art] = 3000
        for c in ("A", "B"):
            for _ in range(5):
                s = rnd.randrange(0, 2900)
                spans.append(XSpan(art, s, s + rnd.randrange(1, 100), "x", c))
    t0 = time.perf_counter()
    value = character_alpha(spans, "x", lengths)
    assert time.perf_counter() - t0 < 10
    assert -1 <= value <= 1


def test_cohen_kappa_hand_example():
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> p_o = .7, p_e = .5, kappa = .4
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(a + [None, "yes"], b + ["no", None]) == pytest.approx(0.4)
    assert cohen_kappa([1, 2, 3], [1, 2, 3]) == 1.0
    assert math.isnan(cohen_kappa([1, 1], [1, 1]))
    assert math.isnan(cohen_kappa([None], [1]))
    with pytest.raises(ValueError):
        cohen_kappa([1], [1, 2])
    pk = pairwise_kappa({"A": a, "B": b, "C": a})
    assert pk[("A", "B")] == pytest.approx(0.4) and pk[("A", "C")] == 1.0


def test_agreement_report_rows_and_flags():
    codes = [XCode("pf/Economic", "pf", "Economic"), XCode("pf/Unused", "pf", "Unused"),
             XCode("pf/Security", "pf", "Security")]
    spans = [XSpan("a1", 0, 10, "pf/Economic", "A"), XSpan("a1", 0, 10, "pf/Economic", "B"),
             XSpan("a2", 0, 5, "pf/Security", "A"), XSpan("a3", 0, 5, "pf/Security", "B"),
             XSpan("a3", 0, 5, "pf/Economic", "A")]
    labels = [XLabel("a1", "A", None, "primary", "Economic"),
              XLabel("a1", "B", None, "primary", "Economic"),
              XLabel("a2", "A", None, "primary", "Security"),
              XLabel("a2", "B", None, "primary", "Security")]
    rows = agreement_report(spans, labels, codes, {"a1": 20, "a2": 20, "a3": 20})
    by = {(r.measure, r.code, r.question): r for r in rows}
    assert ("article_presence_alpha", "pf/Unused", None) not in by
    sec = by[("article_presence_alpha", "pf/Security", None)]
    assert sec.n_units == 3 and sec.coders == ("A", "B") and sec.n_coders == 2
    assert sec.value == pytest.approx(alpha([[0, 1, 0], [0, 0, 1]]))
    assert sec.flagged
    char = by[("character_alpha", "pf/Economic", None)]
    assert char.n_units == 60 and char.codebook == "pf"
    prim = by[("categorical_alpha", None, "primary")]
    assert prim.value == 1.0 and not prim.flagged and prim.n_units == 2
    kappa = by[("cohen_kappa_presence", "pf/Economic", None)]
    assert kappa.coders == ("A", "B") and kappa.n_units == 3
    one_value = agreement_report(spans[:2], [], codes[:1], {"a1": 20})
    assert one_value[0].value is None and not one_value[0].flagged


def test_disagreements_lists_ranges_and_spans():
    a, b = XSpan("t", 0, 6, "c", "A", memo="wide"), XSpan("t", 2, 8, "c", "B")
    other = XSpan("t", 0, 50, "other", "A")
    got = disagreements([a, b, other], "c")
    assert [(d.article, d.start, d.end, d.covering, d.missing) for d in got] == [
        ("t", 0, 2, ("A",), ("B",)), ("t", 6, 8, ("B",), ("A",))]
    assert got[0].spans == {"A": [a]} and got[1].spans == {"B": [b]}
    with_c = disagreements([a, b], "c", coded_by={"t": {"A", "B", "C"}})
    assert [(d.start, d.end, d.covering, d.missing) for d in with_c] == [
        (0, 2, ("A",), ("B", "C")), (2, 6, ("A", "B"), ("C",)), (6, 8, ("B",), ("A", "C"))]
    assert disagreements([XSpan("t", 0, 5, "c", "A"), XSpan("t", 0, 5, "c", "B")], "c") == []


def test_a_coder_with_spans_counts_as_having_coded_the_article():
    spans = [XSpan("t", 0, 4, "c", "A"), XSpan("t", 0, 4, "c", "B"), XSpan("u", 0, 2, "c", "B")]
    coded_by = {"t": {"A"}, "u": {"A"}}  # incomplete on purpose
    assert presence_matrix(spans, ["A", "B"], ["t", "u"], "c", coded_by) == [[1, 0], [1, 1]]
    assert character_alpha(spans, "c", {"t": 8, "u": 8}, coded_by=coded_by) == pytest.approx(
        character_alpha(spans, "c", {"t": 8, "u": 8},
                        coded_by={"t": {"A", "B"}, "u": {"A", "B"}}))


def test_agreement_report_scales():
    rnd = random.Random(5)
    codes = [XCode(f"pf/c{k}", "pf", f"c{k}") for k in range(15)]
    spans, texts = [], {}
    for i in range(5000):
        texts[f"a{i}"] = 2000
        for c in ("A", "B"):
            for _ in range(10):
                s = rnd.randrange(0, 1900)
                spans.append(XSpan(f"a{i}", s, s + 50, f"pf/c{rnd.randrange(15)}", c))
    t0 = time.perf_counter()
    rows = agreement_report(spans, [], codes, texts)
    assert time.perf_counter() - t0 < 20
    assert len(rows) == 15 * 3
