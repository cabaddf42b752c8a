"""Small helpers shared by the command modules: output, progress, opening projects."""

from __future__ import annotations

import contextlib
import json
import sys
from dataclasses import asdict, is_dataclass
from typing import Any, Callable, Iterator

from framelens import store


def add_project_arg(parser, *, optional: bool = False) -> None:
    if optional:
        parser.add_argument("project", nargs="?", help="project file (.framelens)")
    else:
        parser.add_argument("project", help="project file (.framelens)")


def add_json_arg(parser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def open_existing(path: str) -> store.Project:
    return store.open_project(path)


def print_json(data: Any) -> None:
    def default(obj):
        if is_dataclass(obj):
            return asdict(obj)
        if isinstance(obj, (set, frozenset)):
            return sorted(obj)
        return str(obj)

    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=default)
    sys.stdout.write("\n")


def print_table(rows: list[dict], columns: list[str], *, widths: dict[str, int] | None = None) -> None:
    """A plain aligned table for the terminal (long values shortened with …)."""
    widths = dict(widths or {})
    for c in columns:
        widths.setdefault(c, min(40, max([len(c)] + [len(str(r.get(c) or "")) for r in rows])))

    def cell(value: Any, width: int) -> str:
        text = "" if value is None else str(value).replace("\n", " ")
        return (text[: width - 1] + "…") if len(text) > width else text.ljust(width)

    print("  ".join(cell(c, widths[c]) for c in columns))
    for r in rows:
        print("  ".join(cell(r.get(c), widths[c]) for c in columns))


@contextlib.contextmanager
def progress_bar(description: str, *, enabled: bool = True) -> Iterator[Callable[[int, int, str], None]]:
    """A ``progress(done, total, what)`` callback drawing a tqdm bar on stderr."""
    if not enabled:
        yield lambda done, total, what="": None
        return
    from tqdm import tqdm

    bar = tqdm(desc=description, unit="file", file=sys.stderr, leave=True,
               disable=None if not sys.stderr.isatty() else False, dynamic_ncols=True)
    try:
        def update(done: int, total: int, what: str = "") -> None:
            if bar.total != total:
                bar.total = total
            bar.n = done
            bar.set_postfix_str(str(what)[-40:], refresh=False)
            bar.refresh()

        yield update
    finally:
        bar.close()
