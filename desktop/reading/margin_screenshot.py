"""Screenshot of the coding stripes (issue 18): ``docs/screenshots/margin-stripes.png``.

Builds the English demo project in a temporary folder, codes passages of the PenzaNews article of
the 2017 story as two coders (the documentation's codings of ``desktop/screenshots.py`` plus a
few overlapping ones, so that three lanes stand side by side), opens that one article at
1600×1000 showing both coders, and grabs the window.

Run offscreen: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m framelens.desktop.reading.margin_screenshot``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from framelens import store  # noqa: E402
from framelens.desktop.screenshots import STORY_2017, code_demo, settle  # noqa: E402
from framelens.desktop.screenshots import open_window, private_app  # noqa: E402
from framelens.desktop.shell.demo_project import build_demo_project  # noqa: E402
from framelens.desktop.shell.session import ALL  # noqa: E402

#: (phrase, policy frame, coder, memo) in the PenzaNews article, over the documentation's codings
EXTRA = [
    ("Japan and Russia held their second", "Political", "Maxim", None),
    ("in the Asia-Pacific region", "External regulation and reputation", "Maxim",
     "Regional framing, not bilateral"),
    ("security and confidence-building", "Security and defense", "Maxim", None),
    ("piracy", "Crime and punishment", "Maxim", None),
]


def add_extra(project: store.Project) -> int:
    story = store.get_story(project, STORY_2017)
    article = next(a for a in store.list_articles(project, story_id=story.id)
                   if a.outlet == "PenzaNews")
    text = store.get_text(project, article.id)
    book = store.get_codebook(project, "policy_frames")
    for phrase, code_name, coder_name, memo in EXTRA:
        start = text.find(phrase)
        if start < 0:
            continue
        store.add_annotation(project, article_id=article.id, start=start, end=start + len(phrase),
                             code_id=store.find_code(project, code_name, book.id).id,
                             coder_id=store.ensure_coder(project, coder_name).id, memo=memo)
    return article.id


def main(out: Path | None = None) -> Path:
    out = out or Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "margin-stripes.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app, settings = private_app(tmp)
        project = build_demo_project(Path(tmp) / "stripes.framelens")
        code_demo(project)
        article_id = add_extra(project)
        window = open_window(project, settings)
        settle(app, window)
        column = window.open_article(article_id)
        window.session.set_view(ALL)
        settle(app, window)
        text = column.reader.article.text
        column.reader.select_cp(text.find("regional and international"),
                                text.find("regional and international"))
        column.reader.verticalScrollBar().setValue(
            column.reader.verticalScrollBar().value() + column.reader.viewport().height() // 6)
        settle(app, window)
        window.grab().save(str(out))
        window.close()
        project.close()
    return out


if __name__ == "__main__":
    print(main())
    sys.exit(0)
