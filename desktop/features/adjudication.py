"""Adjudicating one disagreement (the lower half of Tools → Agreement → Disagreements): every
coder's version side by side; "Use <coder>'s version" copies that span (or answer) into the coder
``adjudicated``; "Edit then adjudicate" copies it with other bounds; "Keep none" records that none
applies.  Each is one :meth:`Session.perform` action, so Ctrl+Z undoes it.

Codes are shown by their names, codebooks by their titles and questions by their wording
(:class:`Names`), never by their internal keys ("policy_frames/Economic", "primary_frame").
"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame, QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QScrollArea, QSpinBox,
    QVBoxLayout, QWidget,
)

from framelens import store
from framelens.annotate.ops.datasets import DisagreementItem

from framelens.desktop.shell.session import Session


def short(text: str | None, n: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def article_title(project: store.Project, item: DisagreementItem, cache: dict[int, str],
                  n: int = 40) -> str:
    """The article's title, or its first words when it has none (as the reading columns show
    it), cut to ``n`` characters; ``cache`` keeps what was read, per article."""
    if item.article_id not in cache:
        title = item.title
        if not title:
            try:
                title = " ".join(store.get_text(project, item.article_id).split()[:10])
            except store.ProjectError:
                title = ""
        cache[item.article_id] = title or "(no title)"
    return short(cache[item.article_id], n)


class Names:
    """The words people know for what the agreement figures and disagreements refer to by key:
    codebook key -> its title, "codebook/code" -> the code's name, (codebook, question key) ->
    the question as asked.  Read from the project (``refresh`` after a codebook changes)."""

    def __init__(self, project: store.Project | None = None):
        self.books: dict[str, str] = {}
        self.questions: dict[tuple[str, str], str] = {}
        if project is not None:
            self.refresh(project)

    def refresh(self, project: store.Project) -> None:
        books = store.list_codebooks(project)
        self.books = {b.key: b.name for b in books}
        keys = {b.id: b.key for b in books}
        self.questions = {(keys.get(q.codebook_id, ""), q.key): q.text
                          for q in store.list_questions(project)}

    def codebook(self, key: str | None) -> str:
        return self.books.get(key or "", "") if key else ""

    def question(self, codebook: str | None, key: str | None) -> str:
        found = self.questions.get((codebook or "", key or ""))
        if found is None:       # a question of another codebook with the same key
            found = next((t for (_b, k), t in self.questions.items() if k == key), None)
        return found or (key or "").replace("_", " ")

    @staticmethod
    def code(key: str | None) -> str:
        """A code key "codebook/name" -> the code's name."""
        return (key or "").rsplit("/", 1)[-1]

    def subject(self, item: DisagreementItem) -> str:
        """What a disagreement is about: the code's name or the question."""
        if item.code:
            return self.code(item.code)
        return self.question(item.codebook, item.question)


class AdjudicationPanel(QWidget):
    """The coders' versions of one disagreement side by side, with the adjudication buttons."""

    adjudicated = Signal(object)        # the DisagreementItem

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.names = Names(session.project)
        self.titles: dict[int, str] = {}      # article id -> title or first words
        self.item: DisagreementItem | None = None
        self.text = ""
        self.use_buttons: dict[str, QPushButton] = {}
        self.edit_buttons: dict[str, QPushButton] = {}
        self._editing: dict | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.title = QLabel("Select a disagreement to see every coder's version.")
        self.title.setWordWrap(True)
        self.state = QLabel()
        self.state.setWordWrap(True)
        lay.addWidget(self.title)
        lay.addWidget(self.state)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        lay.addWidget(self.scroll, 1)

        self.edit_box = QGroupBox("Edit then adjudicate")
        el = QHBoxLayout(self.edit_box)
        self.edit_from = QLabel()
        self.start_spin, self.end_spin = QSpinBox(), QSpinBox()
        self.start_spin.setToolTip("First character of the adjudicated span")
        self.end_spin.setToolTip("Character after the last one of the adjudicated span")
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.edit_apply = QPushButton("Adjudicate with these bounds")
        self.edit_apply.clicked.connect(self.apply_edit)
        for w in (self.edit_from, QLabel("from"), self.start_spin, QLabel("to"), self.end_spin):
            el.addWidget(w)
        el.addWidget(self.preview, 1)
        el.addWidget(self.edit_apply)
        self.start_spin.valueChanged.connect(self._preview)
        self.end_spin.valueChanged.connect(self._preview)
        self.edit_box.hide()
        lay.addWidget(self.edit_box)
        row = QHBoxLayout()
        self.keep_none = QPushButton("Keep none")
        self.keep_none.setToolTip("None of the versions applies here: the adjudicated coding "
                                  "leaves this range without the code")
        self.keep_none.clicked.connect(self.apply_keep_none)
        row.addStretch(1)
        row.addWidget(self.keep_none)
        lay.addLayout(row)
        self.set_item(None)

    # -- showing --------------------------------------------------------------------------------
    def set_item(self, item: DisagreementItem | None, text: str = "") -> None:
        self.item, self.text = item, text
        self.use_buttons.clear()
        self.edit_buttons.clear()
        self._editing = None
        self.edit_box.hide()
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        self.keep_none.setVisible(item is not None and item.kind == "span")
        if item is None:
            self.title.setText("Select a disagreement to see every coder's version.")
            self.state.clear()
            self.scroll.setWidget(holder)
            return
        what = self.names.subject(item)
        where = f"characters {item.start}–{item.end}" if item.kind == "span" else "whole article"
        title = article_title(self.session.project, item, self.titles, 60)
        self.title.setText(f"<b>{html.escape(what)}</b> · {where} · "
                           f"{html.escape(item.outlet or '—')}, {html.escape(item.country or '—')}"
                           f": {html.escape(title)}")
        for coder, versions in item.versions.items():
            for v in versions:
                row.addWidget(self._version_box(coder, v), 1)
        for coder in item.missing:
            box = QGroupBox(coder)
            QVBoxLayout(box).addWidget(QLabel(f"(did not put {what} here)"))
            row.addWidget(box, 1)
        self.scroll.setWidget(holder)
        self.update_state(item)

    def _version_box(self, coder: str, v: dict) -> QGroupBox:
        span = "quote" in v
        box = QGroupBox(f"{coder} · characters {v['start']}–{v['end']}" if span else coder)
        bl = QVBoxLayout(box)
        bl.setContentsMargins(6, 4, 6, 4)
        if span:
            quote = QPlainTextEdit(v["quote"])
            quote.setReadOnly(True)
            quote.setMaximumHeight(52)
            bl.addWidget(quote)
        else:
            bl.addWidget(QLabel(f"answer: <b>{v['value']}</b>"))
        buttons = QHBoxLayout()
        use = QPushButton(f"Use {coder}'s version" if span else f"Use {coder}'s answer")
        use.clicked.connect(lambda _c=False, vv=v, who=coder: self.use_version(who, vv))
        buttons.addWidget(use)
        self.use_buttons[coder] = use
        if span:
            edit = QPushButton("Edit then adjudicate…")
            edit.clicked.connect(lambda _c=False, vv=v, who=coder: self.begin_edit(who, vv))
            buttons.addWidget(edit)
            self.edit_buttons[coder] = edit
        buttons.addStretch(1)
        bl.addLayout(buttons)
        bl.addStretch(1)
        return box

    def update_state(self, item: DisagreementItem) -> None:
        self.item = item
        if not item.adjudicated:
            self.state.setText("Open: not adjudicated yet.")
            return
        parts = []
        for a in item.adjudication:
            if a.get("kept_none"):
                parts.append("none of the versions kept")
            elif "quote" in a:
                parts.append(f"{a['start']}–{a['end']} “{short(a['quote'], 80)}”")
            else:
                parts.append(f"answer {a['value']}")
        self.state.setText("Adjudicated: " + "; ".join(parts))

    # -- acting ---------------------------------------------------------------------------------
    def use_version(self, coder: str, v: dict, start: int | None = None,
                    end: int | None = None) -> bool:
        item = self.item
        if item is None:
            return False
        s = self.session
        if "quote" in v:
            edited = start is not None and (start, end) != (v["start"], v["end"])
            quote = self.text[start:end] if edited and self.text else v["quote"]
            desc = (f"Adjudicate {self.names.subject(item)}: {coder}'s version"
                    f"{' (edited)' if edited else ''} “{short(quote, 30)}”")
            result = s.perform(desc, store.adjudicate_span, v["id"], by_coder_id=s.coder.id,
                               start=start, end=end)
        else:
            desc = f"Adjudicate {self.names.subject(item)}: {coder}'s answer {v['value']}"
            result = s.perform(desc, store.adjudicate_label, v["id"], by_coder_id=s.coder.id)
        if result is None:
            return False
        _, changes = result
        # a new adjudicator coder is announced with it: Session.perform announces every
        # action the operation committed
        if not changes:
            s.message.emit("That version already is the adjudicated coding")
        self._mark_done({"id": result[0], **({"start": start if start is not None else v["start"],
                                               "end": end if end is not None else v["end"],
                                               "quote": quote} if "quote" in v
                                              else {"value": v["value"]})})
        return True

    def begin_edit(self, coder: str, v: dict) -> None:
        self._editing = {"coder": coder, "version": v}
        n = len(self.text) if self.text else max(v["end"], self.item.end or 0)
        for spin in (self.start_spin, self.end_spin):
            spin.blockSignals(True)
            spin.setRange(0, n)
            spin.blockSignals(False)
        self.start_spin.setValue(v["start"])
        self.end_spin.setValue(v["end"])
        self.edit_from.setText(f"{coder}'s version,")
        self.edit_box.show()
        self._preview()
        self.start_spin.setFocus()

    def _preview(self) -> None:
        s, e = self.start_spin.value(), self.end_spin.value()
        ok = e > s
        self.edit_apply.setEnabled(ok and self._editing is not None)
        self.preview.setText(f"“{short(self.text[s:e], 90)}”" if ok and self.text else
                             ("" if ok else "the end must come after the start"))

    def apply_edit(self) -> bool:
        if self._editing is None:
            return False
        done = self.use_version(self._editing["coder"], self._editing["version"],
                                self.start_spin.value(), self.end_spin.value())
        if done:
            self.edit_box.hide()
            self._editing = None
        return done

    def apply_keep_none(self) -> bool:
        item, s = self.item, self.session
        if item is None or item.kind != "span":
            return False
        result = s.perform(f"Adjudicate {self.names.subject(item)}: keep none "
                           f"({item.start}–{item.end})", store.reject_in_adjudication,
                           article_id=item.article_id, code_id=item.code_id, start=item.start,
                           end=item.end, by_coder_id=s.coder.id)
        if result is None:
            return False
        self._mark_done({"kept_none": True, "action_id": result.action_id,
                         "start": item.start, "end": item.end})
        return True

    def _mark_done(self, row: dict) -> None:
        self.item.adjudicated = True
        self.item.adjudication.append(row)
        self.update_state(self.item)
        self.adjudicated.emit(self.item)
