"""Does the window stay responsive while a large import runs?

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_ui_responsiveness.py
[--articles 10000] [--words 300] [--files 1]``

Opens the main window on a new project, starts a 10,000-article import (generated JSONL,
``--files`` > 1 spreads it over several files) through the Import dialog — the same worker, the
same throttled progress, the same corpus reload at the end — and records a 5 ms QTimer on the UI
thread until the import has finished and the corpus shows the new articles.  The figure is the
longest gap between two ticks; the baseline is the longest gap over the same time with the same
window and nothing running.  Target: < 100 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import store  # noqa: E402
from annotate.demo import init_project  # noqa: E402
from bench.corpus import OUT, articles, write_jsonl  # noqa: E402
from desktop.app import ensure_app  # noqa: E402
from desktop.main_window import MainWindow, wait_idle  # noqa: E402
from desktop.session import Session  # noqa: E402

TICK_MS = 5
TARGET_MS = 100


class TickRecorder:
    """A 5 ms timer on the UI thread; the gaps between its ticks are what a user would feel."""

    def __init__(self):
        self.timer = QTimer()
        self.timer.setTimerType(Qt.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.ticks: list[float] = []

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.ticks.append(time.perf_counter())

    def longest_gap_ms(self) -> float:
        return max((b - a for a, b in zip(self.ticks, self.ticks[1:])), default=0.0) * 1000

    def worst(self, n: int = 5) -> list[float]:
        gaps = sorted((b - a for a, b in zip(self.ticks, self.ticks[1:])), reverse=True)
        return [g * 1000 for g in gaps[:n]]


def corpus_files(n: int, words: int, files: int) -> list[Path]:
    """The generated corpus as ``files`` JSONL files (cached under bench/out)."""
    folder = OUT / f"ui-import-{n}x{words}-{files}"
    paths = [folder / f"part{i:04d}.jsonl" for i in range(files)]
    if all(p.exists() for p in paths):
        return paths
    rows = articles(n, words)
    per = -(-n // files)
    for i, p in enumerate(paths):
        write_jsonl(rows[i * per:(i + 1) * per], p)
    return paths


def run_until(app: QApplication, done, timeout: float) -> bool:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        app.processEvents()
        if done():
            return True
        time.sleep(0.001)
    return False


def measure(n: int, words: int, files: int, timeout: float) -> dict:
    app = ensure_app()
    tmp = Path(tempfile.mkdtemp(prefix="framelens-ui-bench-"))
    paths = corpus_files(n, words, files)
    project = init_project(tmp / "bench.framelens")
    settings = QSettings(str(tmp / "settings.ini"), QSettings.IniFormat)
    window = MainWindow(Session(project, store.ensure_coder(project, "bench")), settings)
    window.resize(1400, 900)
    window.show()
    wait_idle(window, 30)

    dialog = window.project_actions.import_articles()
    dialog.add_paths(paths)
    state: dict = {}
    dialog.imported.connect(lambda outcome: state.setdefault("outcome", outcome))
    window.corpus.loaded.connect(lambda: "outcome" in state and state.setdefault("listed", True))
    progress_signals = []
    rec = TickRecorder()
    rec.start()
    started = time.perf_counter()
    dialog.job_started.connect(lambda job: job.progress.connect(lambda *a: progress_signals.append(a)))
    dialog.start()
    ok = run_until(app, lambda: "listed" in state, timeout)
    elapsed = time.perf_counter() - started
    rec.stop()
    import_gap, worst = rec.longest_gap_ms(), rec.worst()
    if dialog.report_dialog is not None:
        dialog.report_dialog.close()
    dialog.close()
    wait_idle(window, 10)

    base = TickRecorder()
    base.start()
    run_until(app, lambda: time.perf_counter() - base.ticks[0] >= elapsed, elapsed + 5)
    base.stop()
    outcome = state.get("outcome")
    result = {
        "finished": ok, "seconds": elapsed, "gap_ms": import_gap, "worst_ms": worst,
        "baseline_ms": base.longest_gap_ms(), "ticks": len(rec.ticks),
        "imported": len(outcome.report.imported) if outcome else 0,
        "listed": window.corpus.model.article_count(),
        "progress_signals": len(progress_signals),
    }
    window.close()
    window.runner.shutdown()
    project.close()
    window.deleteLater()
    app.processEvents()
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--words", type=int, default=300)
    ap.add_argument("--files", type=int, default=1, help="spread the JSONL over this many files")
    ap.add_argument("--timeout", type=float, default=900)
    args = ap.parse_args(argv)
    r = measure(args.articles, args.words, args.files, args.timeout)
    if not r["finished"]:
        print(f"The import did not finish within {args.timeout:.0f} s.")
        return 1
    print(f"UI thread longest gap during a {args.articles:,}-article import: {r['gap_ms']:.1f} ms "
          f"(baseline: longest gap with no import running over the same time: "
          f"{r['baseline_ms']:.1f} ms; target < {TARGET_MS} ms)")
    print(f"  import + corpus reload: {r['seconds']:.1f} s, {r['imported']:,} imported, "
          f"{r['listed']:,} listed, {r['ticks']:,} ticks, {r['progress_signals']} progress "
          f"signals from {args.files} file(s); five longest gaps: "
          + ", ".join(f"{g:.1f}" for g in r["worst_ms"]) + " ms")
    return 0 if r["gap_ms"] < TARGET_MS else 2


if __name__ == "__main__":
    sys.exit(main())
