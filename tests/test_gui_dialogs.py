"""File menu dialogs and the Agreement view, through real widgets, workers and project files."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from framelens import store
from framelens.annotate.ops.demo import init_project
from framelens.desktop.shell.session import ALL
from framelens.desktop.shell.project_actions import ProjectActions

pytestmark = pytest.mark.gui

DEMO_TEXTS = Path(__file__).resolve().parents[1] / "assets" / "demo" / "two-plus-two"


@pytest.fixture
def captured_boxes(monkeypatch):
    """QMessageBox statics record (title, text) instead of blocking."""
    seen: list[tuple[str, str, str]] = []

    def fake(kind, answer=QMessageBox.Ok):
        def box(parent, title, text, *args, **kwargs):
            seen.append((kind, title, text))
            return answer
        return box

    for kind in ("critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, kind, fake(kind))
    monkeypatch.setattr(QMessageBox, "question", fake("question", QMessageBox.No))
    return seen


def new_project(tmp_path: Path, name: str = "fresh.framelens") -> Path:
    path = tmp_path / name
    init_project(path).close()
    return path


def code(project, name: str, book: str = "policy_frames") -> store.Code:
    return store.find_code(project, name, book)


def annotate(project, coder: str, article_id: int, start: int, end: int, code_id: int) -> int:
    who = store.ensure_coder(project, coder)
    return store.add_annotation(project, article_id=article_id, start=start, end=end,
                                code_id=code_id, coder_id=who.id)[0]


def run_import(dialog, qtbot, timeout=30000):
    with qtbot.waitSignal(dialog.imported, timeout=timeout) as blocker:
        assert dialog.start() is not None
    return blocker.args[0]


# -- importing articles --------------------------------------------------------------------------
def test_import_folder_reports_bad_files_duplicates_and_refreshes_corpus(tmp_path, gui_window_factory, qtbot):
    path = new_project(tmp_path)
    window = gui_window_factory(path, coder="alice")
    folder = tmp_path / "incoming"
    folder.mkdir()
    sources = sorted(DEMO_TEXTS.glob("*.txt"))[:3]
    for i, src in enumerate(sources):
        shutil.copy(src, folder / f"good{i}.txt")
    shutil.copy(sources[0], folder / "good9-copy.txt")             # same text: a duplicate
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.txt").write_bytes(bytes(range(256)) * 20)      # binary under a text name

    dialog = window.features.get(ProjectActions).import_articles()
    dialog.add_paths([folder])
    dialog.outlet.setCurrentText("TASS")
    assert dialog.country.text() == "RU"                           # from the outlet registry
    dialog.country.setText("XQ")
    assert not dialog.validate() and "XQ" in dialog.message.text()
    dialog.country.setText("RU")
    dialog.published.setText("2017-02-31")
    assert not dialog.validate()
    dialog.published.setText("2017-03-20")
    dialog.story.setCurrentText("Imported round")
    assert dialog.validate()

    outcome = run_import(dialog, qtbot)
    report = outcome.report
    assert len(report.imported) == 3 and not report.cancelled
    rows = dialog.report_dialog.rows()
    bad = {Path(r[1]).name: r[2] for r in rows if r[0] == "could not be imported"}
    assert set(bad) == {"empty.txt", "scan.txt"}
    assert "empty" in bad["empty.txt"] and "binary" in bad["scan.txt"]
    dup = [r for r in rows if r[0] == "already in the project"]
    first_id = dict(report.imported)[str(folder / "good0.txt")]
    assert len(dup) == 1 and dup[0][1].endswith("good9-copy.txt")
    assert dup[0][2].startswith(f"article {first_id}:")
    assert "empty.txt" in dialog.report_dialog.as_text()            # copyable, tab-separated

    qtbot.waitUntil(lambda: window.corpus.model.article_count() == 3, timeout=10000)
    project = window.session.project
    arts = store.list_articles(project)
    assert {(a.outlet, a.country, a.published) for a in arts} == {("TASS", "RU", "2017-03-20")}
    story = store.get_story(project, "Imported round")
    assert sorted(store.story_article_ids(project, story.id)) == sorted(report.article_ids)


def test_cancel_mid_import_keeps_what_was_reported(tmp_path, gui_window_factory, qtbot):
    path = new_project(tmp_path)
    window = gui_window_factory(path, coder="alice")
    folder = tmp_path / "many"
    folder.mkdir()
    base = (DEMO_TEXTS / sorted(p.name for p in DEMO_TEXTS.glob("*.txt"))[0]).read_text("utf-8")
    n = 400
    for i in range(n):
        (folder / f"a{i:04d}.txt").write_text(f"Dispatch {i}.\n\n{base[: 1500 + i]}", "utf-8")

    dialog = window.features.get(ProjectActions).import_articles()
    dialog.add_paths([folder])
    seen = []

    def first_progress(done, total, text):
        seen.append(done)
        if len(seen) == 1:
            dialog.panel.cancel_button.click()

    dialog.job_started.connect(lambda job: job.progress.connect(first_progress))
    with qtbot.waitSignal(dialog.imported, timeout=60000) as blocker:
        dialog.start()
    report = blocker.args[0].report
    assert report.cancelled and seen
    assert 0 < len(report.imported) < n
    assert "cancelled" in dialog.report_dialog.summary.text().lower()
    project = window.session.project
    ids = {a.id for a in store.list_articles(project)}
    assert ids == set(report.article_ids)                          # nothing more, nothing less
    assert store.integrity_check(project) == []
    qtbot.waitUntil(lambda: window.corpus.model.article_count() == len(ids), timeout=10000)

    # the status bar's Cancel stops the task itself: the batch in flight is rolled back and
    # the report lists exactly what had been committed
    more = tmp_path / "more"
    more.mkdir()
    for i in range(n):
        (more / f"b{i:04d}.txt").write_text(f"Bulletin {i}.\n\n{base[: 1200 + i]}", "utf-8")
    dialog.sources.clear()
    dialog.add_paths([more])
    seen.clear()
    dialog.job_started.connect(lambda job: job.progress.connect(
        lambda *a: len(seen) == 1 and window.cancel_button.click()))
    with qtbot.waitSignal(dialog.imported, timeout=60000) as blocker:
        dialog.start()
    again = blocker.args[0].report
    assert again.cancelled and len(again.imported) < n
    after = {a.id for a in store.list_articles(project)}
    assert after == ids | set(again.article_ids)


# -- datasets: export, import, merge ---------------------------------------------------------------
def test_export_dialog_writes_qdpx_and_csv_of_two_coders(gui_demo_path, gui_window_factory, qtbot, tmp_path):
    project = store.open_project(gui_demo_path)
    a1, a2 = [a.id for a in store.list_articles(project)][:2]
    econ, security = code(project, "Economic"), code(project, "Security and defense")
    annotate(project, "alice", a1, 0, 40, econ.id)
    annotate(project, "bob", a1, 10, 60, econ.id)
    annotate(project, "bob", a2, 100, 180, security.id)
    n_annotations = len(store.list_annotations(project))
    project.close()
    window = gui_window_factory(gui_demo_path, coder="alice")

    dialog = window.features.get(ProjectActions).export_dataset_dialog()
    assert [dialog.coders.item(i).text() for i in range(dialog.coders.count())] == ["alice", "bob"]
    out = tmp_path / "out" / "coded.qdpx"
    dialog.set_format("qdpx")
    dialog.output.setText(str(out))
    assert dialog.start() is not None
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30000)
    assert out.exists() and zipfile.is_zipfile(out)
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]   # no staging left
    assert "3 spans" in dialog.report_dialog.summary.text()

    dialog.report = None
    dialog.set_format("csv")
    assert dialog.output.text().endswith("coded.csv")              # suffix follows the format
    dialog.bom.setChecked(True)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30000)
    data = (tmp_path / "out" / "coded.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert len(rows) - 1 == n_annotations == 3

    # nothing ticked: refused before anything runs
    for i in range(dialog.coders.count()):
        dialog.coders.item(i).setCheckState(Qt.Unchecked)
    assert dialog.start() is None and "coder" in dialog.message.text()


def test_import_dataset_refusal_and_merge_report(gui_demo_path, gui_window_factory, qtbot, tmp_path,
                                                 captured_boxes):
    other = tmp_path / "bob-copy.framelens"
    shutil.copy(gui_demo_path, other)
    p = store.open_project(other)
    aid = store.list_articles(p)[0].id
    annotate(p, "bob", aid, 5, 50, code(p, "Economic").id)
    p.close()
    window = gui_window_factory(gui_demo_path, coder="alice")
    actions = window.features.get(ProjectActions)

    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"text": "fine"}\n{not json\n', "utf-8")
    actions.import_dataset_dialog(str(bad))
    qtbot.waitUntil(lambda: bool(captured_boxes), timeout=20000)
    kind, title, text = captured_boxes[-1]
    assert kind == "critical" and "broken.jsonl" in text and "Nothing was imported" in text

    actions.last_dataset = None
    with qtbot.waitSignal(window.session.changed, timeout=20000):
        actions.merge_dialog(str(other))
    qtbot.waitUntil(lambda: actions.last_dataset is not None, timeout=20000)
    assert actions.last_dataset.error is None
    assert "1 span" in actions.report_dialog.summary.text()
    bob = store.find_coder(window.session.project, "bob")
    assert [a.start for a in store.list_annotations(window.session.project, coder_ids=[bob.id])] == [5]
    assert window.coder_combo.findText("bob") >= 0                 # coder lists refreshed


# -- projects --------------------------------------------------------------------------------------
def test_open_not_a_project_new_project_and_recent(tmp_path, gui_demo_path, gui_window_factory, qtbot,
                                                   captured_boxes):
    window = gui_window_factory(gui_demo_path, coder="alice")
    actions = window.features.get(ProjectActions)
    junk = tmp_path / "notes.framelens"
    junk.write_text("meeting notes, not a database\n" * 20, "utf-8")
    with pytest.raises(store.NotAProjectError) as err:
        store.open_project(junk)
    assert actions.open_path(junk) is None
    assert captured_boxes == [("critical", "Not a FrameLens project", str(err.value))]

    opened = actions.new_project_dialog(str(tmp_path / "second"))
    try:
        assert opened is not None and opened is not window
        path = Path(opened.session.path)
        assert path.name == "second.framelens"
        assert store.list_codebooks(opened.session.project)             # default codebooks
        assert opened.session.coder.name == "alice"
        assert actions.open_path(gui_demo_path) is window               # already open here
        from framelens.desktop.shell.project_actions import recent_projects
        assert recent_projects(window.settings)[0] == str(path.resolve())
        actions._fill_recent()
        assert "second.framelens" in [a.text() for a in actions.recent_menu.actions()]
    finally:
        qtbot.waitUntil(lambda: not opened.runner.busy, timeout=30000)   # its start-up tasks
        opened.close()
        opened.runner.shutdown()
        opened.session.project.close()


# -- agreement and adjudication ------------------------------------------------------------------
def test_agreement_flags_and_adjudication_with_undo(gui_demo_path, gui_window_factory, qtbot):
    project = store.open_project(gui_demo_path)
    arts = [a.id for a in store.list_articles(project)]
    econ = code(project, "Economic")
    alice_ids = [annotate(project, "alice", aid, 0, 60, econ.id) for aid in arts[:3]]
    bob_ids = [annotate(project, "bob", arts[0], 30, 100, econ.id),
               annotate(project, "bob", arts[1], 55, 160, econ.id)]
    project.close()
    window = gui_window_factory(gui_demo_path, coder="carol")
    from framelens.desktop.features.agreement_view import AgreementView

    view = window.features.get(AgreementView)
    entry = window.features.dock("agreementDock")
    with qtbot.waitSignal(view.disagreementsLoaded, timeout=30000):
        entry.action.trigger()                                     # Tools → Agreement
    qtbot.waitUntil(lambda: bool(view.rows), timeout=30000)
    assert entry.dock.isVisible()
    flagged = [r for r, row in enumerate(view.rows) if row.flagged]
    assert flagged
    t = view.table
    char_row = next(r for r in view.rows if r.measure == "alpha_u")
    assert char_row.flagged
    shown = next(r for r in range(t.rowCount()) if t.item(r, 0).text() == "α_u, coded spans")
    assert t.item(shown, 5).text() == f"{char_row.value:.3f}"
    from framelens.desktop.features.agreement_view import warning_color
    assert t.item(shown, 0).background().color() == warning_color()
    assert t.item(shown, 6).text() == "not reliable · few units"
    fine = [r for r in range(t.rowCount()) if t.item(r, 6).text() in ("reliable", "undefined")]
    assert all(t.item(r, 0).background().style() == Qt.NoBrush for r in fine)
    assert "0.800" in t.item(shown, 5).toolTip() and "0.667" in t.item(shown, 5).toolTip()

    # disagreements: select the one in the first article, use bob's version
    index = next(n for n, i in enumerate(view._visible_items())
                 if i.article_id == arts[0] and i.kind == "span")
    item = view.select_item(index)
    assert item.article_id == arts[0] and set(item.versions) == {"alice", "bob"}
    assert window.session.view == ALL
    col = window.comparison.column_for(arts[0])
    assert col is not None and col.reader.selection_cp() == (item.start, item.end)
    panel = view.panel
    qtbot.mouseClick(panel.use_buttons["bob"], Qt.LeftButton)
    p = window.session.project
    adj = store.find_coder(p, store.ADJUDICATED)
    made = store.list_annotations(p, coder_ids=[adj.id])
    assert [(a.start, a.end, a.origin) for a in made] == [(30, 100, f"adjudicated-from:{bob_ids[0]}")]
    assert "Adjudicated" in panel.state.text()
    assert view.item_table.item(index, 4).text() == "adjudicated"
    qtbot.waitUntil(lambda: any(i.adjudicated for i in view.items if i.article_id == arts[0]),
                    timeout=10000)

    # Ctrl+Z in the list undoes the adjudication; the item is open again
    view.item_table.setFocus()
    qtbot.keyClick(view.item_table, Qt.Key_Z, Qt.ControlModifier)
    assert store.list_annotations(p, coder_ids=[adj.id]) == []
    qtbot.waitUntil(lambda: not any(i.adjudicated for i in view.items), timeout=10000)

    # edit then adjudicate: alice's version with other bounds
    view.select_item(index)
    panel.begin_edit("alice", panel.item.versions["alice"][0])
    panel.start_spin.setValue(5)
    panel.end_spin.setValue(40)
    assert panel.preview.text().strip("“”…") in store.get_text(p, arts[0])[5:40]
    assert panel.apply_edit()
    made = store.list_annotations(p, coder_ids=[adj.id])
    assert [(a.start, a.end, a.origin) for a in made] == [(5, 40, f"adjudicated-from:{alice_ids[0]}")]
    assert window.undo_act.text().startswith("&Undo Adjudicate Economic: alice's version (edited)")

    # keep none in the second article; undo brings the disagreement back
    qtbot.waitUntil(lambda: any(i.adjudicated for i in view.items), timeout=10000)
    second = next(n for n, i in enumerate(view._visible_items())
                  if i.article_id == arts[1] and i.kind == "span")
    view.select_item(second)
    qtbot.mouseClick(panel.keep_none, Qt.LeftButton)
    assert [k.article_id for k in store.kept_none(p)] == [arts[1]]
    qtbot.waitUntil(lambda: all(i.adjudicated for i in view.items if i.kind == "span"),
                    timeout=10000)
    window.session.undo()
    assert store.kept_none(p) == []
    qtbot.waitUntil(lambda: not next(i for i in view.items if i.article_id == arts[1]).adjudicated,
                    timeout=10000)
