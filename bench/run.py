"""Run every benchmark in bench/ (``make bench``): each prints its figures beside a baseline
measured in the same run.  ``python bench/run.py NAME...`` runs only the named ones
(e.g. ``store``, ``align``, ``gui``)."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(HERE))
    wanted = set(argv)
    failures = 0
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"== {name} ==", flush=True)
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        started = time.perf_counter()
        sys.argv = [str(path)]  # each bench parses its own options: run it with its defaults
        try:
            spec.loader.exec_module(module)
            module.main()
        except Exception as exc:  # a broken bench must not hide the others' figures
            failures += 1
            print(f"{name}: FAILED: {exc!r}", flush=True)
        print(f"({name} took {time.perf_counter() - started:.1f} s)\n", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
