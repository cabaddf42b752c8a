"""Inter-coder reliability for FrameLens codings.

Measures
- `alpha`: Krippendorff's alpha over a coders x units matrix (None = missing), computed by the
  `krippendorff` package with the level of measurement always passed explicitly (the package
  would otherwise default to "interval").
- `article_presence_alpha`: nominal alpha with articles as units; a coder's value is 1 when
  they put the code on the article (a span, or a present-valued article label), 0 when they
  coded the article without it, and missing when they did not code the article at all.  A
  code label whose value is not "present" ("0", "no", "false" ...) counts as absent.
- `categorical_alpha`: alpha over one article-level question (primary frame, viewpoint,
  yes/no items); nominal by default.
- `unitizing_alpha` (α_u): Krippendorff's alpha for unitizing (Krippendorff 1995; Content
  Analysis 2004, pp. 251-256), per code and over all codes; see docs/agreement.md.  It is the
  span measure of the report.
- `character_alpha`: character-level nominal alpha for one code (every character a unit).
  It is kept as a library function but no longer reported: it treats neighbouring characters
  as independent units, so its expected disagreement ignores that coders mark contiguous
  stretches, and it is not a measure reviewers know.  α_u replaces it.
- `cohen_kappa`: Cohen's kappa for two coders' values over the same items.  On presence, the
  items are the articles both coders coded: text nobody coded is never an item (QualCoder
  #667: counting it inflates agreement).

Who coded what: pass `coded_by` (article -> set of coders who coded it, e.g. from the
store's assignments).  Without it, a coder counts as having coded an article when they left
any span or label there (any code), which cannot tell "read it and found nothing" from
"never opened it".  Either way a coder who put the code on an article has coded it.

Undefined values (no pairable units, or no variation at all) come back as NaN from the
functions and as None in `AgreementRow.value` (never flagged).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Iterable, Mapping, Sequence

import krippendorff
import numpy as np

from framelens.annotate.analysis.formats.model import XCode, XLabel, XSpan, is_truthy

__all__ = ["alpha", "article_presence_alpha", "categorical_alpha", "character_alpha",
           "cohen_kappa", "pairwise_kappa", "agreement_report", "AgreementRow",
           "disagreements", "Disagreement", "coded_by_from", "presence_matrix",
           "unitizing_alpha", "UnitizingAlpha", "format_value", "FLAG_BELOW", "LEVELS",
           "MIN_UNITS", "MEASURE_LABELS", "row_subject"]

LEVELS = ("nominal", "ordinal", "interval", "ratio")
FLAG_BELOW = 0.667  # below this, Krippendorff advises against drawing conclusions
MIN_UNITS = 10      # fewer pairable units than this: the figure is shown with a warning
MEASURE_LABELS = {
    "article_presence_alpha": "α, code present in article",
    "alpha_u": "α_u, coded spans",
    "alpha_u_all": "α_u, all codes",
    "categorical_alpha": "α, article answer",
    "cohen_kappa_presence": "Cohen's κ, code present",
    "cohen_kappa_answer": "Cohen's κ, article answer",
    "character_alpha": "α, characters coded",
}
NAN = float("nan")


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def alpha(reliability_data: Sequence[Sequence[Any]], level: str = "nominal") -> float:
    """Krippendorff's alpha; rows are coders, columns units, None (or NaN) is missing.

    Nominal data may be any hashable values (strings are mapped to integers); the other
    levels need numbers.  Returns NaN when alpha is undefined.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    rows = [list(r) for r in reliability_data]
    if not rows or len({len(r) for r in rows}) != 1:
        raise ValueError("reliability data must be a non-empty rectangle (coders x units)")
    present = [v for r in rows for v in r if not _is_missing(v)]
    if level == "nominal" and any(not isinstance(v, (int, float)) or isinstance(v, bool)
                                  for v in present):
        codes = {v: i for i, v in enumerate(dict.fromkeys(present))}
        rows = [[NAN if _is_missing(v) else float(codes[v]) for v in r] for r in rows]
    else:
        rows = [[NAN if _is_missing(v) else float(v) for v in r] for r in rows]
    data = np.array(rows, dtype=float)
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    values = data[:, pairable]
    if not pairable.any() or len(np.unique(values[~np.isnan(values)])) < 2:
        return NAN
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def coded_by_from(spans: Iterable[XSpan], labels: Iterable[XLabel] = ()) -> dict[str, set[str]]:
    """article -> coders with at least one span or label there (the fallback for coded_by)."""
    out: dict[str, set[str]] = {}
    for x in [*spans, *labels]:
        out.setdefault(x.article, set()).add(x.coder)
    return out


def _present_pairs(spans: Iterable[XSpan], labels: Iterable[XLabel], code: str) -> set[tuple]:
    got = {(s.article, s.coder) for s in spans if s.code == code}
    got |= {(x.article, x.coder) for x in labels
            if x.code == code and x.question is None and is_truthy(x.value)}
    return got


def presence_matrix(spans: Sequence[XSpan], coders: Sequence[str], articles: Sequence[str],
                    code: str, coded_by: Mapping[str, set[str]] | None = None, *,
                    labels: Sequence[XLabel] = ()) -> list[list[int | None]]:
    """coders x articles matrix of 1 (code present) / 0 (absent) / None (not coded)."""
    coded_by = coded_by if coded_by is not None else coded_by_from(spans, labels)
    present = _present_pairs(spans, labels, code)
    return [[1 if (a, c) in present else 0 if c in coded_by.get(a, ()) else None
             for a in articles] for c in coders]


def article_presence_alpha(spans: Sequence[XSpan], coders: Sequence[str],
                           articles: Sequence[str], code: str,
                           coded_by: Mapping[str, set[str]] | None = None, *,
                           labels: Sequence[XLabel] = ()) -> float:
    """Nominal alpha of code presence per article (see the module notes on `coded_by`)."""
    return alpha(presence_matrix(spans, coders, articles, code, coded_by, labels=labels),
                 "nominal")


def _answers(labels: Iterable[XLabel], question: str) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for x in labels:
        if x.question == question:
            out[(x.article, x.coder)] = x.value  # a later answer replaces an earlier one
    return out


def categorical_alpha(labels: Sequence[XLabel], question: str, *, level: str = "nominal",
                      coders: Sequence[str] | None = None) -> float:
    """Alpha over the answers to `question`; units are the articles anyone answered."""
    ans = _answers(labels, question)
    coders = list(coders) if coders is not None else list(dict.fromkeys(c for _, c in ans))
    arts = list(dict.fromkeys(a for a, _ in ans))
    if not coders or not arts:
        return NAN
    return alpha([[ans.get((a, c)) for a in arts] for c in coders], level)


# ------------------------------------------------------------------- character level

def _merged(intervals: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted((max(0, s), min(length, e)) for s, e in intervals):
        if s >= e:
            continue
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _segments(by_coder: Mapping[str, list[tuple[int, int]]], coders: Iterable[str], length: int):
    """Yield (start, end, covering coders) over [0, length) for the coders' merged spans."""
    events: list[tuple[int, int, str]] = []
    for c in coders:
        for s, e in _merged(by_coder.get(c, ()), length):
            events.append((s, 1, c))
            events.append((e, -1, c))
    events.sort(key=lambda ev: (ev[0], ev[1]))
    active: set[str] = set()
    prev = 0
    for pos, delta, c in events:
        if pos > prev:
            yield prev, pos, frozenset(active)
            prev = pos
        if delta > 0:
            active.add(c)
        else:
            active.discard(c)
    if length > prev:
        yield prev, length, frozenset(active)


def _spans_by(spans: Iterable[XSpan], code: str) -> dict[str, dict[str, list[tuple[int, int]]]]:
    out: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for s in spans:
        if s.code == code:
            out.setdefault(s.article, {}).setdefault(s.coder, []).append((s.start, s.end))
    return out


def _character_stats(spans: Sequence[XSpan], code: str, texts: Mapping[str, Any],
                     coded_by: Mapping[str, set[str]] | None) -> tuple[float, int, set[str]]:
    coded_by = coded_by if coded_by is not None else coded_by_from(spans)
    by_art = _spans_by(spans, code)
    o01 = 0.0  # the off-diagonal coincidence o_01 (= o_10)
    n1 = 0     # pairable values 1 ...
    n0 = 0     # ... and 0
    units, coders_seen = 0, set()
    for art in dict.fromkeys([*coded_by, *by_art]):
        coders = set(coded_by.get(art, ())) | set(by_art.get(art, ()))
        m = len(coders)
        if m < 2:
            continue
        if art not in texts:
            raise ValueError(f"no text (or length) given for article {art!r}")
        t = texts[art]
        length = t if isinstance(t, int) else len(t)
        units += length
        coders_seen |= set(coders)
        dis = 0
        for s, e, cover in _segments(by_art.get(art, {}), coders, length):
            k, ell = len(cover), e - s
            n1 += ell * k
            n0 += ell * (m - k)
            dis += ell * k * (m - k)
        o01 += dis / (m - 1)
    n = n0 + n1
    value = NAN if n0 == 0 or n1 == 0 else 1.0 - (n - 1) * o01 / (n0 * n1)
    return value, units, coders_seen


def character_alpha(spans: Sequence[XSpan], code: str, texts: Mapping[str, Any], *,
                    coded_by: Mapping[str, set[str]] | None = None) -> float:
    """Character-level nominal alpha for `code`; `texts` maps article -> text or its length."""
    return _character_stats(spans, code, texts, coded_by)[0]


@dataclass
class Disagreement:
    article: str
    start: int
    end: int
    covering: tuple[str, ...]   # coders whose spans of the code cover [start, end)
    missing: tuple[str, ...]    # coders of the article whose spans do not
    spans: dict[str, list[XSpan]] = field(default_factory=dict)  # coder -> overlapping spans


def disagreements(spans: Sequence[XSpan], code: str, *,
                  coded_by: Mapping[str, set[str]] | None = None) -> list[Disagreement]:
    """Character ranges where the coders of an article disagree about `code`."""
    coded_by = coded_by if coded_by is not None else coded_by_from(spans)
    by_art = _spans_by(spans, code)
    objs: dict[str, list[XSpan]] = {}
    for s in spans:
        if s.code == code:
            objs.setdefault(s.article, []).append(s)
    out: list[Disagreement] = []
    for art, per_coder in by_art.items():
        coders = sorted(coded_by.get(art, set()) | set(per_coder))
        if len(coders) < 2:
            continue
        end = max(e for iv in per_coder.values() for _, e in iv)
        runs: list[list] = []
        for s, e, cover in _segments(per_coder, coders, end):
            if 0 < len(cover) < len(coders):
                if runs and runs[-1][1] == s and runs[-1][2] == cover:
                    runs[-1][1] = e
                else:
                    runs.append([s, e, cover])
        for s, e, cover in runs:
            hits: dict[str, list[XSpan]] = {}
            for sp in objs[art]:
                if sp.start < e and sp.end > s:
                    hits.setdefault(sp.coder, []).append(sp)
            out.append(Disagreement(art, s, e, tuple(sorted(cover)),
                                    tuple(c for c in coders if c not in cover), hits))
    return out


# ------------------------------------------------------------------- unitizing alpha

@dataclass
class UnitizingAlpha:
    """Krippendorff's α_u for a set of coders over one continuum.

    ``per_code`` maps a code to ``(observed, expected, alpha, n_units)``: the code's observed
    and expected disagreement (D_o(c), D_e(c)), α_u(c) = 1 - D_o(c) / D_e(c) (NaN when D_e(c)
    is 0: nobody used the code there) and its units after merging.  ``alpha`` is α_u over all
    codes, 1 - Σ D_o(c) / Σ D_e(c).  ``length`` is the continuum's length in characters,
    ``articles`` the articles in it, ``merged`` how many of a coder's overlapping spans of one
    code were merged into one unit.
    """

    coders: tuple[str, ...]
    articles: tuple[str, ...]
    length: int
    per_code: dict[str, tuple[float, float, float, int]]
    alpha: float
    merged: int = 0


def _units_of(intervals: list[tuple[int, int]], length: int) -> tuple[list[tuple[int, int]], int]:
    """One coder's units of one code in one article: sorted, clipped to the text, overlapping
    spans merged into their union (α_u needs a coder's units of a code to be disjoint);
    spans that only touch stay separate units.  Returns (units, number of merges)."""
    out: list[list[int]] = []
    merges = 0
    for s, e in sorted(intervals):
        s, e = max(0, s), min(length, e)
        if s >= e:
            continue
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
            merges += 1
        else:
            out.append([s, e])
    return [(s, e) for s, e in out], merges


def _pair_disagreement(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Σ δ² between two coders' units of one code on one text (Krippendorff 2004, p. 252).

    Overlapping units contribute (b_i - b_j)² + (e_i - e_j)²; a unit inside the other coder's
    gap (overlapping none of their units) contributes its length squared; gap against gap and
    the partial overlap of a unit with a gap contribute nothing."""
    total, i, j = 0, 0, 0
    hit_a, hit_b = [False] * len(a), [False] * len(b)
    while i < len(a) and j < len(b):
        (sa, ea), (sb, eb) = a[i], b[j]
        if ea <= sb:
            i += 1
        elif eb <= sa:
            j += 1
        else:
            total += (sa - sb) ** 2 + (ea - eb) ** 2
            hit_a[i] = hit_b[j] = True
            if ea < eb:
                i += 1
            elif eb < ea:
                j += 1
            else:
                i += 1
                j += 1
    total += sum((e - s) ** 2 for (s, e), hit in zip(a, hit_a) if not hit)
    total += sum((e - s) ** 2 for (s, e), hit in zip(b, hit_b) if not hit)
    return total


def unitizing_alpha(spans: Iterable[XSpan], texts: Mapping[str, Any], *,
                    coders: Sequence[str] | None = None,
                    coded_by: Mapping[str, set[str]] | None = None,
                    codes: Sequence[str] | None = None) -> UnitizingAlpha:
    """Krippendorff's α_u per code and over all codes.

    The continuum is the text of every article that all of ``coders`` coded (``coded_by``, or
    by default whoever left a span there), one after another; a unit is a coder's span of a
    code, a gap is the text between a coder's units of that code, and gaps end at article
    boundaries (no unit can cross one).  ``texts`` maps article -> text or its length.
    ``coders`` defaults to every coder of a span; ``codes`` to every code of a span.
    Definitions (Krippendorff 1995, 2004 pp. 251-256), with m coders, continuum length L and
    N_c units of code c over all coders:

    D_o(c) = Σ_i Σ_{j≠i} Σ_g Σ_h δ²(c; ig, jh) / (m (m-1) L²)
    D_e(c) = (2/L) Σ_units [ (N_c - 1)(2l³ - 3l² + l)/3 + l² Σ_{gaps h, l_h ≥ l} (l_h - l + 1) ]
             / (mL(mL - 1) - Σ_units l(l - 1))
    """
    spans = list(spans)
    coders = tuple(sorted(coders if coders is not None else {s.coder for s in spans}))
    who = coded_by_from(spans) if coded_by is None else {a: set(c) for a, c in coded_by.items()}
    for s in spans:
        who.setdefault(s.article, set()).add(s.coder)
    wanted = set(coders)
    articles = tuple(a for a in who if wanted <= who[a]) if len(coders) >= 2 else ()
    lengths = {}
    for a in articles:
        if a not in texts:
            raise ValueError(f"no text (or length) given for article {a!r}")
        t = texts[a]
        lengths[a] = t if isinstance(t, int) else len(t)
    in_cont = set(articles)
    by: dict[str, dict[str, dict[str, list[tuple[int, int]]]]] = {}
    for s in spans:
        if s.article in in_cont and s.coder in wanted:
            by.setdefault(s.code, {}).setdefault(s.article, {}).setdefault(s.coder, []).append(
                (s.start, s.end))
    code_list = list(codes) if codes is not None else list(by)
    m, big_l = len(coders), sum(lengths.values())
    per_code: dict[str, tuple[float, float, float, int]] = {}
    merged_total, sum_o, sum_e = 0, 0.0, 0.0
    for code in code_list:
        observed = 0
        unit_lengths: list[int] = []
        gaps: list[int] = []
        for art, per_coder in by.get(code, {}).items():
            length = lengths[art]
            units = {}
            for c in coders:
                units[c], merges = _units_of(per_coder.get(c, []), length)
                merged_total += merges
                prev = 0
                for s, e in units[c]:
                    unit_lengths.append(e - s)
                    if s > prev:
                        gaps.append(s - prev)
                    prev = e
                if length > prev:
                    gaps.append(length - prev)
            for x, y in combinations(coders, 2):
                observed += _pair_disagreement(units[x], units[y])
        # articles in the continuum where nobody used the code are one gap per coder
        gaps += [lengths[a] for a in articles if a not in by.get(code, {})] * m
        n_c = len(unit_lengths)
        if n_c == 0 or big_l == 0:
            per_code[code] = (0.0, 0.0, NAN, 0)
            continue
        d_o = 2 * observed / (m * (m - 1) * big_l ** 2)
        ul = np.array(unit_lengths, dtype=np.float64)
        g = np.sort(np.array(gaps, dtype=np.float64))
        suffix = np.concatenate([np.cumsum(g[::-1])[::-1], [0.0]])
        first = np.searchsorted(g, ul, side="left")      # gaps at least as long as the unit
        fits = suffix[first] - (ul - 1) * (len(g) - first)
        numerator = ((n_c - 1) * (2 * ul ** 3 - 3 * ul ** 2 + ul) / 3 + ul ** 2 * fits).sum()
        denominator = m * big_l * (m * big_l - 1) - float((ul * (ul - 1)).sum())
        d_e = float(2 / big_l * numerator / denominator) if denominator > 0 else 0.0
        value = NAN if d_e <= 0 else 1.0 - d_o / d_e
        per_code[code] = (d_o, d_e, value, n_c)
        sum_o += d_o
        sum_e += d_e
    overall = NAN if sum_e <= 0 else 1.0 - sum_o / sum_e
    return UnitizingAlpha(coders, articles, big_l, per_code, overall, merged_total)


# ------------------------------------------------------------------- kappa and report

def cohen_kappa(a_values: Sequence[Any], b_values: Sequence[Any]) -> float:
    """Cohen's kappa over items both coders rated (None = not rated); NaN if undefined."""
    if len(a_values) != len(b_values):
        raise ValueError("the two value lists must have the same length")
    pairs = [(a, b) for a, b in zip(a_values, b_values) if not _is_missing(a)
             and not _is_missing(b)]
    if not pairs:
        return NAN
    n = len(pairs)
    p_o = sum(a == b for a, b in pairs) / n
    ca: dict[Any, int] = {}
    cb: dict[Any, int] = {}
    for a, b in pairs:
        ca[a] = ca.get(a, 0) + 1
        cb[b] = cb.get(b, 0) + 1
    p_e = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    return NAN if p_e == 1 else (p_o - p_e) / (1 - p_e)


def pairwise_kappa(values: Mapping[str, Sequence[Any]]) -> dict[tuple[str, str], float]:
    """Kappa for every pair of coders; `values` maps coder -> values over the same items."""
    return {(a, b): cohen_kappa(values[a], values[b]) for a, b in combinations(values, 2)}


@dataclass
class AgreementRow:
    measure: str                 # article_presence_alpha | alpha_u | alpha_u_all |
    codebook: str | None         # categorical_alpha | cohen_kappa_presence | cohen_kappa_answer
    code: str | None             # code key (None for a question and for alpha_u_all)
    question: str | None
    coders: tuple[str, ...]
    n_units: int                 # pairable units: articles or items; for α_u the spans (units)
    n_coders: int
    value: float | None          # None: undefined
    flagged: bool                # value below the threshold
    few_units: bool = False      # fewer than MIN_UNITS units: the value means little
    code_name: str | None = None  # the code's name, for people (the key is internal)


def _row(measure: str, codebook, code, question, coders, n_units, value, threshold
         ) -> AgreementRow:
    v = None if value is None or math.isnan(value) else float(value)
    coders = tuple(coders)
    return AgreementRow(measure, codebook, code, question, coders, n_units, len(coders), v,
                        v is not None and v < threshold, n_units < MIN_UNITS)


def row_subject(row: AgreementRow) -> str:
    """What a row is about, for people: the code's name (never its internal key), a
    question, or "all codes"."""
    if row.measure == "alpha_u_all":
        return "all codes"
    if row.question is not None:
        return f"question: {row.question}"
    return row.code_name or (row.code or "").rsplit("/", 1)[-1]


def format_value(value: float | None, digits: int = 3) -> str:
    """A figure for people: "undefined" for None/NaN, never "-0.000" (a value that rounds
    to zero is shown as zero)."""
    if value is None or math.isnan(value):
        return "undefined"
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _pairable(matrix: list[list[Any]]) -> int:
    return sum(1 for col in zip(*matrix) if sum(not _is_missing(v) for v in col) >= 2) \
        if matrix else 0


def agreement_report(spans: Sequence[XSpan], labels: Sequence[XLabel], codes: Sequence[XCode],
                     texts: Mapping[str, Any] | None = None, *,
                     coded_by: Mapping[str, set[str]] | None = None,
                     threshold: float = FLAG_BELOW, kappa: bool = True) -> list[AgreementRow]:
    """Reliability rows for every code used and every question answered.

    Per code: article presence alpha (spans and present-valued code labels), α_u (when the
    code has spans and `texts` is given) and, with `kappa`, Cohen's kappa on presence for
    each pair of coders; then α_u over all codes.  Per question: nominal alpha and pairwise
    kappa.  `coded_by` adds coders to articles (e.g. assignments): a coder of an article who
    left no span or label there counts as having found the code absent.
    """
    merged = coded_by_from(spans, labels)  # whoever annotated an article has coded it
    for art, who in (coded_by or {}).items():
        merged.setdefault(art, set()).update(who)
    arts = list(merged)
    coders = sorted({c for cs in merged.values() for c in cs})
    spans_of: dict[str, list[XSpan]] = {}
    for s in spans:
        spans_of.setdefault(s.code, []).append(s)
    labels_of: dict[str, list[XLabel]] = {}
    for x in labels:
        if x.code is not None:
            labels_of.setdefault(x.code, []).append(x)
    rows: list[AgreementRow] = []
    unitized = None
    span_codes = [c.key for c in codes if c.key in spans_of]
    if texts is not None and span_codes:
        unitized = unitizing_alpha(spans, texts, coders=coders, coded_by=merged,
                                   codes=span_codes)
    for c in codes:
        if c.key not in spans_of and c.key not in labels_of:
            continue
        mine = spans_of.get(c.key, [])
        mat = presence_matrix(mine, coders, arts, c.key, merged, labels=labels_of.get(c.key, []))
        rows.append(_row("article_presence_alpha", c.codebook, c.key, None, coders,
                         _pairable(mat), alpha(mat, "nominal"), threshold))
        if unitized is not None and mine:
            _, _, value, n_u = unitized.per_code.get(c.key, (0.0, 0.0, NAN, 0))
            rows.append(_row("alpha_u", c.codebook, c.key, None, unitized.coders, n_u,
                             value, threshold))
        if kappa:
            for (a, b), k in pairwise_kappa(dict(zip(coders, mat))).items():
                both = sum(1 for x, y in zip(mat[coders.index(a)], mat[coders.index(b)])
                           if x is not None and y is not None)
                rows.append(_row("cohen_kappa_presence", c.codebook, c.key, None, (a, b), both,
                                 k, threshold))
    names = {c.key: c.name for c in codes}
    for r in rows:
        r.code_name = names.get(r.code)
    if unitized is not None:
        rows.append(_row("alpha_u_all", None, None, None, unitized.coders,
                         sum(v[3] for v in unitized.per_code.values()), unitized.alpha,
                         threshold))
    for q in dict.fromkeys(x.question for x in labels if x.question is not None):
        ans = _answers(labels, q)
        q_coders = sorted({c for _, c in ans})
        q_arts = list(dict.fromkeys(a for a, _ in ans))
        mat = [[ans.get((a, c)) for a in q_arts] for c in q_coders]
        rows.append(_row("categorical_alpha", None, None, q, q_coders, _pairable(mat),
                         alpha(mat, "nominal"), threshold))
        if kappa:
            for (a, b), k in pairwise_kappa(dict(zip(q_coders, mat))).items():
                both = sum(1 for art in q_arts if (art, a) in ans and (art, b) in ans)
                rows.append(_row("cohen_kappa_answer", None, None, q, (a, b), both, k,
                                 threshold))
    return rows
