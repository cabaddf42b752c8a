"""Screenshots of the reading layout (issue 18), offscreen at 1600×1000:

* ``docs/screenshots/default-layout.png`` — the default layout with two demo articles open
  (The Japan Times and PenzaNews, 2017) and a few passages coded;
* ``docs/screenshots/reading-mode.png`` — the same after F11: only the codebook stays.

English demo texts (no CJK font needed).  Run:
``QT_QPA_PLATFORM=offscreen .venv/bin/python desktop/layout_screenshots.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"

STORY_2017 = "Second Russia–Japan 2+2, Tokyo (resumed after the Crimea crisis)"
#: (outlet, phrase, code) coded before the shots, so the columns show spans
CODINGS = [("The Japan Times", "ministerial security dialogue", "Security and defense"),
           ("The Japan Times", "symbolic development rather than substantial", "Political"),
           ("PenzaNews", "joint economic activities in the Southern Kuriles", "Economic"),
           ("PenzaNews", "combating terrorism, piracy, drug trafficking", "Crime and punishment")]


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from framelens import store
    from framelens.desktop.shell.demo_project import build_demo_project
    from framelens.desktop.shell.main_window import MainWindow, wait_idle
    from framelens.desktop.shell.session import Session
    from framelens.desktop.screenshots import private_app

    def settle(window, seconds: float = 0.3) -> None:
        wait_idle(window)
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            QApplication.processEvents()
            time.sleep(0.01)

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app, settings = private_app(tmp, "layout.ini")
        project = build_demo_project(Path(tmp) / "demo.framelens")
        coder = store.ensure_coder(project, "Aiko")
        story = store.get_story(project, STORY_2017)
        articles = {a.outlet: a for a in (store.get_article(project, i)
                                          for i in store.story_article_ids(project, story.id))}
        codes = {c.name: c for c in store.list_codes(project, store.get_codebook(project, "Policy Frames").id)}
        for outlet, phrase, code in CODINGS:
            article = articles[outlet]
            start = article.text.index(phrase)
            store.add_annotation(project, article_id=article.id, start=start,
                                 end=start + len(phrase), code_id=codes[code].id,
                                 coder_id=coder.id)
        window = MainWindow(Session(project, coder), settings)
        window.resize(1600, 1000)
        window.show()
        settle(window)
        for outlet in ("The Japan Times", "PenzaNews"):
            window.open_article(articles[outlet].id)
        settle(window)
        window.grab().save(str(OUT / "default-layout.png"))
        reader = window.comparison.columns[0].reader
        reader.setFocus()
        for kind in (QKeyEvent.KeyPress, QKeyEvent.KeyRelease):
            QApplication.sendEvent(window, QKeyEvent(kind, Qt.Key_F11, Qt.NoModifier))
        if not window.dock_layout.reading:            # the shortcut needs an active window
            window.dock_layout.reading_act.trigger()
        settle(window)
        window.grab().save(str(OUT / "reading-mode.png"))
        window.close()
        project.close()
    for name in ("default-layout.png", "reading-mode.png"):
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
