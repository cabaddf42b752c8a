"""Screenshots for the documentation (``make screenshots``).

Builds the demo project in a temporary folder, codes a few passages of the three 2017 articles
as two coders through store calls, opens the main window at 1600×1000 and grabs:

* ``docs/screenshots/demo-articles.png`` — just after opening the demo: the article list;
* ``docs/screenshots/main-light.png`` / ``main-dark.png`` — three columns with coded spans.

Run offscreen: ``QT_QPA_PLATFORM=offscreen .venv/bin/python desktop/screenshots.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from framelens import store  # noqa: E402
from framelens.desktop.widgets import theme # noqa: E402
from framelens.desktop.shell.app import ensure_app # noqa: E402
from framelens.desktop.shell.demo_project import build_demo_project # noqa: E402
from framelens.desktop.shell.main_window import MainWindow, wait_idle # noqa: E402
from framelens.desktop.shell.session import Session # noqa: E402

STORY_2017 = "Second Russia–Japan 2+2, Tokyo (resumed after the Crimea crisis)"
OUT = ROOT / "docs" / "screenshots"

#: (outlet, phrase, policy frame, coder, memo)
CODINGS = [
    ("The Japan Times", "ministerial security dialogue", "Security and defense", "Aiko", None),
    ("The Japan Times", "symbolic development rather than substantial", "Political", "Aiko",
     "Framed as symbolism, not substance"),
    ("The Japan Times", "may have only served Moscow’s interest", "External regulation and reputation",
     "Maxim", None),
    ("The Japan Times", "U.S. missile defense abilities", "Security and defense", "Aiko", None),
    ("The Japan Times", "Russia remains wary of U.S. missile defense", "External regulation and reputation",
     "Aiko", None),
    ("The Japan Times", "North Korea’s growing nuclear missile threat", "Security and defense", "Maxim", None),
    ("PenzaNews", "regional and international security and confidence-building measures",
     "Security and defense", "Aiko", None),
    ("PenzaNews", "confidence-building measures in the Asia-Pacific region", "Policy prescription and evaluation",
     "Aiko", None),
    ("PenzaNews", "combating terrorism, piracy, drug trafficking", "Crime and punishment", "Aiko", None),
    ("PenzaNews", "joint economic activities in the Southern Kuriles", "Economic", "Maxim", None),
    ("PenzaNews", "Prime Minister Shinzo Abe will visit Russia", "Political", "Aiko", None),
    ("Russia Beyond", "Do Russia and Japan prefer status over substance?", "Political", "Aiko", None),
    ("Russia Beyond", "joint economic activity on the Southern Kuril Islands", "Economic", "Aiko", None),
    ("Russia Beyond", "both parties remain committed to maintain the momentum", "Policy prescription and evaluation",
     "Maxim", None),
    ("Russia Beyond", "tensions persisting over Ukraine", "External regulation and reputation", "Aiko", None),
]


def code_demo(project: store.Project) -> None:
    """The screenshot codings, each as the coder would make it."""
    story = store.get_story(project, STORY_2017)
    by_outlet = {a.outlet: a for a in store.list_articles(project, story_id=story.id)}
    book = store.get_codebook(project, "policy_frames")
    for outlet, phrase, code_name, coder_name, memo in CODINGS:
        article = by_outlet[outlet]
        text = store.get_text(project, article.id)
        start = text.find(phrase)
        if start < 0:
            continue
        coder = store.ensure_coder(project, coder_name)
        code = store.find_code(project, code_name, book.id)
        store.add_annotation(project, article_id=article.id, start=start, end=start + len(phrase),
                             code_id=code.id, coder_id=coder.id, memo=memo)
    aiko = store.ensure_coder(project, "Aiko")
    first = by_outlet["The Japan Times"]
    for key, value in (("conflict_1", "1"), ("conflict_3", "1"), ("responsibility_1", "0")):
        q = store.get_question(project, key, "semetko_valkenburg")
        store.set_article_label(project, article_id=first.id, coder_id=aiko.id, question_id=q.id, value=value)
    q = store.get_question(project, "primary_frame", "policy_frames")
    store.set_article_label(project, article_id=first.id, coder_id=aiko.id, question_id=q.id,
                            value="Security and defense")


def private_app(tmp: str | Path, name: str = "screens.ini") -> tuple[QApplication, QSettings]:
    """The application in the light theme, with every QSettings kept in ``tmp`` (a screenshot
    never reads or writes the user's settings).  Shared by every screenshot script."""
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp))
    settings = QSettings(str(Path(tmp) / name), QSettings.IniFormat)
    app = ensure_app()
    theme.apply_theme(app, theme.LIGHT)
    return app, settings


def open_window(project: store.Project, settings: QSettings, coder: str = "Aiko",
                size: tuple[int, int] = (1600, 1000)) -> MainWindow:
    """A main window on ``project`` as ``coder``, shown at the documentation's size."""
    window = MainWindow(Session(project, store.ensure_coder(project, coder)), settings)
    window.resize(*size)
    window.show()
    return window


def settle(app: QApplication, window: MainWindow) -> None:
    wait_idle(window)
    for _ in range(5):
        app.processEvents()


def original_language_shot(app: QApplication, window: MainWindow, project: store.Project) -> None:
    """The Russian, Japanese and Chinese texts side by side after a suggestion pass in the
    helper process, the review queue open; each header names the pipeline that ran."""
    from framelens.desktop.features.review import ReviewPanel
    from framelens.desktop.shell import languages

    for col in list(window.comparison.columns):
        window.comparison.close_column(col)
    for lang in ("ru", "ja", "zh"):
        window.open_article(next(a.id for a in store.list_articles(project) if a.language == lang))
    review = window.features.get(ReviewPanel)
    review.load_pipeline()
    task = review.suggest_open()
    deadline = time.monotonic() + 600
    while (review.suggest_task is not None or not languages.known()) \
            and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)
    review.actions["review"].trigger()
    window.session.set_view("all")
    settle(app, window)
    window.grab().save(str(OUT / "original-language.png"))
    del task


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app, settings = private_app(tmp)
        path = Path(tmp) / "two-plus-two.framelens"
        project = build_demo_project(path, original_language=True)
        code_demo(project)
        coder = store.ensure_coder(project, "Aiko")
        window = open_window(project, settings)
        settle(app, window)
        all_articles = window.corpus.model.index(window.corpus.model.rowCount() - 1, 0)
        window.corpus.tree.expand(all_articles)
        window.resizeDocks([window.corpus_dock], [640], Qt.Horizontal)   # the list is the subject here
        settle(app, window)
        window.grab().save(str(OUT / "demo-articles.png"))
        window.resizeDocks([window.corpus_dock], [390], Qt.Horizontal)

        story = store.get_story(project, STORY_2017)
        window.open_story(story.id)
        settle(app, window)
        window.session.set_view(store.find_coder(project, "Maxim").id)
        window.comparison.set_current(window.comparison.columns[0])
        window.codebook.tree.setCurrentItem(window.codebook.tree.topLevelItem(7))
        settle(app, window)
        window.grab().save(str(OUT / "main-light.png"))

        theme.apply_theme(app, theme.DARK)
        settle(app, window)
        window.grab().save(str(OUT / "main-dark.png"))
        theme.apply_theme(app, theme.LIGHT)
        original_language_shot(app, window, project)
        window.close()
        project.close()
    for name in ("demo-articles.png", "main-light.png", "main-dark.png", "original-language.png"):
        print(OUT / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
