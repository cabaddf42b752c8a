"""Coding stripes: what the margin adds to a reader's repaint and to one coding, beside baselines.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_margin.py``

A 120,000-character article with 600 coded spans (two coders, overlapping), one reader 900×700.
Figures, each the median of 25 runs in the same process:

* a full repaint of the reader with the stripes shown (viewport + margin), beside the same
  repaint with the stripes switched off (the baseline: spans, underline bars and text);
* the margin's geometry (extents and lanes of all 600 spans) recomputed after one coding,
  beside the reader's own work for that coding with the stripes off (``upsert_annotation``:
  lanes of the underline bars and the dirty range).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from framelens.desktop.shell.app import ensure_app  # noqa: E402

from framelens import store  # noqa: E402
from framelens.desktop.reading.margin import StripePreference  # noqa: E402
from framelens.desktop.reading.reader import Reader  # noqa: E402

SENTENCE = ("Lavrov and Kishida discussed regional and international security and "
            "confidence-building measures in the Asia-Pacific region. ")


def median_ms(fn, runs: int = 25) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    app = ensure_app()           # with the refcount guard (desktop/shell/refcount_guard.py)
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setDefaultFormat(QSettings.IniFormat)
        QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, tmp)
        import json
        from framelens.annotate.resources import asset_path
        project = store.create_project(Path(tmp) / "bench.framelens")
        store.load_codebook(project, json.loads(
            asset_path("codebooks", "policy_frames.json").read_text("utf-8")))
        paragraphs = [SENTENCE * 6 for _ in range(150)]
        text = "\n\n".join(paragraphs)
        article = store.get_article(project, store.add_article(
            project, text=text, title="Bench", outlet="Bench", country="XX").article_id)
        book = store.get_codebook(project, "policy_frames")
        codes = [c for c in store.list_codes(project, book.id)][:6]
        coders = [store.ensure_coder(project, n) for n in ("alice", "bob")]
        step = len(text) // 600
        for i in range(600):
            start = i * step + (i % 3) * 10
            store.add_annotation(project, article_id=article.id, start=start,
                                 end=min(len(text), start + 60 + (i % 5) * 90),
                                 code_id=codes[i % len(codes)].id, coder_id=coders[i % 2].id)
        anns = store.list_annotations(project, article_ids=[article.id])
        reader = Reader()
        reader.resize(900, 700)
        reader.show()
        reader.load(article, anns, coder_id=coders[0].id, shown=None)
        app.processEvents()
        bar = reader.verticalScrollBar()
        bar.setValue(bar.maximum() // 2)
        app.processEvents()

        def repaint():
            reader.viewport().repaint()
            reader.margin.repaint()

        pref = StripePreference.instance()
        pref.set_enabled(True)
        app.processEvents()
        on = median_ms(repaint)
        on_margin = median_ms(reader.margin.repaint)
        on_text = median_ms(reader.viewport().repaint)
        stripes = len(reader.margin.last_paint)
        pref.set_enabled(False)
        app.processEvents()
        off = median_ms(repaint)
        off_text = median_ms(reader.viewport().repaint)

        ann = anns[300]

        def recode_reader():
            reader.upsert_annotation(ann)

        reader_ms = median_ms(recode_reader)          # stripes off: the reader's own work
        pref.set_enabled(True)
        app.processEvents()

        def recompute_margin():
            reader.margin._key = None
            reader.margin.geometry_of_spans()

        margin_ms = median_ms(recompute_margin)
        print(f"{len(anns)} spans, {stripes} stripes painted, {reader.margin._lanes} lanes")
        print(f"repaint with stripes      {on:7.2f} ms   baseline without stripes {off:7.2f} ms")
        print(f"  of which: margin alone  {on_margin:7.2f} ms, text viewport {on_text:7.2f} ms "
              f"(without stripes {off_text:7.2f} ms)")
        print(f"margin geometry, 1 coding {margin_ms:7.2f} ms   baseline reader upsert   "
              f"{reader_ms:7.2f} ms")
        reader.close()
        project.close()


if __name__ == "__main__":
    main()
