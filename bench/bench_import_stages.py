"""Where the mixed-language import's time goes (issue 14 (a)), each stage beside the raw
sqlite-utils insert of the same rows into the same indexes, measured in the same run.

Stages, on the 10,000 rows of ``bench_store.mixed_articles`` (``-n`` to change):

* reading alone: ``iter_file`` over the JSONL file (decoding, cleaning, metadata, language
  identification, outlet recognition), CPU seconds;
  of it, cleaning alone (``clean_text`` on the same normalised texts) with the furniture
  patterns' first-character filter and with the one alternation it stands in for;
* writing alone: ``store.add_articles`` of the read articles, 200 per action, CPU seconds;
* the whole import (``import_paths``: both at once, reading on its own thread), wall and CPU
  seconds and each thread's CPU seconds.

The machine is shared: ``--repeat`` runs everything that many times, baseline first each time,
and prints every run, so the spread is visible.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_store  # noqa: E402
import corpus  # noqa: E402

from framelens import store  # noqa: E402
from framelens.annotate.analysis.ingest import furniture, iter_file  # noqa: E402
from framelens.annotate.analysis.ingest.decoding import normalise_text  # noqa: E402
from framelens.annotate.ops import importer  # noqa: E402


def _raw_only(rows: list[dict], tmp: Path, run: int) -> tuple[float, float]:
    import sqlite_utils

    plain = [{k: v for k, v in r.items() if k != "cjk"} for r in rows]
    cpu = time.process_time()
    wall = bench_store._raw_insert(plain, tmp / f"raw-{run}.db", fts=True)
    db = sqlite_utils.Database(tmp / f"raw-{run}.db")
    db.conn.execute("CREATE VIRTUAL TABLE tri USING fts5(title, text, tokenize='trigram')")
    started = time.perf_counter()
    with db.conn:
        db.conn.executemany("INSERT INTO tri(title, text) VALUES (?, ?)",
                            [(r["title"], r["text"]) for r in rows if r["cjk"]])
    wall += time.perf_counter() - started
    db.close()
    return wall, time.process_time() - cpu


def _cpu(fn) -> float:
    started = time.process_time()
    fn()
    return time.process_time() - started


def run_once(rows: list[dict], source: Path, tmp: Path, run: int) -> str:
    raw, raw_cpu = _raw_only(rows, tmp, run)
    docs: list = []
    read_cpu = _cpu(lambda: docs.extend(iter_file(source)))
    bodies = [(normalise_text(r["text"]), r.get("title")) for r in rows]
    rules = furniture.load_furniture_rules()
    plain = dataclasses.replace(rules, first_char=None)
    clean_cpu = _cpu(lambda: [furniture.clean_text(b, title=t, rules=rules, normalised=True)
                              for b, t in bodies])
    clean_plain_cpu = _cpu(lambda: [furniture.clean_text(b, title=t, rules=plain,
                                                         normalised=True) for b, t in bodies])
    fields = [importer.article_fields(d, importer.Overrides()) for d in docs]
    project = store.create_project(tmp / f"write-{run}.framelens")

    def write() -> None:
        for first in range(0, len(fields), 200):
            with project.action("import", "bench"):
                store.add_articles(project, fields[first:first + 200])
    write_cpu = _cpu(write)
    project.close()
    reader_cpu: list[float] = []
    original = importer._ReadAhead._run

    def timed_run(self, source_items) -> None:
        original(self, source_items)
        reader_cpu.append(time.thread_time())
    importer._ReadAhead._run = timed_run
    try:
        project = store.create_project(tmp / f"import-{run}.framelens")
        thread0, cpu0, wall0 = time.thread_time(), time.process_time(), time.perf_counter()
        importer.import_paths(project, [source])
        wall = time.perf_counter() - wall0
        cpu, writer_cpu = time.process_time() - cpu0, time.thread_time() - thread0
        project.close()
    finally:
        importer._ReadAhead._run = original
    return (f"baseline {raw:.2f} s ({raw_cpu:.2f} s CPU) | reading alone {read_cpu:.2f} s CPU "
            f"(cleaning {clean_cpu:.2f} s; with the one alternation {clean_plain_cpu:.2f} s) | "
            f"writing alone {write_cpu:.2f} s CPU | import {wall:.2f} s wall, {cpu:.2f} s CPU "
            f"(reading thread {reader_cpu[0]:.2f} s, writing thread {writer_cpu:.2f} s) | "
            f"ratio {wall / raw:.2f}x, CPU ratio {cpu / raw_cpu:.2f}x")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=bench_store.N_IMPORT)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    rows = bench_store.mixed_articles(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = corpus.write_jsonl([{k: v for k, v in r.items() if k != "cjk"} for r in rows],
                                    tmp / "mixed.jsonl")
        for run in range(args.repeat):
            print(f"run {run + 1}: {run_once(rows, source, tmp, run)}", flush=True)


if __name__ == "__main__":
    main()
