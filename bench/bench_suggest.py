"""Suggestion pass throughput against raw ``nlp.pipe``, memory, and GUI responsiveness.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_suggest.py [--articles 2000]
[--words 800] [--n-process 1 2] [--batch-size 32 16] [--budget 380 110] [--chunk 100]
[--no-gui]``

1. Throughput.  ``--articles`` generated ~800-word articles (``bench/corpus.py``) are stored in
   a project under ``bench/out``.  The suggestion pass (``run_suggestions``: read the text,
   the trained model plus the four rule suggesters, store every suggestion) and raw
   ``nlp.pipe`` of the same model (no suggesters, nothing stored) run side by side in one
   process over the same texts with the same batch size and ``n_process``: chunk by chunk,
   alternating which goes first, so both see the same machine load.  When the time budget
   runs out, the figures are for the chunks that ran (and say so).
2. Memory: this process and its ``n_process`` workers sampled together every 0.25 s from
   /proc: the sum of their PSS (shared copy-on-write pages divided among the sharers: the
   real total) is the figure; the sum of RSS (shared pages counted in every process) and
   ``getrusage`` peaks are printed beside it.
3. GUI: an offscreen window on the demo project runs a suggestion pass over a story and a
   training of the learned suggester at the same time (in the helper process, as the desktop
   does); a 5 ms QTimer records the longest gap in the event loop.  Baseline: the same window
   idle for the same time.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from framelens import store  # noqa: E402
from bench.corpus import OUT, big_project  # noqa: E402

TARGET_RATIO = 0.80
TARGET_RSS_MB = 1536
TARGET_GAP_MS = 100
TICK_MS = 5


# -- memory ---------------------------------------------------------------------------------------
def _rss_mb(pid: int | str, field: str = "Rss") -> float:
    """Resident set (``Rss``) or proportional set (``Pss``: shared pages divided among the
    processes sharing them, so sums over processes are exact) of a process, in MB."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(x) for x in fh.read().split()]
    except OSError:
        pass
    return out


class RssSampler:
    """Peak of (this process + its children) RSS, sampled in a background thread."""

    def __init__(self, every: float = 0.25):
        self.every = every
        self.peak_total = self.peak_self = self.peak_children = self.peak_pss = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(self.every):
            own = _rss_mb(me)
            kids = sum(_rss_mb(c) for c in _children(me))
            self.peak_self = max(self.peak_self, own)
            self.peak_children = max(self.peak_children, kids)
            self.peak_total = max(self.peak_total, own + kids)
            pss = _rss_mb(me, "Pss") + sum(_rss_mb(c, "Pss") for c in _children(me))
            self.peak_pss = max(self.peak_pss, pss)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# -- throughput -----------------------------------------------------------------------------------
def base_project(n: int, words: int) -> Path:
    """A project with the generated articles and no suggestions (built once, then copied)."""
    return big_project(n, words, name=f"suggest-base-{n}x{words}.framelens")


_RAW: list = []


def throughput(n: int, words: int, batch_size: int, n_process: int, budget: float,
               chunk: int) -> dict:
    from framelens.annotate.ops import suggest_project as sp
    from framelens.annotate.analysis.nlp import get_pipeline, load_pipeline

    if not _RAW:
        _RAW.append(load_pipeline("en").nlp)          # the same model, without suggesters
    raw = _RAW[0]
    work = OUT / "suggest-run.framelens"
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copy(base_project(n, words), work)
    project = store.open_project(work)
    ids = [a.id for a in store.list_articles(project)]
    texts = {aid: store.get_text(project, aid) for aid in ids}
    loaded = get_pipeline("en")
    warm = [texts[i] for i in ids[:4]]
    list(raw.pipe(warm, batch_size=batch_size))
    list(loaded.nlp.pipe(warm, batch_size=batch_size))
    t_raw = t_sugg = 0.0
    done_words = done = 0
    new = 0
    started = time.perf_counter()
    with RssSampler() as rss:
        for k in range(0, len(ids), chunk):
            part = ids[k:k + chunk]

            def run_raw():
                t = time.perf_counter()
                for _ in raw.pipe([texts[i] for i in part], batch_size=batch_size, n_process=n_process):
                    pass
                return time.perf_counter() - t

            def run_sugg():
                nonlocal new
                t = time.perf_counter()
                rep = sp.run_suggestions(project, article_ids=part, batch_size=batch_size,
                                         n_process=n_process)
                new += rep.total_new
                assert rep.processed == len(part), rep.summary()
                return time.perf_counter() - t

            if (k // chunk) % 2 == 0:
                t_raw += run_raw()
                t_sugg += run_sugg()
            else:
                t_sugg += run_sugg()
                t_raw += run_raw()
            done += len(part)
            done_words += sum(len(texts[i].split()) for i in part)
            elapsed = time.perf_counter() - started
            print(f"  {done:>5,} articles: suggestion pass {done_words / t_sugg:,.0f} words/s, "
                  f"raw nlp.pipe {done_words / t_raw:,.0f} words/s ({elapsed:.0f} s)", flush=True)
            if elapsed + elapsed / (k // chunk + 1) > budget and done < len(ids):
                break                                    # the next chunk would overrun
    project.close()
    return {"articles": done, "of": len(ids), "words": done_words, "t_raw": t_raw, "t_sugg": t_sugg,
            "new": new, "rss": rss, "model": loaded.model_name}


# -- GUI ------------------------------------------------------------------------------------------
class TickRecorder:
    def __init__(self):
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self.ticks: list[float] = []

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        self.ticks.append(time.perf_counter())
        return max(b - a for a, b in zip(self.ticks, self.ticks[1:])) * 1000


def _spin(app, cond, timeout: float) -> bool:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        app.processEvents()
        if cond():
            return True
        time.sleep(0.001)
    return False


def _code_sentences(project) -> None:
    """A few policy-frame codings, so the learned suggester has something to train on."""
    coder = store.ensure_coder(project, "bench")
    codes = {c.name: c.id for c in store.list_codes(project, store.get_codebook(project, "policy_frames").id)}
    for a in store.list_articles(project):
        text = store.get_text(project, a.id)
        for word, label in (("missile", "Security and defense"), ("economic", "Economic")):
            m = re.search(rf"\S[^.\n]*\b{word}\b[^.\n]*\.", text)
            if m:
                store.add_annotation(project, article_id=a.id, start=m.start(), end=m.end(),
                                     code_id=codes[label], coder_id=coder.id)


def gui_gap() -> dict:
    from PySide6.QtCore import QSettings

    from framelens.desktop.shell.app import ensure_app
    from framelens.desktop.shell.demo_project import ALL_STORY, build_demo_project
    from framelens.desktop.shell.main_window import MainWindow
    from framelens.desktop.features.review import ReviewPanel
    from framelens.desktop.shell.session import Session

    app = ensure_app()
    tmp = Path(tempfile.mkdtemp(prefix="framelens-suggest-bench-"))
    project = build_demo_project(tmp / "demo.framelens")
    _code_sentences(project)
    settings = QSettings(str(tmp / "settings.ini"), QSettings.IniFormat)
    window = MainWindow(Session(project, store.ensure_coder(project, "bench")), settings)
    window.resize(1500, 950)
    window.show()
    panel = window.features.get(ReviewPanel)
    t0 = time.perf_counter()
    loaded = _spin(app, lambda: panel.pipeline_status != "spaCy: not loaded" and not panel.loader.busy, 120)
    load_s = time.perf_counter() - t0
    story = next(s for s in store.list_stories(project) if s.name == ALL_STORY)
    window.open_story(story.id, 3)
    _spin(app, lambda: len(window.comparison.columns) == 3 and not window.runner.busy, 30)
    panel.actions["review"].trigger()
    rec = TickRecorder()
    rec.start()
    started = time.perf_counter()
    panel.suggest_story(story.id)
    panel.train(force=True)
    ok = _spin(app, lambda: panel.suggest_task is None and panel.train_task is None, 300)
    busy_s = time.perf_counter() - started
    gap = rec.stop()
    base = TickRecorder()
    base.start()
    _spin(app, lambda: time.perf_counter() - base.ticks[0] >= busy_s, busy_s + 5)
    idle = base.stop()
    result = {"ok": ok and loaded, "gap": gap, "idle": idle, "seconds": busy_s, "load_s": load_s,
              "status": panel.pipeline_status,
              "processed": panel.last_report.processed if panel.last_report else 0,
              "trained": bool(panel.last_training and panel.last_training.trained)}
    window.close()
    window.runner.shutdown()
    project.close()
    return result


# -- main -----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--words", type=int, default=800)
    ap.add_argument("--n-process", type=int, nargs="+", default=[1, 2],
                    help="one measurement per value (default: 1, then 2 — spaCy's multiprocessing)")
    ap.add_argument("--batch-size", type=int, nargs="+", default=[32, 16],
                    help="nlp.pipe batch size per measurement (default 32, then 16: a batch of 32 "
                         "800-word articles peaks at ~650 MB per spaCy process)")
    ap.add_argument("--budget", type=float, nargs="+", default=[380.0, 110.0],
                    help="seconds per measurement; the figures are for what ran by then")
    ap.add_argument("--chunk", type=int, default=100, help="articles per alternating chunk")
    ap.add_argument("--no-gui", action="store_true")
    args = ap.parse_args(argv or [])
    def per_run(values: list) -> list:
        return values + [values[-1]] * (len(args.n_process) - len(values))

    for n_process, batch_size, budget in zip(args.n_process, per_run(args.batch_size),
                                             per_run(args.budget)):
        print(f"suggestion pass vs raw nlp.pipe: batch_size={batch_size}, n_process={n_process}, "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
        r = throughput(args.articles, args.words, batch_size, n_process, budget, args.chunk)
        ratio = r["t_raw"] / r["t_sugg"]
        what = (f"{r['articles']:,} articles" if r["articles"] == r["of"] else
                f"{r['articles']:,} of {r['of']:,} articles (time budget of {budget:.0f} s reached)")
        print(f"suggestion pass {what}, n_process={n_process}: {r['words'] / r['t_sugg']:,.0f} words/s "
              f"(raw nlp.pipe: {r['words'] / r['t_raw']:,.0f} words/s; ratio {ratio:.0%}; target ≥ "
              f"{TARGET_RATIO:.0%}) [{r['model']}, batch_size {batch_size}, "
              f"{r['new']:,} suggestions stored]")
        rss = r["rss"]
        print(f"peak memory, this process and its spaCy workers together: {rss.peak_pss:,.0f} MB "
              f"(PSS; target < {TARGET_RSS_MB:,} MB); RSS counting shared pages in every process: "
              f"{rss.peak_total:,.0f} MB (this process {rss.peak_self:,.0f} MB, workers "
              f"{rss.peak_children:,.0f} MB)", flush=True)
    ru_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ru_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"getrusage peaks: this process {ru_self:,.0f} MB (two pipelines loaded: raw and "
          f"suggesting), largest child {ru_kids:,.0f} MB")
    if not args.no_gui:
        g = gui_gap()
        print(f"GUI event-loop longest gap during a suggestion pass ({g['processed']} articles) and a "
              f"training run ({'trained' if g['trained'] else 'NOT trained'}), {g['seconds']:.1f} s: "
              f"{g['gap']:.0f} ms (baseline idle: {g['idle']:.0f} ms; target < {TARGET_GAP_MS} ms)")
        print(f"  helper process started and pipeline loaded in {g['load_s']:.1f} s ({g['status']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
