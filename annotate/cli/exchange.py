"""Dataset commands: export, import-dataset, merge, agreement."""

from __future__ import annotations

import sys
from pathlib import Path

import store

from .util import add_json_arg, add_project_arg, open_existing, print_json, print_table

from ..datasets import FORMATS, agreement_rows, export_dataset, read_dataset


def register(sub) -> None:
    p = sub.add_parser("export", help="export a labelled dataset",
                       description="Formats: jsonl (Prodigy-shaped tasks), spacy (train/dev DocBins "
                       "+ config.cfg), csv (one row per annotation), csv-wide (article × coder), "
                       "semeval (SemEval-2023 subtask 2 labels + texts), qdpx / qdc (REFI-QDA "
                       "project / codebook for MAXQDA, NVivo, ATLAS.ti, QualCoder).")
    add_project_arg(p)
    p.add_argument("--format", "-f", required=True, choices=FORMATS)
    p.add_argument("-o", "--output", required=True, help="file (jsonl, csv, qdpx, qdc) or folder (spacy, semeval)")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--coder", action="append", help="only this coder (repeatable)")
    who.add_argument("--adjudicated", action="store_true", help="only the adjudicated coding")
    p.add_argument("--codebook", action="append", help="only this codebook (key or name; repeatable)")
    p.add_argument("--story", help="only this story's articles")
    p.add_argument("--bom", action="store_true", help="csv: UTF-8 with BOM for spreadsheets")
    p.add_argument("--dev-fraction", type=float, default=0.2, help="spacy: share of articles in dev.spacy")
    p.add_argument("--seed", type=int, default=0, help="spacy: seed of the train/dev split")
    add_json_arg(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import-dataset", help="import a labelled dataset: .qdpx, .qdc, FrameLens or Prodigy .jsonl",
                       description="All or nothing per file: a file with a span outside its text, "
                       "hostile XML or a hostile zip is refused and the project is unchanged. "
                       "Articles are matched by text, codes by codebook and name, coders kept.")
    add_project_arg(p)
    p.add_argument("file")
    p.add_argument("--story", help="add the file's articles to this story")
    add_json_arg(p)
    p.set_defaults(func=cmd_import_dataset)

    p = sub.add_parser("merge", help="merge another coder's project file into this one")
    add_project_arg(p)
    p.add_argument("other", help="the other .framelens file")
    add_json_arg(p)
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("agreement", help="inter-coder agreement: Krippendorff's alpha, Cohen's kappa")
    add_project_arg(p)
    p.add_argument("--codebook", action="append", help="only this codebook (repeatable)")
    p.add_argument("--story", help="only this story's articles")
    add_json_arg(p)
    p.set_defaults(func=cmd_agreement)


def _selection(project, args):
    from ..exchange import project_to_x

    return project_to_x(project, coders=getattr(args, "coder", None),
                        adjudicated=getattr(args, "adjudicated", False),
                        codebooks=args.codebook, story=args.story)


def cmd_export(args) -> int:
    project = open_existing(args.project)
    xp = _selection(project, args)
    report = export_dataset(project, xp, args.format, args.output, bom=args.bom,
                            dev_fraction=args.dev_fraction, seed=args.seed)
    project.close()
    if args.json:
        print_json(report)
    else:
        moved = report.get("moved_spans") or []
        print(f"Exported {report['articles']} articles, {report['spans']} spans, "
              f"{report['labels']} article labels as {args.format} to {args.output}.")
        for m in moved:
            print(f"  span moved to token boundaries: {m}", file=sys.stderr)
    return 0


def cmd_import_dataset(args) -> int:
    from ..exchange import x_into_project

    project = open_existing(args.project)
    xp = read_dataset(args.file)
    report = x_into_project(project, xp, source=str(args.file), story=args.story)
    project.close()
    _print_import_report(args, report)
    return 0


def _print_import_report(args, report) -> None:
    if args.json:
        print_json(vars(report))
        return
    print(f"{args.project}: {report.summary()}.")
    for line in report.not_placed:
        print(f"  not placed: {line}")
    for line in report.conflicts:
        print(f"  conflict: {line}")


def cmd_merge(args) -> int:
    from ..exchange import merge_project_file

    project = open_existing(args.project)
    report = merge_project_file(project, args.other)
    project.close()
    _print_import_report(args, report)
    return 0


def cmd_agreement(args) -> int:
    project = open_existing(args.project)
    rows = agreement_rows(project, codebooks=args.codebook, story=args.story)
    project.close()
    if args.json:
        print_json([vars(r) for r in rows])
        return 0
    if not rows:
        print("No unit was coded by two or more coders yet.")
        return 0
    table = [{"measure": r.measure, "code or question": r.code or r.question,
              "coders": ", ".join(r.coders), "units": r.n_units,
              "value": "undefined" if r.value is None else f"{r.value:.3f}",
              "flag": "below 0.667" if r.flagged else ""} for r in rows]
    print_table(table, ["measure", "code or question", "coders", "units", "value", "flag"],
                widths={"code or question": 45, "coders": 24})
    return 0
