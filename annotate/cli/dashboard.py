"""The comparison dashboard on the command line: ``framelens compare``."""

from __future__ import annotations

from framelens import store

from .util import add_project_arg, open_existing, print_json, print_table


def register(sub) -> None:
    p = sub.add_parser(
        "compare", help="the comparison dashboard's tables, per outlet and per country",
        description="Frame prevalence (share of coded characters and of coded articles), primary "
        "frames, Semetko & Valkenburg frame scores, contested-name choices, voices heard by "
        "country and actor prominence, for a story or the whole project. Coders are pooled "
        "unless --coder or --adjudicated is given. Definitions: annotate/ops/compare.py.")
    add_project_arg(p)
    p.add_argument("--story", help="only this story's articles (name or id); default: the whole project")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--coder", help="only this coder's codings")
    who.add_argument("--adjudicated", action="store_true", help="only the adjudicated coding")
    p.add_argument("--codebook", default="policy_frames",
                   help="codebook of the frame tables (key or name; default policy_frames)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="DIR", help="write <table>_by_<outlet|country>.csv into DIR")
    out.add_argument("--json", action="store_true", help="print every table as JSON")
    p.set_defaults(func=cmd_compare)


def _mode_key(project: store.Project, args) -> str:
    if args.adjudicated:
        return "adjudicated"
    if args.coder:
        coder = store.find_coder(project, args.coder)
        if coder is None:
            names = ", ".join(c.name for c in store.list_coders(project)) or "none yet"
            raise ValueError(f"no coder {args.coder!r} (coders: {names})")
        return f"coder:{coder.id}"
    return "all"


def cmd_compare(args) -> int:
    from framelens.annotate.ops import compare

    project = open_existing(args.project)
    try:
        story = None
        if args.story:
            story = int(args.story) if args.story.isdigit() else args.story
        if compare.find_codebook(project, args.codebook) is None:
            names = ", ".join(cb.key for cb in store.list_codebooks(project))
            raise ValueError(f"no codebook {args.codebook!r} (codebooks: {names})")
        raw = compare.collect(project, story=story, codebook=args.codebook)
        key = _mode_key(project, args)
        if key == "adjudicated" and key not in {m.key for m in compare.coder_modes(raw)}:
            raise ValueError("nothing has been adjudicated in this project yet")
        if args.csv:
            for path in compare.export_csv(raw, args.csv, key):
                print(path)
        elif args.json:
            print_json(compare.to_json(raw, key))
        else:
            mode = compare.find_mode(raw, key)
            print(f"{raw.scope} — {mode.label}")
            for unit in ("outlet", "country"):
                table = compare.build_tables(raw, mode, unit)["frame_prevalence"]
                rows = [r for r in table.rows if r["covered_chars"]]
                print(f"\n{table.title} (rows with coded characters; --csv/--json for every table)")
                print_table([{**r, "share_chars": f"{r['share_chars']:.1%}",
                              "share_articles": f"{r['share_articles']:.0%}"} for r in rows],
                            [unit, "frame", "covered_chars", "share_chars", "articles_with_frame",
                             "share_articles"])
    finally:
        project.close()
    return 0
