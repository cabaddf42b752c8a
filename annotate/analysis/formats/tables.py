"""Tabular exports: long CSV, wide CSV, and the SemEval-2023 Task 3 subtask 2 layout.

Long CSV: one row per annotation.  Span rows fill start/end (code points, end exclusive)
and quote; article-label rows leave them empty and fill question/value.  Columns:
    article_id, outlet, country, published, title, codebook, code, coder, start, end,
    quote, memo, question, value, code_key
(`code` is the code's name, `code_key` its FrameLens key.)

Wide CSV: one row per article and coder who annotated it; after the article columns, one
column per code (headed by its key) holding the number of that coder's spans of the code in
the article, or 1/0 for a code used as an article label; then one column per question
holding the coder's answer (several answers joined with " | ").

`bom=True` writes UTF-8 with a byte-order mark (what Excel needs to detect UTF-8).
`excel_safe=True` prefixes cells starting with = + - @ (a formula in a spreadsheet) with an
apostrophe; off by default, since it alters the data.

SemEval: `labels.txt` lines "article_id<TAB>Label1,Label2" and `articles/article<ID>.txt`.
Code names are mapped to the task's spellings (e.g. "Legality, constitutionality and
jurisprudence" -> "Legality_Constitutionality_and_jurisprudence"); "Other" has no SemEval
label and is left out; unknown names get underscores for spaces.  Keys that are not safe as
file names are replaced by a running number (the mapping is in the report).
"""

from __future__ import annotations

import csv
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, TextIO

from framelens.annotate.analysis.formats.model import XArticle, XProject, group_by_article, is_truthy

__all__ = ["LONG_COLUMNS", "iter_long_rows", "write_long_csv", "iter_wide_rows",
           "write_wide_csv", "write_semeval", "semeval_label", "SEMEVAL_FRAMES", "SemEvalReport"]

LONG_COLUMNS = ["article_id", "outlet", "country", "published", "title", "codebook", "code",
                "coder", "start", "end", "quote", "memo", "question", "value", "code_key"]
_ARTICLE_COLUMNS = ["article_id", "outlet", "country", "published", "title"]

SEMEVAL_FRAMES = [
    "Economic", "Capacity_and_resources", "Morality", "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence", "Policy_prescription_and_evaluation",
    "Crime_and_punishment", "Security_and_defense", "Health_and_safety", "Quality_of_life",
    "Cultural_identity", "Public_opinion", "Political", "External_regulation_and_reputation",
]


def _fold(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


_SEMEVAL_BY_FOLD = {_fold(x): x for x in SEMEVAL_FRAMES}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def semeval_label(name: str) -> str | None:
    """SemEval spelling of a frame name; None for "Other" (no such SemEval label)."""
    folded = _fold(name)
    if folded == "other":
        return None
    return _SEMEVAL_BY_FOLD.get(folded, re.sub(r"\s+", "_", name.strip()))


@contextmanager
def _open_text(dest: str | os.PathLike | TextIO, bom: bool) -> Iterator[TextIO]:
    if isinstance(dest, (str, os.PathLike)):
        with open(dest, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            yield fh
    else:
        if bom:
            dest.write("\ufeff")
        yield dest


def _cell(v: object, excel_safe: bool) -> object:
    if v is None:
        return ""
    if excel_safe and isinstance(v, str) and v.startswith(_FORMULA):
        return "'" + v
    return v


def _article_cells(a: XArticle) -> list[object]:
    return [a.key, a.outlet, a.country, a.published, a.title]


def iter_long_rows(project: XProject) -> Iterator[list[object]]:
    """Rows of the long table (without the header), article by article."""
    codes = project.code_map()
    spans, labels = group_by_article(project.spans), group_by_article(project.labels)
    for a in project.articles:
        head = _article_cells(a)
        for s in spans.get(a.key, []):
            c = codes.get(s.code)
            quote = s.quote if s.quote is not None else a.text[s.start:s.end]
            yield head + [c.codebook if c else None, c.name if c else s.code, s.coder, s.start,
                          s.end, quote, s.memo, None, None, s.code]
        for x in labels.get(a.key, []):
            c = codes.get(x.code) if x.code else None
            yield head + [c.codebook if c else None, c.name if c else x.code, x.coder, None,
                          None, None, None, x.question, x.value, x.code]


def _write_rows(dest, header: list[str], rows, bom: bool, excel_safe: bool) -> int:
    n = 0
    with _open_text(dest, bom) as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(header)
        for row in rows:
            w.writerow([_cell(v, excel_safe) for v in row])
            n += 1
    return n


def write_long_csv(project: XProject, dest: str | os.PathLike | TextIO, *, bom: bool = False,
                   excel_safe: bool = False) -> int:
    """Write the long table to a path or text file; returns the number of data rows."""
    return _write_rows(dest, LONG_COLUMNS, iter_long_rows(project), bom, excel_safe)


def iter_wide_rows(project: XProject, *, coded_by: dict[str, set[str]] | None = None
                   ) -> Iterator[list[object]]:
    """Header row, then one row per article and coder.

    The coders of an article are those with a span or label in it, plus those listed in
    `coded_by[article]` (a coder who read an article and coded nothing gets a row of zeros).
    """
    codes = project.code_map()
    label_codes = dict.fromkeys(x.code for x in project.labels if x.code is not None)
    code_cols = [c.key for c in project.codes]
    code_cols += [k for k in dict.fromkeys(s.code for s in project.spans) if k not in codes]
    code_cols += [k for k in label_codes if k not in code_cols]
    questions = list(dict.fromkeys(x.question for x in project.labels if x.question is not None))
    q_heads = [q if q not in code_cols else f"question: {q}" for q in questions]
    yield _ARTICLE_COLUMNS + ["coder"] + code_cols + q_heads
    col = {k: i for i, k in enumerate(code_cols)}
    qcol = {q: i for i, q in enumerate(questions)}
    spans, labels = group_by_article(project.spans), group_by_article(project.labels)
    for a in project.articles:
        sp, lb = spans.get(a.key, []), labels.get(a.key, [])
        coders = dict.fromkeys([*(s.coder for s in sp), *(x.coder for x in lb),
                                *sorted((coded_by or {}).get(a.key, ()))])
        for coder in coders:
            counts: list[object] = [0] * len(code_cols)
            answers: list[list[str]] = [[] for _ in questions]
            for s in sp:
                if s.coder == coder:
                    counts[col[s.code]] += 1
            for x in lb:
                if x.coder != coder:
                    continue
                if x.question is not None:
                    if x.value not in answers[qcol[x.question]]:
                        answers[qcol[x.question]].append(x.value)
                elif x.code is not None and counts[col[x.code]] == 0 and is_truthy(x.value):
                    counts[col[x.code]] = 1
            yield _article_cells(a) + [coder] + counts + [" | ".join(v) for v in answers]


def write_wide_csv(project: XProject, dest: str | os.PathLike | TextIO, *, bom: bool = False,
                   excel_safe: bool = False, coded_by: dict[str, set[str]] | None = None) -> int:
    """Write the wide table to a path or text file; returns the number of data rows."""
    rows = iter_wide_rows(project, coded_by=coded_by)
    header = next(rows)
    return _write_rows(dest, header, rows, bom, excel_safe)


@dataclass
class SemEvalReport:
    labels_path: Path
    article_ids: dict[str, str] = field(default_factory=dict)   # article key -> SemEval id
    left_out: dict[str, int] = field(default_factory=dict)     # code name -> spans/labels dropped


_SAFE_ID = re.compile(r"[A-Za-z0-9_-]+")


def write_semeval(project: XProject, out_dir: str | os.PathLike, *, codebook: str,
                  coder: str | None = None, title_line: bool = True) -> SemEvalReport:
    """Write `labels.txt` and `articles/article<ID>.txt` for the codes of `codebook`.

    An article's labels are the codes of `codebook` it carries as spans or present-valued
    article labels, by `coder` (or by any coder when None: a union).  With `title_line`, an
    article file starts with its title and a blank line, as the SemEval files do.
    """
    out = Path(out_dir)
    (out / "articles").mkdir(parents=True, exist_ok=True)
    codes = {c.key: c for c in project.codes if c.codebook == codebook}
    report = SemEvalReport(labels_path=out / "labels.txt")
    per_article: dict[str, list[str]] = {}

    def add(article: str, code_key: str) -> None:
        c = codes.get(code_key)
        if c is None:
            return
        lab = semeval_label(c.name)
        if lab is None:
            report.left_out[c.name] = report.left_out.get(c.name, 0) + 1
            return
        got = per_article.setdefault(article, [])
        if lab not in got:
            got.append(lab)

    for s in project.spans:
        if coder is None or s.coder == coder:
            add(s.article, s.code)
    for x in project.labels:
        if (coder is None or x.coder == coder) and x.code and x.question is None \
                and is_truthy(x.value):
            add(x.article, x.code)
    used: set[str] = set()
    with open(report.labels_path, "w", encoding="utf-8", newline="\n") as fh:
        for n, a in enumerate(project.articles, 1):
            ident = a.key if _SAFE_ID.fullmatch(a.key) and a.key not in used else f"{n:06d}"
            while ident in used:
                ident = f"{ident}_{n}"
            used.add(ident)
            report.article_ids[a.key] = ident
            body = f"{a.title}\n\n{a.text}" if title_line and a.title else a.text
            (out / "articles" / f"article{ident}.txt").write_text(body, encoding="utf-8",
                                                                   newline="\n")
            order = {lab: i for i, lab in enumerate(SEMEVAL_FRAMES)}
            labs = sorted(per_article.get(a.key, []), key=lambda x: (order.get(x, 99), x))
            fh.write(f"{ident}\t{','.join(labs)}\n")
    return report
