"""The review queue screenshot for the documentation: ``docs/screenshots/review-queue.png``.

Builds the demo project (English texts) in a temporary folder, opens the main window at
1600×1000, opens the three 2017 articles, runs a suggestion pass in the helper process, opens
the review queue (Suggestions → Review suggestions) and moves to the first suggestion.  Frame
cues are off (the default), so the picture shows what a reader sees after a first pass.

Run offscreen: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m framelens.desktop.features.review_screenshot [out.png]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from framelens import store  # noqa: E402
from framelens.desktop.features.review import ReviewPanel  # noqa: E402
from framelens.desktop.shell.demo_project import build_demo_project  # noqa: E402
from framelens.desktop.screenshots import open_window, private_app  # noqa: E402

STORY_2017 = "Second Russia–Japan 2+2, Tokyo (resumed after the Crimea crisis)"
DEFAULT_OUT = Path("docs") / "screenshots" / "review-queue.png"


def _wait(app, condition, seconds: float = 300.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the window")
        app.processEvents()
        time.sleep(0.02)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app, settings = private_app(tmp)
        project = build_demo_project(Path(tmp) / "demo.framelens")
        window = open_window(project, settings)
        story = next(s for s in store.list_stories(project) if s.name == STORY_2017)
        window.open_story(story.id, 3)
        _wait(app, lambda: len(window.comparison.columns) == 3 and not window.runner.busy)
        panel = window.features.get(ReviewPanel)
        panel.suggest_open()
        _wait(app, lambda: panel.suggest_task is None)
        panel.actions["review"].trigger()
        panel.next()
        for _ in range(20):
            app.processEvents()
            time.sleep(0.02)
        window.grab().save(str(out))
        print(f"{out}: {len(panel.queue)} open suggestions; outlines drawn per column: "
              f"{[len(c.reader.suggestion_layer.drawn) for c in window.comparison.columns]}")
        window.close()
        window.runner.shutdown()
        project.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
