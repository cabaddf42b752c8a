"""Screenshot of the codebook with code counts and a code memo (issue 18), offscreen at 1600×1000.

Builds the English demo project in a temporary folder, codes the passages of
``desktop/screenshots.py`` (two coders, Aiko and Maxim), writes a code memo and a project memo
as Aiko, opens the window as Aiko with *Show codings of: All coders*, selects the code with the
memo and grabs ``docs/screenshots/codebook-memos.png`` (and, with ``--dialog``, the project memos
dialog as ``docs/screenshots/project-memos.png``).

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python desktop/screenshot_codebook.py [--dialog]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]


from framelens import store  # noqa: E402
from framelens.desktop.shell.demo_project import build_demo_project  # noqa: E402
from framelens.desktop.shell.session import ALL  # noqa: E402
from framelens.desktop.screenshots import (STORY_2017, code_demo, open_window, private_app,  # noqa: E402
                                           settle)

OUT = ROOT / "docs" / "screenshots"
CODE_MEMO = ("Use for military and alliance questions (missile defense, 2+2 talks). "
             "Diplomatic protocol without a security content goes to Political.")
PROJECT_MEMO = ("The Russian outlets report the talks as a return to normal; the Japanese one "
                "as symbolism. Check the 2019 round for the same contrast.")


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app, settings = private_app(tmp)
        project = build_demo_project(Path(tmp) / "two-plus-two.framelens")
        code_demo(project)
        aiko = store.ensure_coder(project, "Aiko")
        security = store.find_code(project, "Security and defense", "policy_frames")
        store.set_code_memo(project, security.id, CODE_MEMO, coder_id=aiko.id)
        store.add_memo(project, PROJECT_MEMO, title="Week 1: first reading", coder_id=aiko.id)
        window = open_window(project, settings)
        settle(app, window)
        window.open_story(store.get_story(project, STORY_2017).id)
        settle(app, window)
        window.session.set_view(ALL)
        panel = window.codebook
        panel.set_codebook("policy_frames")
        panel.tree.setCurrentItem(panel.items[security.id])
        settle(app, window)
        window.grab().save(str(OUT / "codebook-memos.png"))
        print(OUT / "codebook-memos.png", "codebook panel", panel.width(), "x", panel.height(),
              "min useful height", panel.minimum_useful_height())
        if "--dialog" in argv:
            next(a for a in window.actions() if a.text() == "Project &memos…").trigger()
            from framelens.desktop.dialogs.memos_dialog import MemosDialog
            dialog = window.features.get(MemosDialog)
            dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
            settle(app, window)
            dialog.grab().save(str(OUT / "project-memos.png"))
            print(OUT / "project-memos.png")
        window.close()
        project.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
