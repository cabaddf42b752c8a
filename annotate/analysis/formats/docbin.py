"""spaCy training data: `train.spacy`, `dev.spacy` (DocBin) and a span-categorizer config.

Decisions
- Docs are made with the pipeline's tokenizer only (`nlp.tokenizer.pipe`); nothing else runs.
- Spans go to `doc.spans[span_key_for(codebook)]`, one key per codebook; every doc gets every
  key (possibly empty) so spaCy never meets a missing key.  The span label is the code name.
  Spans are snapped outwards to token boundaries (`alignment_mode="expand"`); every span that
  moved is listed in the report with its old and new offsets, and spans that cannot be placed
  (empty, or only whitespace) are listed as dropped.  Identical spans from several coders are
  kept once.
- `doc.cats` holds article labels.  A code label (`XLabel.code`) gives the category named
  after the code: 1.0 when the value means present ("1", "yes", ...), else 0.0.  An answered
  question gives "<question>=<value>" = 1.0.  For a doc that has any label, every other
  category seen in the export is set to 0.0 (complete annotation for textcat_multilabel);
  docs without labels keep empty cats (unknown, not negative).  Category names that would be
  ambiguous between codebooks use the code key instead of the name.
- With `coder=None` all coders' annotations are merged (a union); pass `coder` (for instance
  an adjudicated "gold" coder) to export one coder's view.
- Only articles with at least one span or label are exported unless `include_unannotated`.
- The split is a seeded shuffle: the same project, fraction and seed give the same split.
  With two or more docs the dev set has at least one doc and the train set keeps at least one.
- `unit` chooses what one Doc is: "article" (default), "paragraph" (each run of non-blank
  text between line ends, trimmed of surrounding whitespace) or "sentence" (each paragraph cut
  by spaCy's rule-based `Sentencizer`; no trained model is needed).  Span offsets are re-based
  on the unit's start; a span crossing a unit boundary is cut into one piece per unit it
  covers, and each cut piece is reported as moved (old and new offsets are always article
  offsets).  Every unit of an exported article is written, so units without spans are real
  negatives.  Article labels are judgements about the whole article, so unit docs get empty
  `doc.cats` (and `cats` in the report is empty).  The split is over the unit docs, and the
  report's train/dev lists name them "<article key>@<start>-<end>".
- `config.cfg` comes from spaCy's own `init_config` (the quickstart generator) for a
  `spancat` pipeline, shrunk to train on CPU in seconds; its `spans_key` is the main codebook's
  key (the codebook with most spans unless `main_codebook` is given) and `[paths]` name
  `train.spacy` and `dev.spacy` in the folder the export ends up in (`data_dir`, by default
  `out_dir`; an export written under a staging name passes its final folder), as absolute
  paths: spaCy resolves relative `[paths]` against the working directory, not the config, so
  this is what lets `python -m spacy train FOLDER/config.cfg` run from anywhere without
  `--paths.*` overrides.  A folder moved elsewhere needs `--paths.train` / `--paths.dev`.  The quickstart
  n-gram suggester (1-3 tokens) is kept: long frame passages need larger sizes, which the
  caller can set with `ngram_sizes`.
"""

from __future__ import annotations

import random
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from framelens.annotate.analysis.formats.model import XArticle, XCode, XLabel, XProject, XSpan, is_truthy

__all__ = ["write_docbin", "spancat_config", "DocBinReport", "MovedSpan", "UNITS"]


@dataclass
class MovedSpan:
    article: str
    code: str
    coder: str
    old: tuple[int, int]
    new: tuple[int, int] | None  # None: the span could not be placed and was dropped


@dataclass
class DocBinReport:
    train_path: Path
    dev_path: Path
    config_path: Path | None
    n_train: int
    n_dev: int
    span_keys: dict[str, str]           # codebook -> doc.spans key
    main_key: str | None
    cats: list[str]
    moved: list[MovedSpan] = field(default_factory=list)
    dropped: list[MovedSpan] = field(default_factory=list)
    train_articles: list[str] = field(default_factory=list)
    dev_articles: list[str] = field(default_factory=list)
    unit: str = "article"


def spancat_config(spans_key: str, *, lang: str = "en", train: str | None = None,
                   dev: str | None = None, ngram_sizes: Sequence[int] = (1, 2, 3),
                   max_steps: int = 200, eval_frequency: int = 50) -> Any:
    """A small CPU `spancat` training config built with spaCy's quickstart generator."""
    from spacy.cli.init_config import init_config

    cfg = init_config(lang=lang, pipeline=["spancat"], optimize="efficiency", gpu=False,
                      silent=True)
    spancat = cfg["components"]["spancat"]
    spancat["spans_key"] = spans_key
    spancat["suggester"]["sizes"] = [int(n) for n in ngram_sizes]
    tok2vec = cfg["components"]["tok2vec"]["model"]
    tok2vec["encode"]["width"] = 64
    tok2vec["encode"]["depth"] = 2
    tok2vec["embed"]["rows"] = [2000, 1000, 1000, 1000]
    spancat["model"]["reducer"]["hidden_size"] = 64
    weights = {f"spans_sc_{m}": None for m in "fpr"}  # the factory's default key: hidden
    weights.update({f"spans_{spans_key}_f": 1.0, f"spans_{spans_key}_p": 0.0,
                    f"spans_{spans_key}_r": 0.0})
    cfg["training"]["score_weights"] = weights
    cfg["training"]["max_steps"] = max_steps
    cfg["training"]["eval_frequency"] = eval_frequency
    cfg["training"]["patience"] = max(4 * eval_frequency, 200)
    cfg["paths"]["train"] = train
    cfg["paths"]["dev"] = dev
    return cfg


def _cat_names(codes: Sequence[XCode]) -> dict[str, str]:
    """Code key -> category name: the name, or the key when names clash across codebooks."""
    books: dict[str, set[str]] = {}
    for c in codes:
        books.setdefault(c.name, set()).add(c.codebook)
    return {c.key: c.name if len(books[c.name]) == 1 else c.key for c in codes}


def _split(keys: list[str], dev_fraction: float, seed: int) -> tuple[set[str], set[str]]:
    order = list(keys)
    random.Random(seed).shuffle(order)
    n = len(order)
    n_dev = 0
    if n >= 2 and dev_fraction > 0:
        n_dev = min(max(1, round(n * dev_fraction)), n - 1)
    return set(order[n_dev:]), set(order[:n_dev])


def _cats_for(labels: list[XLabel], cat_names: dict[str, str], all_cats: list[str]
              ) -> dict[str, float]:
    if not labels:
        return {}
    cats = dict.fromkeys(all_cats, 0.0)
    for lab in labels:
        if lab.question is not None:
            cats[f"{lab.question}={lab.value}"] = 1.0
        elif lab.code is not None and is_truthy(lab.value):
            cats[cat_names.get(lab.code, lab.code)] = 1.0
    return cats


UNITS = ("article", "paragraph", "sentence")


def _trimmed(text: str, s: int, e: int) -> tuple[int, int]:
    """``(s, e)`` narrowed to exclude leading and trailing whitespace (``s == e`` if blank)."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of text between line ends, trimmed of whitespace."""
    spans = (_trimmed(text, m.start(), m.end()) for m in re.finditer(r"[^\n]+", text))
    return [(s, e) for s, e in spans if s < e]


def _unit_ranges(text: str, unit: str, tokenizer: Any, sentencizer: Any) -> list[tuple[int, int]]:
    if unit == "article":
        return [(0, len(text))]
    paras = _paragraphs(text)
    if unit == "paragraph":
        return paras
    out = []
    for (ps, pe), doc in zip(paras, tokenizer.pipe(text[ps:pe] for ps, pe in paras)):
        for sent in sentencizer(doc).sents:
            s, e = _trimmed(text, ps + sent.start_char, ps + sent.end_char)
            if s < e:
                out.append((s, e))
    return out


def _pieces(spans: list[XSpan], ranges: list[tuple[int, int]]) -> list[list[tuple]]:
    """For each unit range, the (span, start, end) pieces of `spans` inside it."""
    out: list[list[tuple]] = [[] for _ in ranges]
    starts = [r[0] for r in ranges]
    for s in spans:
        i = max(bisect_right(starts, s.start) - 1, 0)
        while i < len(ranges) and ranges[i][0] < max(s.end, s.start + 1):
            us, ue = ranges[i]
            cs, ce = max(s.start, us), min(s.end, ue)
            if cs < ce:
                out[i].append((s, cs, ce))
            i += 1
    return out


def write_docbin(project: XProject, out_dir: str | Path, *, nlp: Any, dev_fraction: float = 0.2,
                 seed: int = 0, span_key_for: Callable[[str], str] = lambda codebook: codebook,
                 coder: str | None = None, main_codebook: str | None = None,
                 include_unannotated: bool = False, write_config: bool = True,
                 ngram_sizes: Sequence[int] = (1, 2, 3), batch_size: int = 256,
                 unit: str = "article", data_dir: str | Path | None = None) -> DocBinReport:
    """Write train/dev DocBins (and `config.cfg`) for `project` into `out_dir`; the config
    names the files in `data_dir` (default `out_dir`), where they will be read from."""
    from spacy.tokens import DocBin

    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    code_map = project.code_map()
    spans = [s for s in project.spans if coder is None or s.coder == coder]
    labels = [x for x in project.labels if coder is None or x.coder == coder]
    for s in spans:
        if s.code not in code_map:
            raise ValueError(f"span refers to unknown code {s.code!r}")
    books = list(dict.fromkeys(c.codebook for c in project.codes))
    span_keys = {b: span_key_for(b) for b in books}
    by_art: dict[str, list[XSpan]] = {}
    for s in spans:
        by_art.setdefault(s.article, []).append(s)
    lab_by_art: dict[str, list[XLabel]] = {}
    for x in labels:
        lab_by_art.setdefault(x.article, []).append(x)

    cat_names = _cat_names(project.codes)
    all_cats = list(dict.fromkeys(
        f"{x.question}={x.value}" if x.question is not None else cat_names.get(x.code, x.code)
        for x in labels if x.question is not None or x.code is not None))
    articles: list[XArticle] = [a for a in project.articles if include_unannotated
                                or a.key in by_art or a.key in lab_by_art]
    tokenizer = getattr(nlp, "tokenizer", nlp)
    sentencizer = None
    if unit == "sentence":
        from spacy.pipeline import Sentencizer

        sentencizer = Sentencizer()
    units: list[tuple[XArticle, str, int, int, list[tuple]]] = []
    unplaced: list[XSpan] = []  # spans that fall in no unit (only whitespace between units)
    for a in articles:
        mine = sorted(by_art.get(a.key, []), key=lambda s: (s.start, s.end, s.code))
        for s in mine:
            if not 0 <= s.start <= s.end <= len(a.text):
                raise ValueError(f"span {s.start}-{s.end} outside article {a.key!r}")
        ranges = _unit_ranges(a.text, unit, tokenizer, sentencizer)
        pieces = _pieces(mine, ranges) if unit != "article" else [[(s, s.start, s.end) for s in mine]]
        placed = {id(p[0]) for group in pieces for p in group}
        unplaced += [s for s in mine if id(s) not in placed]
        for (us, ue), group in zip(ranges, pieces):
            name = a.key if unit == "article" else f"{a.key}@{us}-{ue}"
            units.append((a, name, us, ue, group))
    _, dev_keys = _split([u[1] for u in units], dev_fraction, seed)
    counts: dict[str, int] = {}
    for s in spans:
        counts[code_map[s.code].codebook] = counts.get(code_map[s.code].codebook, 0) + 1
    main = main_codebook or (max(counts, key=counts.get) if counts else (books[0] if books else None))

    report = DocBinReport(train_path=out / "train.spacy", dev_path=out / "dev.spacy",
                          config_path=None, n_train=0, n_dev=0, span_keys=span_keys,
                          main_key=span_keys.get(main, span_key_for(main)) if main else None,
                          cats=all_cats if unit == "article" else [], unit=unit)
    train_bin, dev_bin = DocBin(store_user_data=False), DocBin(store_user_data=False)
    report.dropped += [MovedSpan(s.article, s.code, s.coder, (s.start, s.end), None)
                       for s in unplaced]
    docs = tokenizer.pipe((a.text[us:ue] for a, _, us, ue, _ in units), batch_size=batch_size)
    for (a, name, us, ue, pieces), doc in zip(units, docs):
        groups: dict[str, list] = {k: [] for k in span_keys.values()}
        seen: set[tuple] = set()
        for s, cs, ce in pieces:
            c = code_map[s.code]
            sp = doc.char_span(cs - us, ce - us, label=c.name, alignment_mode="expand")
            if sp is None or s.start == s.end or len(sp) == 0 or not sp.text.strip():
                report.dropped.append(MovedSpan(a.key, s.code, s.coder, (s.start, s.end), None))
                continue
            new = (us + sp.start_char, us + sp.end_char)
            if new != (s.start, s.end):
                report.moved.append(MovedSpan(a.key, s.code, s.coder, (s.start, s.end), new))
            ident = (span_keys[c.codebook], sp.start, sp.end, c.name)
            if ident not in seen:
                seen.add(ident)
                groups[span_keys[c.codebook]].append(sp)
        for k, group in groups.items():
            doc.spans[k] = group
        if unit == "article":
            doc.cats = _cats_for(lab_by_art.get(a.key, []), cat_names, all_cats)
        if name in dev_keys:
            dev_bin.add(doc)
            report.dev_articles.append(name)
        else:
            train_bin.add(doc)
            report.train_articles.append(name)
    report.n_train, report.n_dev = len(report.train_articles), len(report.dev_articles)
    train_bin.to_disk(report.train_path)
    dev_bin.to_disk(report.dev_path)
    if write_config and report.main_key is not None:
        final = Path(data_dir if data_dir is not None else out).resolve()
        cfg = spancat_config(report.main_key, lang=getattr(nlp, "lang", None) or "en",
                             train=str(final / report.train_path.name),
                             dev=str(final / report.dev_path.name), ngram_sizes=ngram_sizes)
        report.config_path = out / "config.cfg"
        cfg.to_disk(report.config_path)
    return report
