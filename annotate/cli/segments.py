"""``framelens segments``: every coded segment of a code (or several, AND/OR) across the project.

    framelens segments PROJECT --code X [--code Y] [--all | --any] [--coder NAME]...
        [--across-coders] [--outlet NAME]... [--country CC]... [--story NAME] [--subcodes]
        [--context N] [--json | --csv FILE]

Prints a table (country, outlet, date, coder, code, the segment in context with the coded part
between »«), a JSON list with ``--json``, or writes a CSV (a JSON file when FILE ends in .json)
with ``--csv``.  The meaning of ``--all`` (AND) and ``--any`` (OR, the default) is written in
``store/retrieval.py`` and ``docs/retrieval.md``.  Retrieval is one read (about 0.1 s for 3,000
segments, ``bench/bench_retrieval.py``), so no progress bar is drawn; writing the file reports
how many rows it wrote.
"""

from __future__ import annotations

import sys

from framelens.annotate.ops import retrieval as ops
from framelens.store import retrieval as rt

from .util import add_json_arg, add_project_arg, open_existing, print_json, print_table


def register(sub) -> None:
    p = sub.add_parser(
        "segments", help="every coded segment of one or several codes across the project",
        description="Retrieve the coded segments of codes across the whole project, with "
        "article, outlet, coder and the sentence around each. With several codes, --any (the "
        "default) lists every segment of any of them; --all lists the segments of each code "
        "that overlap a segment of every other code in the same article, coded by the same "
        "coder unless --across-coders.")
    add_project_arg(p)
    p.add_argument("--code", action="append", required=True, metavar="NAME",
                   help="a code's name (repeat for several)")
    p.add_argument("--codebook", help="codebook key or name when a code name is ambiguous")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--all", dest="mode", action="store_const", const=rt.ALL,
                      help="AND: segments overlapping a segment of every other code")
    mode.add_argument("--any", dest="mode", action="store_const", const=rt.ANY,
                      help="OR: every segment of any of the codes (default)")
    p.set_defaults(mode=rt.ANY)
    p.add_argument("--coder", action="append", default=[], metavar="NAME",
                   help="only this coder's segments (repeat for several)")
    p.add_argument("--across-coders", action="store_true",
                   help="with --all: the overlapping segment may be another coder's")
    p.add_argument("--outlet", action="append", default=[], metavar="NAME",
                   help="only articles of this outlet (repeat for several)")
    p.add_argument("--country", action="append", default=[], metavar="CC",
                   help="only outlets of this ISO country code, e.g. RU (repeat for several)")
    p.add_argument("--story", help="only articles of this story (name or id)")
    p.add_argument("--subcodes", action="store_true",
                   help="a code stands for itself and every code below it")
    p.add_argument("--context", type=int, default=rt.DEFAULT_CONTEXT, metavar="N",
                   help=f"at most N characters of context either side (default {rt.DEFAULT_CONTEXT})")
    out = p.add_mutually_exclusive_group()
    add_json_arg(out)
    out.add_argument("--csv", metavar="FILE",
                     help="write the segments to FILE (CSV; JSON when FILE ends in .json)")
    p.set_defaults(func=cmd_segments)


def cmd_segments(args) -> int:
    story = args.story
    if story is not None and story.isdigit():
        story = int(story)
    request = ops.Request(codes=args.code, codebook=args.codebook, mode=args.mode,
                          coders=args.coder, outlets=args.outlet, countries=args.country,
                          story=story, same_coder=not args.across_coders,
                          with_subcodes=args.subcodes, context=args.context)
    project = open_existing(args.project)
    try:
        segments = rt.find_segments(project, ops.resolve(project, request))
    finally:
        project.close()
    counts = rt.summarize(segments)
    summary = (f"{counts['segments']} segment(s) in {counts['articles']} article(s) from "
               f"{counts['outlets']} outlet(s), {counts['coders']} coder(s)")
    if args.csv:
        n = ops.export(segments, args.csv)
        print(f"wrote {n} segment(s) to {args.csv}; {summary}", file=sys.stderr)
    elif args.json:
        print_json([ops.segment_row(s) for s in segments])
    else:
        rows = [{"country": s.country or "—", "outlet": s.outlet or "—", "date": s.published,
                 "coder": s.coder, "code": s.code + (f" + {', '.join(s.also)}" if s.also else ""),
                 "segment": _kwic(s)} for s in segments]
        print_table(rows, ["country", "outlet", "date", "coder", "code", "segment"],
                    widths={"country": 7, "outlet": 18, "date": 10, "segment": 90})
        print(summary)
    return 0


def _kwic(s: rt.Segment) -> str:
    """The context on one line with the coded part between »«."""
    text = (("…" if s.clipped_left else "") + s.before + "»" + s.quote + "«" + s.after
            + ("…" if s.clipped_right else ""))
    return " ".join(text.split())
