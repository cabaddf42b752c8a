"""Dataset commands: export, import-dataset, merge, agreement, disagreements, adjudicate."""

from __future__ import annotations

import sys

from framelens import store

from .util import add_json_arg, add_project_arg, open_existing, print_json, print_table

from framelens.annotate.ops.datasets import (
    FORMATS, agreement_rows, disagreement_list, export_dataset, read_dataset, resolve_code_id,
)


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
    p.add_argument("--unit", choices=("article", "paragraph", "sentence"), default="article",
                   help="spacy: one Doc per article (default), paragraph or sentence; spans are "
                   "re-based on the unit, article labels are only kept with 'article'")
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

    p = sub.add_parser("agreement", help="inter-coder agreement: Krippendorff's alpha and α_u, Cohen's kappa",
                       description="Per code: alpha on presence in the article, Krippendorff's "
                       "unitizing alpha α_u on the spans and Cohen's kappa per pair of coders; "
                       "α_u over all codes; per article question: alpha and kappa.  Figures on "
                       "fewer than 10 units are flagged.  See docs/agreement.md.")
    add_project_arg(p)
    p.add_argument("--codebook", action="append", help="only this codebook (repeatable)")
    p.add_argument("--story", help="only this story's articles")
    add_json_arg(p)
    p.set_defaults(func=cmd_agreement)

    p = sub.add_parser("disagreements", help="where coders disagree, every coder's version side by side",
                       description="Span disagreements (runs of text where some but not all coders "
                       "of an article put a code) and differing article-level answers, each with "
                       "the annotation or label ids to pass to 'framelens adjudicate'.")
    add_project_arg(p)
    p.add_argument("--code", help="only this code (name, or codebook/name)")
    p.add_argument("--codebook", action="append", help="only this codebook (repeatable)")
    p.add_argument("--story", help="only this story's articles")
    p.add_argument("--open", action="store_true", help="only those not adjudicated yet")
    add_json_arg(p)
    p.set_defaults(func=cmd_disagreements)

    p = sub.add_parser("adjudicate", help="make a coder's version the adjudicated coding",
                       description="Copies a span (--annotation, optionally with new --start/--end "
                       "or --code) or an article label (--label, optionally with a new --value) "
                       "into the coder 'adjudicated'; --keep-none records that none of the "
                       "versions of --code in --article between --start and --end is kept. "
                       "Each is one action; --undo ACTION reverses one.")
    add_project_arg(p)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--annotation", type=int, help="id of the span to copy")
    what.add_argument("--label", type=int, help="id of the article label to copy")
    what.add_argument("--keep-none", action="store_true", help="resolve by keeping no version")
    what.add_argument("--undo", type=int, metavar="ACTION", help="undo an adjudication action")
    p.add_argument("--article", type=int, help="--keep-none: the article id")
    p.add_argument("--start", type=int, help="new start (code points)")
    p.add_argument("--end", type=int, help="new end (code points, exclusive)")
    p.add_argument("--code", help="another code (name, or codebook/name)")
    p.add_argument("--value", help="--label: another value")
    p.add_argument("--by", help="the adjudicator's coder name (recorded in the history)")
    add_json_arg(p)
    p.set_defaults(func=cmd_adjudicate)


def _selection(project, args):
    from framelens.annotate.ops.exchange import project_to_x

    return project_to_x(project, coders=getattr(args, "coder", None),
                        adjudicated=getattr(args, "adjudicated", False),
                        codebooks=args.codebook, story=args.story)


def cmd_export(args) -> int:
    project = open_existing(args.project)
    xp = _selection(project, args)
    report = export_dataset(project, xp, args.format, args.output, bom=args.bom,
                            dev_fraction=args.dev_fraction, seed=args.seed, unit=args.unit)
    project.close()
    if args.json:
        print_json(report)
    else:
        moved = report.get("moved_spans") or []
        print(f"Exported {report['articles']} articles, {report['spans']} spans, "
              f"{report['labels']} article labels as {args.format} to {args.output}.")
        _print_export_agreement(report.get("agreement") or [])
        if args.format == "spacy":
            print(f"  {report['train_docs']} train / {report['dev_docs']} dev docs "
                  f"(one per {report['unit']}); config: {report['config']}")
        for m in moved:
            print(f"  span moved to token boundaries: article {m['article']} {m['code']} "
                  f"({m['coder']}) {m['old'][0]}-{m['old'][1]} -> {m['new'][0]}-{m['new'][1]}",
                  file=sys.stderr)
        for m in report.get("dropped_spans") or []:
            print(f"  span dropped (no token in it): article {m['article']} {m['code']} "
                  f"({m['coder']}) {m['old'][0]}-{m['old'][1]}", file=sys.stderr)
    return 0


def _print_export_agreement(rows: list[dict]) -> None:
    from framelens.annotate.analysis.agreement import format_value

    for r in sorted(rows, key=lambda r: r["measure"] != "alpha_u_all"):
        print(f"  α_u {r['code']}: {format_value(r['value'])} ({r['n_units']} spans, "
              f"{len(r['coders'])} coders)" + (" - few units, read with care" if r["few_units"]
                                                else ""))


def cmd_import_dataset(args) -> int:
    from framelens.annotate.ops.exchange import x_into_project

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
    for line in report.renamed:
        print(f"  renamed: {line}")
    for line in report.not_placed:
        print(f"  not placed: {line}")
    for line in report.conflicts:
        print(f"  conflict: {line}")


def cmd_merge(args) -> int:
    from framelens.annotate.ops.exchange import merge_project_file

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
    from framelens.annotate.analysis.agreement import MEASURE_LABELS, MIN_UNITS, format_value, row_subject

    table = [{"measure": MEASURE_LABELS.get(r.measure, r.measure), "code or question":
              row_subject(r) + (f" ({r.codebook})" if r.codebook and r.code else ""),
              "coders": ", ".join(r.coders), "units": r.n_units,
              "value": format_value(r.value),
              "flag": "; ".join(f for f in ("below 0.667" if r.flagged else "",
                                            f"few units (< {MIN_UNITS})" if r.few_units else "")
                                if f)} for r in rows]
    print_table(table, ["measure", "code or question", "coders", "units", "value", "flag"],
                widths={"measure": 28, "code or question": 40, "coders": 24})
    print("α_u: Krippendorff's unitizing alpha over the text of the articles every coder coded "
          "(docs/agreement.md).")
    return 0


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width // 2 - 1] + " … " + text[-(width // 2 - 2):]


def cmd_disagreements(args) -> int:
    project = open_existing(args.project)
    items = disagreement_list(project, code=args.code, story=args.story, codebooks=args.codebook)
    project.close()
    if args.open:
        items = [i for i in items if not i.adjudicated]
    if args.json:
        print_json(items)
        return 0
    if not items:
        print("No disagreement" + (" left to adjudicate." if args.open else "."))
        return 0
    for n, i in enumerate(items, 1):
        where = f"{i.outlet or '?'}{f', {i.country}' if i.country else ''}"
        state = "adjudicated" if i.adjudicated else "open"
        if i.kind == "span":
            print(f"#{n} article {i.article_id} ({where}) {i.code} {i.start}-{i.end} [{state}]")
            for coder, versions in i.versions.items():
                for v in versions:
                    print(f"    {coder:<14} annotation {v['id']:<6} {v['start']}-{v['end']}  "
                          f"“{_short(v['quote'])}”")
            for coder in i.missing:
                print(f"    {coder:<14} (no {i.code.rsplit('/', 1)[-1]} here)")
        else:
            print(f"#{n} article {i.article_id} ({where}) {i.code or i.question} [{state}]")
            for coder, versions in i.versions.items():
                for v in versions:
                    print(f"    {coder:<14} label {v['id']:<6} {v['value']}")
        for a in i.adjudication:
            if a.get("kept_none"):
                print(f"    {'adjudicated':<14} kept none (action {a['action_id']})")
            elif "quote" in a:
                print(f"    {'adjudicated':<14} annotation {a['id']:<6} {a['start']}-{a['end']}  "
                      f"“{_short(a['quote'])}”")
            else:
                print(f"    {'adjudicated':<14} label {a['id']:<6} {a['value']}")
    open_n = sum(not i.adjudicated for i in items)
    print(f"{len(items)} disagreement(s), {open_n} open.")
    return 0


def cmd_adjudicate(args) -> int:
    project = open_existing(args.project)
    try:
        by = store.ensure_coder(project, args.by).id if args.by else None
        code_id = resolve_code_id(project, args.code, None) if args.code else None
        if args.undo is not None:
            root = project.query_one("SELECT kind, undoes_id FROM actions WHERE id = ?",
                                     (args.undo,))
            while root is not None and root["kind"] in ("undo", "redo") and root["undoes_id"]:
                root = project.query_one("SELECT kind, undoes_id FROM actions WHERE id = ?",
                                         (root["undoes_id"],))
            if root is None or root["kind"] not in ("adjudicate", "adjudicate-none"):
                raise store.ProjectError(f"action {args.undo} is not an adjudication (or the "
                                         "undo of one)")
            changes = store.undo(project, args.undo, coder_id=by)
            result = {"undone": args.undo, "action": changes.action_id}
            message = f"Undid action {args.undo} (as action {changes.action_id})."
        elif args.annotation is not None:
            new_id, changes = store.adjudicate_span(project, args.annotation, by_coder_id=by,
                                                    start=args.start, end=args.end,
                                                    code_id=code_id)
            ann = store.get_annotation(project, new_id)
            result = {"annotation": new_id, "action": changes.action_id}
            message = (f"Adjudicated annotation {new_id}: {ann.code} {ann.start}-{ann.end} "
                       f"“{_short(ann.quote)}”" + ("" if changes else " (already adjudicated)")
                       + (f"; undo with --undo {changes.action_id}" if changes else "."))
        elif args.label is not None:
            new_id, changes = store.adjudicate_label(project, args.label, by_coder_id=by,
                                                     value=args.value)
            result = {"label": new_id, "action": changes.action_id}
            message = f"Adjudicated label {new_id}" + (
                f"; undo with --undo {changes.action_id}" if changes else " (already adjudicated).")
        else:
            if None in (args.article, args.start, args.end) or code_id is None:
                raise store.ValidationError("--keep-none needs --article, --code, --start and --end")
            changes = store.reject_in_adjudication(project, article_id=args.article,
                                                   code_id=code_id, start=args.start,
                                                   end=args.end, by_coder_id=by)
            result = {"kept_none": True, "action": changes.action_id}
            message = (f"Recorded: none kept in article {args.article} {args.start}-{args.end}; "
                       f"undo with --undo {changes.action_id}")
    finally:
        project.close()
    if args.json:
        print_json(result)
    else:
        print(message)
    return 0
