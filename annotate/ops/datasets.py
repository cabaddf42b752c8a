"""Labelled datasets out and in, agreement and disagreements over a project: the functions the
command line and the desktop dialogs share."""

from __future__ import annotations

import glob
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple

from framelens import store

from framelens.annotate.analysis.formats.model import XLabel, XSpan

FORMATS = ("jsonl", "spacy", "csv", "csv-wide", "semeval", "qdpx", "qdc")
FOLDER_FORMATS = ("spacy", "semeval")


class ExportCancelled(Exception):
    """The export was cancelled before it was published: nothing was written under its name."""


def export_dataset(project: store.Project, xp, fmt: str, output: str | Path, *, bom: bool = False,
                   dev_fraction: float = 0.2, seed: int = 0, unit: str = "article",
                   cancelled: Callable[[], bool] | None = None) -> dict:
    """Write ``xp`` in format ``fmt``; returns a small report (shared by the CLI and the dialog).

    Exports are atomic: everything is written under a hidden staging name beside ``output`` and
    renamed into place only when complete (file by file for the folder formats), so a crash or a
    kill never leaves a half-written dataset under the name the user chose.  The writers cannot
    stop half-way; ``cancelled()`` is asked once they are done, and when it says so the staging
    copy is discarded instead of published (:class:`ExportCancelled`): a file already under
    ``output`` is left as it was.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    output = Path(output)
    if store.is_open_project_file(output) or (
            output.exists() and project.path.exists() and output.resolve() == project.path.resolve()):
        # renaming a dataset over the open project (or its -wal) would replace the database
        raise ValueError(f"{output} is the project file itself; choose another name for the "
                         "dataset")
    output.parent.mkdir(parents=True, exist_ok=True)
    _clear_stale_staging(output)
    staging = output.with_name(f".{output.name}.part-{os.getpid()}")
    try:
        if fmt in FOLDER_FORMATS:
            staging.mkdir(parents=True, exist_ok=True)
        report = _write_dataset(xp, fmt, staging, bom=bom, dev_fraction=dev_fraction,
                                seed=seed, unit=unit, final=output)
        if cancelled is not None and cancelled():
            raise ExportCancelled(f"{output}: the export was cancelled; nothing was written")
        _publish(staging, output, folder=fmt in FOLDER_FORMATS)
    finally:
        if staging.is_dir():
            shutil.rmtree(staging, ignore_errors=True)
        elif staging.exists():
            staging.unlink()
    report["output"] = str(output)
    if report.get("config"):
        report["config"] = str(output / Path(report["config"]).name)
    return report


def _clear_stale_staging(output: Path) -> None:
    """Remove the staging copies of this output (``.NAME.part-PID``) and the temporary files of
    atomic writes beside it (``.tmp-PID-*``) left by exports that were killed: their process is
    gone.  Those of a running export are left alone."""
    from framelens.store.backup import pid_alive

    for entry in [*output.parent.glob(f".{glob.escape(output.name)}.part-*"),
                  *output.parent.glob(".tmp-*-*")]:
        name = entry.name
        pid = name.rsplit("-", 1)[-1] if ".part-" in name else name.split("-")[1]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _publish(staging: Path, output: Path, *, folder: bool) -> None:
    if not folder:
        os.replace(staging, output)
        return
    output.mkdir(parents=True, exist_ok=True)
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        dest = output / path.relative_to(staging)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, dest)


def _write_dataset(xp, fmt: str, output: Path, *, bom: bool, dev_fraction: float, seed: int,
                   unit: str, final: Path | None = None) -> dict:
    """Write into ``output`` (a staging name); ``final`` is where it will be published (the
    spaCy config names its data there)."""
    from framelens.annotate.analysis.formats import docbin, jsonl, refi, tables

    report: dict = {"format": fmt, "output": str(output), "articles": len(xp.articles),
                    "spans": len(xp.spans), "labels": len(xp.labels),
                    "agreement": export_agreement(xp)}
    if fmt in FOLDER_FORMATS and report["agreement"]:
        (output / AGREEMENT_FILE).write_text(
            json.dumps(report["agreement"], ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if fmt == "jsonl":
        import spacy

        report["tasks"] = jsonl.write_jsonl(xp, output, nlp_tokenizer=spacy.blank("en").tokenizer)
    elif fmt == "spacy":
        from framelens.annotate.analysis.nlp.pipeline import load_pipeline

        nlp = load_pipeline("en").nlp
        result = docbin.write_docbin(xp, output, nlp=nlp, dev_fraction=dev_fraction, seed=seed,
                                     unit=unit, data_dir=final if final is not None else output)
        report["moved_spans"] = [vars(m) for m in result.moved]
        report["dropped_spans"] = [vars(m) for m in getattr(result, "dropped", [])]
        report.update(unit=unit, train_docs=result.n_train, dev_docs=result.n_dev,
                      config=str(result.config_path) if result.config_path else None,
                      span_keys=result.span_keys)
    elif fmt == "csv":
        tables.write_long_csv(xp, output, bom=bom)
    elif fmt == "csv-wide":
        tables.write_wide_csv(xp, output, bom=bom)
    elif fmt == "semeval":
        tables.write_semeval(xp, output, codebook="semeval2023_frames")
    elif fmt == "qdpx":
        refi.write_qdpx(xp, output)
    elif fmt == "qdc":
        refi.write_qdc(xp.codes, output)
    return report


#: the file a folder export (spacy, semeval) writes its spans' agreement to
AGREEMENT_FILE = "agreement.json"


def export_agreement(xp) -> list[dict]:
    """Krippendorff's α_u of the spans an export holds, per code and over all codes, when two or
    more coders (the adjudicated coder aside) coded spans in it; ``[]`` otherwise.

    Computed by :func:`annotate.agreement.agreement_report` on exactly the articles, codes and
    coders exported (docs/agreement.md gives the definition).  One dict per row: ``measure``
    (``alpha_u`` or ``alpha_u_all``), ``code`` (its name; "all codes" for the overall row),
    ``code_key``, ``codebook``, ``coders``, ``n_units`` (spans), ``value`` (None when undefined)
    and ``few_units`` (fewer units than the agreement view trusts).
    """
    from framelens.annotate.analysis.agreement import agreement_report, row_subject

    spans = [s for s in xp.spans if s.coder != store.ADJUDICATED]
    if len({s.coder for s in spans}) < 2:
        return []
    texts = {a.key: a.text for a in xp.articles}
    rows = agreement_report(spans, [], xp.codes, texts, kappa=False)
    return [{"measure": r.measure, "code": row_subject(r), "code_key": r.code,
             "codebook": r.codebook, "coders": list(r.coders), "n_units": r.n_units,
             "value": r.value, "few_units": r.few_units}
            for r in rows if r.measure in ("alpha_u", "alpha_u_all")]


def read_dataset(path: str | Path):
    """The file as an XProject (a .qdc codebook gives one holding only its codes)."""
    from framelens.annotate.analysis.formats import jsonl, refi

    if store.is_open_project_file(path):      # its close() would drop this process's locks
        raise ValueError(f"{path} is a FrameLens project open in this program, not a dataset")
    suffix = Path(path).suffix.lower()
    if suffix == ".qdpx":
        return refi.read_qdpx(path)
    if suffix == ".qdc":
        return refi.read_qdc_project(path)
    if suffix in (".jsonl", ".json"):
        return jsonl.read_jsonl(path)
    raise ValueError(f"{path}: not a dataset this command reads (.qdpx, .qdc, .jsonl); "
                     "import plain articles with 'framelens import'")


def agreement_rows(project: store.Project, *, codebooks=None, story=None):
    """Agreement of every coder but the adjudicated one (shared by the CLI and the view)."""
    from framelens.annotate.analysis.agreement import agreement_report
    from .exchange import project_to_x

    coders = [c.name for c in store.list_coders(project) if c.name != store.ADJUDICATED]
    xp = project_to_x(project, coders=coders, codebooks=codebooks, story=story)
    texts = {a.key: a.text for a in xp.articles}
    return agreement_report(xp.spans, xp.labels, xp.codes, texts)


# -- disagreements -------------------------------------------------------------------------------
@dataclass
class DisagreementItem:
    """One place where the coders of an article disagree, with every coder's version.

    ``kind`` is "span" (a code's spans differ: ``start``/``end`` is the extent of a group of
    overlapping spans of the code, every one of them a version; ``ranges`` are the character
    runs inside it where some but not all coders of the article put the code) or
    "label" (article-level answers to a code or question differ; no range).  ``versions`` maps
    coder -> their rows: for spans ``{"id", "start", "end", "quote"}``, for labels
    ``{"id", "value"}``; a coder of the article without a version is in ``missing``.
    ``adjudicated`` tells whether the adjudicated coding resolves it (a span of the code
    overlapping the extent, a "kept none" decision overlapping it, or a label for the same code
    or question); ``adjudication`` lists those rows.
    """

    kind: str
    article_id: int
    outlet: str | None
    country: str | None
    title: str | None
    codebook: str
    code: str | None              # code key "codebook/name"
    code_id: int | None
    question: str | None
    start: int | None
    end: int | None
    ranges: list[tuple[int, int]] = field(default_factory=list)
    covering: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    versions: dict[str, list[dict]] = field(default_factory=dict)
    adjudicated: bool = False
    adjudication: list[dict] = field(default_factory=list)


def _selected(project: store.Project, *, codebooks=None, story=None):
    """Selected codes (id -> (key, codebook key)), questions, articles and the adjudicator."""
    books = store.list_codebooks(project)
    if codebooks:
        books = [store.get_codebook(project, c) for c in codebooks]
    keys = {b.id: b.key for b in books}
    codes = {c.id: (f"{keys[c.codebook_id]}/{c.name}", keys[c.codebook_id])
             for c in store.list_codes(project) if c.codebook_id in keys}
    questions = {q.id: (q.key, keys[q.codebook_id]) for q in store.list_questions(project)
                 if q.codebook_id in keys}
    summaries = store.list_articles(
        project, story_id=store.get_story(project, story).id if story is not None else None)
    return codes, questions, {a.id: a for a in summaries}, store.find_coder(project, store.ADJUDICATED)


def resolve_code_id(project: store.Project, code: str | int | None, codebooks=None) -> int | None:
    """A code's id from an id, a key "codebook/name" or a name (unique, or in the one codebook)."""
    if code is None or isinstance(code, int):
        return code
    book, _, name = code.rpartition("/")
    if book and book in {b.key for b in store.list_codebooks(project)}:
        return store.find_code(project, name, book).id
    only = codebooks[0] if codebooks and len(codebooks) == 1 else None
    return store.find_code(project, code, only).id


def disagreement_list(project: store.Project, *, code: str | int | None = None,
                      story: str | int | None = None, codebooks=None,
                      labels: bool = True) -> list[DisagreementItem]:
    """Every disagreement between the coders (the adjudicated coder aside), article by article.

    ``code`` (an id, a key "codebook/name", or a name) limits to one code; ``codebooks`` and
    ``story`` limit as for exports.  Built on :func:`annotate.agreement.disagreements`: a coder
    counts as a coder of an article when they left any span or label in the selection there.
    """
    from framelens.annotate.analysis.agreement import coded_by_from, disagreements

    codes, questions, arts, adj = _selected(project, codebooks=codebooks, story=story)
    only_code = resolve_code_id(project, code, codebooks)
    adj_id = adj.id if adj else None
    scope = None if story is None else list(arts)
    coder_names = {c.id: c.name for c in store.list_coders(project)}
    xspans: dict[str, list[XSpan]] = {}          # code key -> the coders' spans of it
    versions_of: dict[tuple[int, str], list[_Version]] = {}
    rows = store.iter_annotation_rows(
        project, coder_ids=[c for c in coder_names if c != adj_id],
        code_ids=list(codes) if codebooks else None)
    for ann_id, aid, start, end, code_id, coder_id, quote, memo in rows:
        if code_id not in codes or aid not in arts:
            continue
        key, coder = codes[code_id][0], coder_names[coder_id]
        xspans.setdefault(key, []).append(XSpan(str(aid), start, end, key, coder, memo, quote))
        versions_of.setdefault((aid, key), []).append(_Version(ann_id, start, end, coder, quote))
    adj_spans: dict[tuple[int, int], list[store.Annotation]] = {}
    for an in store.list_annotations(project, coder_ids=[adj_id] if adj_id else []):
        adj_spans.setdefault((an.article_id, an.code_id), []).append(an)
    xlabels, label_rows = [], {}
    adj_labels: dict[tuple, store.ArticleLabel] = {}
    for lab in store.list_article_labels(project, article_ids=scope):
        target = ("code", lab.code_id) if lab.code_id is not None else ("question", lab.question_id)
        if (target[0] == "code" and lab.code_id not in codes) or \
                (target[0] == "question" and lab.question_id not in questions):
            continue
        if lab.coder_id == adj_id:
            adj_labels[(lab.article_id, *target)] = lab
            continue
        key = codes[lab.code_id][0] if lab.code_id is not None else None
        q = questions[lab.question_id][0] if lab.question_id is not None else None
        xlabels.append(XLabel(str(lab.article_id), coder_names[lab.coder_id], key, q, lab.value))
        label_rows.setdefault((lab.article_id, *target), []).append(lab)
    coded_by = coded_by_from([x for lst in xspans.values() for x in lst], xlabels)
    kept = {}
    for k in store.kept_none(project, scope):
        kept.setdefault((k.article_id, k.code_id), []).append(k)

    items: list[DisagreementItem] = []
    code_by_key = {key: cid for cid, (key, _) in codes.items()}
    for key, spans_of_code in xspans.items():
        cid = code_by_key[key]
        if only_code is not None and cid != only_code:
            continue
        groups: dict[tuple, DisagreementItem] = {}
        clusters: dict[int, list[tuple[int, int, list[_Version]]]] = {}
        for d in disagreements(spans_of_code, key, coded_by=coded_by):
            aid = int(d.article)
            if aid not in clusters:
                clusters[aid] = _clusters(versions_of[(aid, key)])
            lo, hi, versions = next(c for c in clusters[aid] if c[0] <= d.start < c[1])
            item = groups.get((aid, lo))
            if item is None:
                a = arts[aid]
                item = groups[(aid, lo)] = DisagreementItem(
                    "span", aid, a.outlet, a.country, a.title, codes[cid][1], key, cid, None,
                    lo, hi)
                for h in sorted(versions, key=lambda h: (h.coder, h.start, h.end)):
                    item.versions.setdefault(h.coder, []).append(
                        {"id": h.id, "start": h.start, "end": h.end, "quote": h.quote})
                item.covering = sorted(item.versions)
                item.missing = sorted(set(coded_by.get(d.article, ())) - set(item.versions))
            item.ranges.append((d.start, d.end))
        for item in groups.values():
            _resolve_span(item, adj_spans.get((item.article_id, cid), []),
                          kept.get((item.article_id, cid), []))
            items.append(item)
    if labels:
        items += _label_items(label_rows, adj_labels, arts, codes, questions, coder_names,
                              only_code)
    items.sort(key=lambda i: (i.article_id, i.kind != "label", i.start or 0, i.code or "",
                              i.question or ""))
    return items


class _Version(NamedTuple):
    id: int
    start: int
    end: int
    coder: str
    quote: str


def _clusters(spans: list[_Version]) -> list[tuple[int, int, list[_Version]]]:
    """Groups of transitively overlapping spans, as (start, end, spans)."""
    out: list[tuple[int, int, list[_Version]]] = []
    for sp in sorted(spans, key=lambda a: (a.start, a.end)):
        if out and sp.start < out[-1][1]:
            lo, hi, members = out[-1]
            out[-1] = (lo, max(hi, sp.end), members + [sp])
        else:
            out.append((sp.start, sp.end, [sp]))
    return out


def _resolve_span(item: DisagreementItem, adj_spans, kept) -> None:
    for an in adj_spans:
        if an.start < item.end and an.end > item.start:
            item.adjudication.append({"id": an.id, "start": an.start, "end": an.end,
                                      "quote": an.quote, "origin": an.origin})
    for k in kept:
        if k.start < item.end and k.end > item.start:
            item.adjudication.append({"kept_none": True, "action_id": k.action_id,
                                      "start": k.start, "end": k.end})
    item.adjudicated = bool(item.adjudication)


def _label_items(label_rows, adj_labels, arts, codes, questions, coder_names, only_code):
    out = []
    for (aid, kind, target), rows in label_rows.items():
        if kind == "code" and only_code is not None and target != only_code:
            continue
        if kind == "question" and only_code is not None:
            continue
        if len({r.coder_id for r in rows}) < 2 or len({r.value for r in rows}) < 2:
            continue
        a = arts[aid]
        key, book = codes[target] if kind == "code" else (None, questions[target][1])
        item = DisagreementItem("label", aid, a.outlet, a.country, a.title, book, key,
                                target if kind == "code" else None,
                                questions[target][0] if kind == "question" else None, None, None)
        for r in sorted(rows, key=lambda r: coder_names[r.coder_id]):
            item.versions.setdefault(coder_names[r.coder_id], []).append(
                {"id": r.id, "value": r.value})
        item.covering = sorted(item.versions)
        adj = adj_labels.get((aid, kind, target))
        if adj is not None:
            item.adjudicated = True
            item.adjudication.append({"id": adj.id, "value": adj.value, "origin": adj.origin})
        out.append(item)
    return out
