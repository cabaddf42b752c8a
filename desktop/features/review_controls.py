"""The review panel's controls that decide what a reader sees and what a bulk accept does.

**Which suggesters are shown.**  One checkable action per suggester (actors, voices and quotes,
contested names, frame cues, learned), in the Suggestions menu and as toggle buttons at the top
of the Suggestions dock (the same actions, so the two never disagree).  A suggester that is off
is neither outlined in the text nor listed in the queue, so bulk accept never takes what the
reader cannot see.  Frame cues are **off by default**: they are single words ("crisis",
"threat") found in almost every sentence of a news story — about a third of a pass's
suggestions — and are most useful once turned on for a look at one frame.  Each choice is
remembered in QSettings under ``review/show/<suggester>``.

**Bulk accept says what it will do.**  :func:`bulk_summary` describes the suggestions a bulk
accept would take — how many, by which suggesters, as which codes, in which articles — and
:func:`confirm_bulk` asks with that text before anything is written (Cancel is the default
button, so Enter alone never accepts hundreds of suggestions).
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Iterable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QGridLayout, QMessageBox, QSizePolicy, QToolButton, QWidget

from framelens import store
from framelens.desktop.reading.comparison import display_title

#: (name, menu text, button text, tooltip)
SUGGESTERS = (("actors", "Actors", "Actors", "People, organisations and countries named in the text"),
              ("voices", "Voices and quotes", "Voices", "Quotes and who is quoted"),
              ("contested", "Contested names", "Contested", "Names that differ by side "
                                                            "(e.g. disputed places)"),
              ("cues", "Frame cues", "Cues", "Single cue words of the policy frames; off by "
                                             "default, they fall in almost every sentence"),
              ("learned", "Learned", "Learned", "The learned suggester, trained on your decisions"))
BAR_COLUMNS = 3
_LABELS = {name: text for name, text, _short, _tip in SUGGESTERS}


def suggester_label(name: str) -> str:
    """The reader's word for a suggester (never its internal name)."""
    return _LABELS.get(name, name.replace("_", " ").replace("-", " ").capitalize())


def codebook_label(project, key: str) -> str:
    """A codebook's name for its key ("policy_frames" -> "Policy Frames")."""
    return next((cb.name for cb in store.list_codebooks(project) if cb.key == key), key)
DEFAULT_SHOWN = {"actors": True, "voices": True, "contested": True, "cues": False, "learned": True}


class SuggesterToggles(QObject):
    """One checkable QAction per suggester, remembered in QSettings."""

    changed = Signal()

    def __init__(self, settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.actions: dict[str, QAction] = {}
        for name, text, short, tip in SUGGESTERS:
            act = QAction(text, self, checkable=True)
            act.setIconText(short)
            act.setData(short)
            act.setChecked(settings.value(f"review/show/{name}", DEFAULT_SHOWN[name], type=bool))
            act.setToolTip(tip)
            act.setStatusTip(tip)
            act.toggled.connect(lambda on, n=name: self._toggled(n, on))
            self.actions[name] = act
            self._mark(act)

    @staticmethod
    def _mark(act: QAction) -> None:
        """A check mark on the button's text, so on and off differ in every style."""
        act.setIconText(("✓ " if act.isChecked() else "") + act.data())

    def _toggled(self, name: str, on: bool) -> None:
        self._mark(self.actions[name])
        self.settings.setValue(f"review/show/{name}", on)
        self.changed.emit()

    def shown(self) -> tuple[str, ...]:
        """The suggesters whose suggestions are outlined and queued."""
        return tuple(n for n, act in self.actions.items() if act.isChecked())

    def set_shown(self, name: str, on: bool) -> None:
        self.actions[name].setChecked(on)

    def bar(self) -> QWidget:
        """Toggle buttons bound to the same actions, :data:`BAR_COLUMNS` a row (the dock is
        often about 300 px wide)."""
        box = QWidget()
        box.setToolTip("Which suggesters are outlined in the text and listed in the queue")
        lay = QGridLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(3)
        for i, (name, act) in enumerate(self.actions.items()):
            button = QToolButton(box)
            button.setDefaultAction(act)
            button.setObjectName(f"show_{name}")
            button.setToolButtonStyle(Qt.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
            lay.addWidget(button, i // BAR_COLUMNS, i % BAR_COLUMNS)
        return box


def _counted(counter: Counter, limit: int = 6) -> str:
    items = counter.most_common()
    text = ", ".join(f"{name} {n}" for name, n in items[:limit])
    rest = sum(n for _name, n in items[limit:])
    return text + (f", {len(items) - limit} more ({rest})" if rest else "")


def bulk_summary(rows: list[store.Suggestion], titles: dict[int, str]) -> tuple[str, str]:
    """(one-line description, details) of accepting ``rows``: suggesters, codes, articles."""
    n = len(rows)
    by_suggester = Counter(s.suggester for s in rows)
    by_code = Counter(s.label for s in rows)
    by_article = Counter(titles.get(s.article_id, f"article {s.article_id}") for s in rows)
    line = (f"{n} suggestion{'s' if n != 1 else ''} ({_counted(by_suggester)}) "
            f"in {len(by_article)} article{'s' if len(by_article) != 1 else ''}")
    details = (f"By suggester: {_counted(by_suggester)}\n"
               f"As codes: {_counted(by_code)}\n"
               f"In articles: {_counted(by_article)}")
    return line, details


def confirm_bulk(parent, rows: list[store.Suggestion], titles: dict[int, str], threshold: float,
                 *, opened: Callable[[QMessageBox], None] | None = None) -> bool:
    """Ask before a bulk accept; True when the coder chose to accept.  ``opened`` is called
    with the box before it runs (tests and screenshots reach it there)."""
    line, details = bulk_summary(rows, titles)
    box = QMessageBox(QMessageBox.Question, "Accept suggestions",
                      f"Accept {line}, every one scoring at least {threshold:.2f}?", parent=parent)
    box.setObjectName("bulkAcceptBox")
    box.setInformativeText(details + "\n\nEach becomes a coding of yours; one Undo (Ctrl+Z) "
                                     "takes them all back.")
    accept = box.addButton(f"Accept {len(rows)}", QMessageBox.AcceptRole)
    accept.setObjectName("bulkAcceptButton")
    cancel = box.addButton(QMessageBox.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    if opened is not None:
        opened(box)
    box.exec()
    return box.clickedButton() is accept


def article_titles(columns: Iterable) -> dict[int, str]:
    """article id -> "Outlet: title" for the open columns (the queue only holds those)."""
    out = {}
    for col in columns:
        art = getattr(col, "article", None)
        if art is not None:
            title = display_title(art, art.text, n_words=8)
            out[art.id] = f"{art.outlet}: {title}" if art.outlet else title
    return out


def on_screen(widget, top, rect=None) -> bool:
    """Whether ``rect`` of ``widget`` (all of it by default) is wholly inside every widget up to
    ``top`` (the window), i.e. not scrolled or clipped away by a dock or a scroll area."""
    rect = widget.rect() if rect is None else rect
    if not rect.isValid() or not widget.isVisible():
        return False
    corners = [widget.mapToGlobal(p) for p in (rect.topLeft(), rect.bottomRight())]
    w = widget
    while w is not None and w is not top:
        if not all(w.rect().contains(w.mapFromGlobal(p)) for p in corners):
            return False
        w = w.parentWidget()
    return True
