"""Shared pytest configuration and fixtures."""

import os

# GUI tests drive real widgets without a display; must be set before Qt is imported.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil  # noqa: E402

import pytest  # noqa: E402


# -- GUI fixtures (desktop/) ----------------------------------------------------------------------
@pytest.fixture(scope="session")
def gui_demo_template(tmp_path_factory):
    """The demo project's five English articles, built once per test session (copied per
    test); the GUI tests are written against them (the original-language texts are tested in
    tests/test_demo_original_language.py and tests/test_gui_original_language.py)."""
    from framelens.desktop.shell.demo_project import build_demo_project

    path = tmp_path_factory.mktemp("gui-demo") / "demo.framelens"
    build_demo_project(path).close()
    return path


@pytest.fixture
def gui_demo_path(gui_demo_template, tmp_path):
    """A fresh copy of the demo project in this test's tmp_path."""
    dest = tmp_path / "demo.framelens"
    shutil.copy(gui_demo_template, dest)
    return dest


@pytest.fixture
def gui_settings(tmp_path):
    """QSettings in a private ini file, so tests never touch the user's settings."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "qsettings"))
    return QSettings(str(tmp_path / "framelens-test.ini"), QSettings.IniFormat)


@pytest.fixture
def gui_window_factory(qtbot, gui_settings):
    """Open a main window on a project path as a given coder; closes it afterwards."""
    import framelens.desktop.shell.app  # noqa: F401  (registers the window opener, as every entry point does)
    from framelens import store
    from framelens.desktop.shell.main_window import MainWindow
    from framelens.desktop.shell.session import Session

    opened = []

    def make(path, coder="alice", size=(1500, 950)):
        project = store.open_project(path)
        session = Session(project, store.ensure_coder(project, coder))
        window = MainWindow(session, gui_settings)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
        opened.append((window, project))
        return window

    yield make
    for window, project in opened:
        window.close()
        window.runner.shutdown()
        project.close()
