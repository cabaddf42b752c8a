"""Desktop speed figures on a generated 50,000-article project, each beside a baseline.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui.py [--articles N] [--keep PATH]``

Measures (targets from the design brief):

* window shown with the corpus listed (< 2 s) — baseline: ``store.list_articles`` alone;
* switching an article into a column (< 100 ms) — baseline: reading its row and annotations;
* rendering a 5,000-word article with 1,000 coded spans (< 200 ms) — baseline: the same text
  in a bare QTextEdit, no spans;
* a coding key press to the row committed (< 50 ms) — baseline: a raw sqlite3 INSERT of the
  same row in its own transaction.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QTextEdit  # noqa: E402

from framelens import store  # noqa: E402
from framelens.desktop.shell.app import ensure_app # noqa: E402
from framelens.desktop.shell.main_window import MainWindow, wait_idle # noqa: E402
from framelens.desktop.shell.session import Session # noqa: E402

WORDS = ("the talks between ministers of russia and japan security defense policy economic "
         "islands treaty dialogue cooperation missile region pacific tokyo moscow beijing "
         "washington alliance frame report said would could agreement trust relations summit "
         "minister foreign visit joint activity peace concern military trade energy").split()
OUTLETS = [("The Japan Times", "JP"), ("PenzaNews", "RU"), ("Russia Beyond", "RU"),
           ("Valdai Discussion Club", "RU"), ("Global Times", "CN"), ("Reuters", "GB"),
           ("The Washington Post", "US"), ("Kyodo", "JP")]
PHRASE = "missile defense agreement"


def _ms(value: float) -> str:
    return f"{value:.2f}" if value < 1 else f"{value:.1f}"


def fmt(name: str, value_ms: float, baseline_ms: float, target_ms: float) -> str:
    return f"{name}: {_ms(value_ms)} ms (baseline: {_ms(baseline_ms)} ms; target < {target_ms:.0f} ms)"


def words(rng: random.Random, n: int) -> str:
    out, sentence = [], []
    for _ in range(n):
        sentence.append(rng.choice(WORDS))
        if len(sentence) >= rng.randint(12, 24):
            out.append(" ".join(sentence).capitalize() + ".")
            sentence = []
    if sentence:
        out.append(" ".join(sentence).capitalize() + ".")
    paras = [" ".join(out[i:i + 4]) for i in range(0, len(out), 4)]
    return "\n\n".join(paras) + "\n"


def generate(path: Path, n: int) -> tuple[float, float]:
    """The bench project; returns (seconds through store, seconds of a raw executemany)."""
    rng = random.Random(7)
    texts = [f"Article {i}. " + words(rng, 300) for i in range(n)]
    project = store.create_project(path)
    book = json.loads((ROOT / "assets" / "codebooks" / "policy_frames.json").read_text("utf-8"))
    store.load_codebook(project, book)
    t0 = time.perf_counter()
    with project.action("import", "bench corpus"):
        for i, text in enumerate(texts):
            outlet, country = OUTLETS[i % len(OUTLETS)]
            store.add_article(project, text=text, title=f"Bench article {i}: " + text[12:60].strip(),
                              outlet=outlet, country=country,
                              published=f"20{10 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}")
    store_s = time.perf_counter() - t0
    story = store.create_story(project, "Bench story", event_date="2017-03-20")
    store.add_to_story(project, story, [1, 2, 3])
    project.close()
    raw = sqlite3.connect(":memory:")
    raw.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, title TEXT, text TEXT, n INTEGER)")
    t0 = time.perf_counter()
    with raw:
        raw.executemany("INSERT INTO a (title, text, n) VALUES (?, ?, ?)",
                        ((f"t{i}", t, len(t)) for i, t in enumerate(texts)))
    return store_s, time.perf_counter() - t0


def long_article(project: store.Project, coder: store.Coder) -> int:
    """A 5,000-word article with 1,000 spans (overlapping in places) by one coder."""
    rng = random.Random(11)
    text = words(rng, 5000)
    result = store.add_article(project, text=text, title="Long coded article", outlet="Kyodo",
                               country="JP")
    aid = result.article_id
    if not result.created:
        return aid
    codes = store.list_codes(project, store.get_codebook(project, "policy_frames").id)
    step = len(text) // 1000
    for i in range(1000):
        start = i * step + rng.randint(0, 5)
        end = min(len(text), start + rng.randint(8, step * 2))
        store.add_annotation(project, article_id=aid, start=start, end=end,
                             code_id=codes[i % len(codes)].id, coder_id=coder.id)
    return aid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="reuse (or create) the bench project here")
    args = parser.parse_args(argv)
    tmp = tempfile.TemporaryDirectory()
    path = args.keep or Path(tmp.name) / "bench.framelens"
    if not path.exists():
        t0 = time.perf_counter()
        store_s, raw_s = generate(path, args.articles)
        print(f"generate {args.articles:,} articles: {store_s:.1f} s through store.add_article "
              f"(baseline: raw executemany {raw_s:.1f} s; total with text generation "
              f"{time.perf_counter() - t0:.1f} s)")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, tmp.name)
    settings = QSettings(str(Path(tmp.name) / "bench.ini"), QSettings.IniFormat)
    app = ensure_app()
    project = store.open_project(path)
    coder = store.ensure_coder(project, "bench")
    long_id = long_article(project, coder)

    # 1. window shown with the corpus listed (after one warm-up read, so both figures are warm)
    store.list_articles(project, limit=1000)
    t0 = time.perf_counter()
    base = store.list_articles(project)
    list_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    window = MainWindow(Session(project, coder), settings)
    window.resize(1600, 1000)
    window.show()
    wait_idle(window, 60)
    app.processEvents()
    shown_ms = (time.perf_counter() - t0) * 1000
    model = window.corpus.model
    all_index = model.index(model.rowCount() - 1, 0)
    window.corpus.tree.expand(all_index)
    app.processEvents()
    print(fmt("window shown with corpus listed", shown_ms, list_ms, 2000))
    print(f"  corpus rows handed to the view: {model.rowCount(all_index):,} of {len(base):,} "
          "(lazy fetchMore; no per-article widgets)")

    # 2. switching an article into a column
    window.open_article(1)
    col = window.comparison.current
    middle = len(base) // 2
    ids = [a.id for a in base[middle:middle + 40]]
    times, baseline = [], []
    for aid in ids:
        t0 = time.perf_counter()
        store.get_article(project, aid)
        store.list_annotations(project, article_ids=[aid])
        baseline.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        window.open_article(aid, replace=col)
        col.reader.viewport().repaint()
        times.append((time.perf_counter() - t0) * 1000)
    print(fmt("switch an article into a column (median of 40)", statistics.median(times),
              statistics.median(baseline), 100))

    # 3. rendering a 5,000-word article with 1,000 spans
    text = store.get_text(project, long_id)
    bare = QTextEdit()
    bare.resize(col.reader.size())
    bare.show()
    t0 = time.perf_counter()
    bare.setPlainText(text)
    bare.viewport().repaint()
    bare_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    window.open_article(long_id, replace=col)
    col.reader.viewport().repaint()
    render_ms = (time.perf_counter() - t0) * 1000
    print(fmt(f"render 5,000 words with {len(col.reader.visible_spans()):,} spans", render_ms, bare_ms, 200))
    bare.close()

    # 4. a coding key press to the row committed
    reader = col.reader
    press, raw = [], []
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    target = store.get_article(project, ids[0])
    window.open_article(target.id, replace=col)
    code = store.find_code(project, "Security and defense", "policy_frames")
    for i in range(20):
        cursor = reader.textCursor()
        cursor.setPosition(10 + i * 40)
        cursor.setPosition(10 + i * 40 + 25, cursor.MoveMode.KeepAnchor)
        reader.setTextCursor(cursor)
        before = len(store.list_annotations(project, article_ids=[target.id]))
        t0 = time.perf_counter()
        QTest.keyClick(reader, Qt.Key_8, Qt.NoModifier)
        press.append((time.perf_counter() - t0) * 1000)
        assert len(store.list_annotations(project, article_ids=[target.id])) == before + 1
        start, end = 10 + i * 40, 10 + i * 40 + 25
        quote = target.text[start:end].strip()
        start = target.text.index(quote, start)
        now = store.now()
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute(
            'INSERT INTO annotations (article_id, start, "end", code_id, coder_id, quote, origin,'
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'manual', ?, ?)",
            (target.id, start, start + len(quote), code.id, coder.id, quote, now, now))
        conn.execute("COMMIT")
        raw.append((time.perf_counter() - t0) * 1000)
        conn.execute("DELETE FROM annotations WHERE id = ?", (cur.lastrowid,))
    conn.close()
    print(fmt("coding key press to row committed (median of 20)", statistics.median(press),
              statistics.median(raw), 50))
    window.close()
    project.close()
    QApplication.processEvents()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
