"""Reliability: Krippendorff's worked examples (alpha 2011, α_u 2004), presence / categorical /
character alpha, Cohen's kappa, the report and the disagreement list."""

import json
import math
import random

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from framelens.annotate.analysis.agreement import (
    agreement_report, alpha, article_presence_alpha, categorical_alpha, character_alpha,
    cohen_kappa, disagreements, format_value, pairwise_kappa, presence_matrix, unitizing_alpha,
)
from framelens.annotate.analysis.formats.model import XCode, XLabel, XSpan

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
    assert not any(r.measure == "character_alpha" for r in rows)  # retired: α_u replaces it
    econ = by[("alpha_u", "pf/Economic", None)]
    assert econ.n_units == 3 and econ.codebook == "pf" and econ.code_name == "Economic"
    assert econ.value == pytest.approx(brute_alpha_u(spans, {"a1": 20, "a2": 20, "a3": 20},
                                                     ["A", "B"], ["pf/Economic"])[0], abs=1e-12)
    overall = by[("alpha_u_all", None, None)]
    assert overall.n_units == 3 + 2 and overall.value == pytest.approx(brute_alpha_u(
        spans, {"a1": 20, "a2": 20, "a3": 20}, ["A", "B"], ["pf/Economic", "pf/Security"])[1],
        abs=1e-12)
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


# -- α_u ----------------------------------------------------------------------------------------
# Krippendorff, Content Analysis (2004), p. 254, as reproduced in DKPro Statistics'
# Krippendorff2004Test (Apache-2.0): two coders, continuum 150..450, codes "c" and "k".
# (offset, length, coder, code); offsets are made relative to the continuum's start.
K2004 = [(225, 70, "i", "c"), (370, 30, "i", "c"), (220, 80, "j", "c"), (355, 20, "j", "c"),
         (400, 20, "j", "c"), (180, 60, "i", "k"), (300, 50, "i", "k"), (180, 60, "j", "k"),
         (300, 50, "j", "k")]


def k2004_spans(article="doc"):
    return [XSpan(article, off - 150, off - 150 + n, code, coder) for off, n, coder, code in K2004]


def brute_alpha_u(spans, lengths, coders, codes):
    """α_u straight from Krippendorff's definitions: every coder's sections (units and gaps)
    laid end to end over the continuum, every pair of sections of two coders compared."""
    starts, pos = {}, 0
    for art, n in lengths.items():
        starts[art] = pos
        pos += n
    total, m = pos, len(coders)
    d_o, d_e = {}, {}
    for code in codes:
        sections = {}
        for c in coders:
            secs = []
            for art, n in lengths.items():
                mine = sorted({(s.start, s.end) for s in spans
                               if s.coder == c and s.code == code and s.article == art})
                prev = 0
                for b, e in mine:
                    if b > prev:
                        secs.append((starts[art] + prev, b - prev, False))
                    secs.append((starts[art] + b, e - b, True))
                    prev = e
                if n > prev:
                    secs.append((starts[art] + prev, n - prev, False))
            sections[c] = secs
        obs = 0
        for ci in coders:
            for cj in coders:
                if ci == cj:
                    continue
                for bi, li, ui in sections[ci]:
                    for bj, lj, uj in sections[cj]:
                        if ui and uj and bi < bj + lj and bj < bi + li:
                            obs += (bi - bj) ** 2 + (bi + li - bj - lj) ** 2
                        elif ui and not uj and bj <= bi and bi + li <= bj + lj:
                            obs += li ** 2
                        elif uj and not ui and bi <= bj and bj + lj <= bi + li:
                            obs += lj ** 2
        units = [n for c in coders for _, n, u in sections[c] if u]
        gaps = [n for c in coders for _, n, u in sections[c] if not u]
        num = 0
        for n in units:
            num += (len(units) - 1) * (2 * n ** 3 - 3 * n ** 2 + n) / 3
            num += n ** 2 * sum(g - n + 1 for g in gaps if g >= n)
        d_o[code] = obs / (m * (m - 1) * total ** 2)
        d_e[code] = 2 / total * num / (m * total * (m * total - 1) - sum(n * (n - 1) for n in units))
    per = {c: 1 - d_o[c] / d_e[c] if d_e[c] else math.nan for c in codes}
    return (per[codes[0]] if len(codes) == 1 else per,
            1 - sum(d_o.values()) / sum(d_e.values()) if sum(d_e.values()) else math.nan)


def test_alpha_u_reproduces_krippendorff_2004_p254():
    got = unitizing_alpha(k2004_spans(), {"doc": 300})
    d_o_c, d_e_c, a_c, n_c = got.per_code["c"]
    d_o_k, d_e_k, a_k, n_k = got.per_code["k"]
    assert (round(d_o_c, 4), round(d_e_c, 4), round(a_c, 4), n_c) == (0.0144, 0.0532, 0.7286, 5)
    assert (round(d_o_k, 4), round(d_e_k, 4), a_k, n_k) == (0.0, 0.0490, 1.0, 4)
    # The book prints 0.8591: 1 - (.0144 + 0) / (.0532 + .0490) from the rounded D's; the same
    # quotient without rounding is 0.8587 (DKPro accepts either within 0.0005).
    rounded = 1 - (round(d_o_c, 4) + round(d_o_k, 4)) / (round(d_e_c, 4) + round(d_e_k, 4))
    assert round(rounded, 4) == 0.8591
    assert round(got.alpha, 4) == 0.8587
    assert (got.coders, got.length, got.merged) == (("i", "j"), 300, 0)
    assert got.alpha == pytest.approx(brute_alpha_u(k2004_spans(), {"doc": 300}, ["i", "j"],
                                                    ["c", "k"])[1], abs=1e-12)


def test_alpha_u_through_the_cli(tmp_path, capsys):
    from framelens import store
    from framelens.annotate.cli import main as framelens
    from framelens.annotate.analysis.formats.model import XArticle, XProject
    from framelens.annotate.analysis.formats.refi import write_qdpx

    text = "".join(chr(0x61 + i % 26) for i in range(300))
    xp = XProject("k2004", [XArticle("doc", text)],
                  [XCode("k2004/c", "k2004", "c"), XCode("k2004/k", "k2004", "k")],
                  [XSpan(s.article, s.start, s.end, f"k2004/{s.code}", s.coder)
                   for s in k2004_spans()], [], ["i", "j"])
    write_qdpx(xp, tmp_path / "k2004.qdpx")
    proj = tmp_path / "p.framelens"
    store.create_project(proj).close()
    assert framelens(["import-dataset", str(proj), str(tmp_path / "k2004.qdpx")]) == 0
    capsys.readouterr()
    assert framelens(["agreement", str(proj), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by = {(r["measure"], r["code"]): r for r in rows}
    assert round(by[("alpha_u", "k2004/c")]["value"], 4) == 0.7286
    assert by[("alpha_u", "k2004/k")]["value"] == 1.0
    assert round(by[("alpha_u_all", None)]["value"], 4) == 0.8587
    assert by[("alpha_u", "k2004/c")]["n_units"] == 5
    assert framelens(["agreement", str(proj)]) == 0
    out = capsys.readouterr().out
    assert "α_u" in out and "0.729" in out and "0.859" in out and "k2004/c" not in out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from(["t", "u"]),
                          st.integers(0, 29), st.integers(1, 12), st.sampled_from(["x", "y"])),
                min_size=1, max_size=14))
def test_alpha_u_matches_the_definitions(raw):
    lengths = {"t": 30, "u": 25}
    spans, seen = [], {}
    for coder, art, start, n, code in raw:
        start, end = min(start, lengths[art] - 1), min(start + n, lengths[art])
        # α_u's model: a coder's units of one code never overlap; keep the first of a clash
        if any(s < end and start < e for s, e in seen.get((coder, art, code), [])):
            continue
        seen.setdefault((coder, art, code), []).append((start, end))
        spans.append(XSpan(art, start, end, code, coder))
    coded = {"t": set("ABC"), "u": set("ABC")}
    got = unitizing_alpha(spans, lengths, coders=["A", "B", "C"], coded_by=coded,
                          codes=["x", "y"])
    per, overall = brute_alpha_u(spans, lengths, ["A", "B", "C"], ["x", "y"])
    for code in ("x", "y"):
        if any(s.code == code for s in spans):
            assert got.per_code[code][2] == pytest.approx(per[code], abs=1e-9)
        else:
            assert math.isnan(got.per_code[code][2])
    if math.isnan(overall):
        assert math.isnan(got.alpha)
    else:
        assert got.alpha == pytest.approx(overall, abs=1e-9)


def test_alpha_u_merges_a_coders_overlapping_units_and_keeps_touching_ones():
    base = [XSpan("t", 0, 10, "x", "A"), XSpan("t", 0, 10, "x", "B"),
            XSpan("t", 20, 30, "x", "A"), XSpan("t", 20, 30, "x", "B")]
    same = unitizing_alpha(base, {"t": 40})
    # A marks 0-6 and 4-10 (overlapping): one unit 0-10, as if one span
    split = [XSpan("t", 0, 6, "x", "A"), XSpan("t", 4, 10, "x", "A"), *base[1:]]
    got = unitizing_alpha(split, {"t": 40})
    assert got.merged == 1 and got.per_code["x"] == same.per_code["x"] and got.alpha == 1.0
    # touching spans 0-5 and 5-10 stay two units: B's 0-10 now disagrees with both
    touch = [XSpan("t", 0, 5, "x", "A"), XSpan("t", 5, 10, "x", "A"), *base[1:]]
    got = unitizing_alpha(touch, {"t": 40})
    assert got.merged == 0 and got.per_code["x"][3] == 5
    assert got.per_code["x"][0] == pytest.approx(2 * (25 + 25) / (2 * 1 * 40 ** 2))


def test_alpha_u_continuum_is_the_articles_every_coder_coded():
    spans = [XSpan("t", 0, 10, "x", "A"), XSpan("t", 0, 10, "x", "B"),
             XSpan("u", 0, 5, "x", "A")]           # B never coded u
    got = unitizing_alpha(spans, {"t": 20, "u": 20})
    assert got.articles == ("t",) and got.length == 20 and got.per_code["x"][3] == 2
    # told that B did code u (and found nothing), u joins the continuum and disagreement appears
    got = unitizing_alpha(spans, {"t": 20, "u": 20}, coded_by={"u": {"A", "B"}})
    assert set(got.articles) == {"t", "u"} and got.length == 40 and got.per_code["x"][0] > 0
    assert math.isnan(unitizing_alpha(spans[:1], {"t": 20}).alpha)   # one coder: undefined


def test_zero_and_no_labels_count_as_absent():
    codes = [XCode("pf/E", "pf", "E")]
    labels = [XLabel("a1", "A", "pf/E", None, "1"), XLabel("a1", "B", "pf/E", None, "0"),
              XLabel("a2", "A", "pf/E", None, "yes"), XLabel("a2", "B", "pf/E", None, "no"),
              XLabel("a3", "A", "pf/E", None, "0"), XLabel("a3", "B", "pf/E", None, "no")]
    assert presence_matrix([], ["A", "B"], ["a1", "a2", "a3"], "pf/E", labels=labels) == [
        [1, 1, 0], [0, 0, 0]]
    rows = agreement_report([], labels, codes)
    by = {r.measure: r for r in rows}
    assert by["article_presence_alpha"].value == pytest.approx(alpha([[1, 1, 0], [0, 0, 0]]))
    assert by["cohen_kappa_presence"].value == 0.0   # p_o = 1/3, p_e = 1/3
    assert by["article_presence_alpha"].value == pytest.approx(-0.25)


def test_agreement_report_honours_coded_by():
    codes = [XCode("pf/E", "pf", "E")]
    spans = [XSpan("a1", 0, 5, "pf/E", "A"), XSpan("a1", 0, 5, "pf/E", "B"),
             XSpan("a2", 0, 5, "pf/E", "A")]
    texts = {"a1": 10, "a2": 10, "a3": 10}
    plain = {r.measure: r for r in agreement_report(spans, [], codes, texts)}
    # without coded_by, B never coded a2: one pairable article, both present
    assert plain["article_presence_alpha"].n_units == 1
    assert plain["article_presence_alpha"].value is None
    told = {r.measure: r for r in agreement_report(
        spans, [], codes, texts, coded_by={"a2": {"A", "B"}, "a3": {"A", "B"}})}
    # B read a2 and a3 and found nothing: a2 is a disagreement, a3 an agreement on absence
    assert told["article_presence_alpha"].n_units == 3
    assert told["article_presence_alpha"].value == pytest.approx(
        alpha([[1, 1, 0], [1, 0, 0]]))
    assert told["cohen_kappa_presence"].value == pytest.approx(cohen_kappa([1, 1, 0], [1, 0, 0]))
    assert told["alpha_u"].value == pytest.approx(
        brute_alpha_u(spans, texts, ["A", "B"], ["pf/E"])[0], abs=1e-12)
    assert plain["alpha_u"].value == 1.0


def test_kappa_on_presence_leaves_out_text_nobody_coded():
    codes = [XCode("pf/E", "pf", "E")]
    spans = [XSpan("a1", 0, 5, "pf/E", "A"), XSpan("a1", 0, 5, "pf/E", "B"),
             XSpan("a2", 0, 5, "pf/E", "A"), XSpan("a2", 6, 9, "pf/X", "B"),
             XSpan("a3", 0, 5, "pf/X", "A"), XSpan("a3", 0, 5, "pf/X", "B")]
    texts = {f"a{i}": 10 for i in range(1, 10)}   # a4..a9: nobody coded them
    rows = {(r.measure, r.code): r for r in agreement_report(spans, [], codes, texts)}
    kappa = rows[("cohen_kappa_presence", "pf/E")]
    assert kappa.n_units == 3 and kappa.value == pytest.approx(cohen_kappa([1, 1, 0], [1, 0, 0]))


def test_few_units_are_marked_and_negative_zero_is_never_shown():
    rows = agreement_report([XSpan("a", 0, 5, "c", "A"), XSpan("a", 0, 5, "c", "B")], [],
                            [XCode("c", "b", "c")], {"a": 10})
    assert all(r.few_units for r in rows)
    assert format_value(-0.0001) == "0.000" and format_value(-0.0) == "0.000"
    assert format_value(-0.0006) == "-0.001" and format_value(None) == "undefined"
    assert format_value(float("nan")) == "undefined" and format_value(0.72855) == "0.729"
