"""Labelled datasets out and in, and agreement over a project: the functions the command line
and the desktop dialogs share."""

from __future__ import annotations

from pathlib import Path

import store

FORMATS = ("jsonl", "spacy", "csv", "csv-wide", "semeval", "qdpx", "qdc")


def export_dataset(project: store.Project, xp, fmt: str, output: str | Path, *, bom: bool = False,
                   dev_fraction: float = 0.2, seed: int = 0) -> dict:
    """Write ``xp`` in format ``fmt``; returns a small report (shared by the CLI and the dialog)."""
    from .formats import docbin, jsonl, refi, tables

    output = Path(output)
    report: dict = {"format": fmt, "output": str(output), "articles": len(xp.articles),
                    "spans": len(xp.spans), "labels": len(xp.labels)}
    if fmt == "jsonl":
        import spacy

        report["tasks"] = jsonl.write_jsonl(xp, output, nlp_tokenizer=spacy.blank("en").tokenizer)
    elif fmt == "spacy":
        from .nlp.pipeline import load_pipeline

        nlp = load_pipeline("en").nlp
        result = docbin.write_docbin(xp, output, nlp=nlp, dev_fraction=dev_fraction, seed=seed)
        report["moved_spans"] = [vars(m) for m in result.moved]
        report["dropped_spans"] = [vars(m) for m in getattr(result, "dropped", [])]
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
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return report


def read_dataset(path: str | Path):
    from .formats import jsonl, refi

    suffix = Path(path).suffix.lower()
    if suffix == ".qdpx":
        return refi.read_qdpx(path)
    if suffix == ".qdc":
        return refi.read_qdc(path)
    if suffix in (".jsonl", ".json"):
        return jsonl.read_jsonl(path)
    raise ValueError(f"{path}: not a dataset this command reads (.qdpx, .qdc, .jsonl); "
                     "import plain articles with 'framelens import'")


def agreement_rows(project: store.Project, *, codebooks=None, story=None):
    """Agreement of every coder but the adjudicated one (shared by the CLI and the view)."""
    from .agreement import agreement_report
    from .exchange import project_to_x

    coders = [c.name for c in store.list_coders(project) if c.name != store.ADJUDICATED]
    xp = project_to_x(project, coders=coders, codebooks=codebooks, story=story)
    texts = {a.key: a.text for a in xp.articles}
    return agreement_report(xp.spans, xp.labels, xp.codes, texts)
