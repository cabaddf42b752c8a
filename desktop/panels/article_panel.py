"""Article dock: article-level coding of the focused column by the current coder.

Semetko & Valkenburg yes/no questions (unanswered / yes / no), primary and headline frame
(Policy Frames questions), viewpoint (with the outlet's country as a hint), SemEval frames as
check boxes (code labels with value "1") and a free memo saved on focus-out or after a pause.
Every control change is one undoable action through the session.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout,
    QLabel,
    QPlainTextEdit, QScrollArea, QToolButton, QVBoxLayout, QWidget,
)

from framelens import store

from framelens.desktop.reading.comparison import display_title
from framelens.desktop.shell.session import Session

VIEWPOINT_BY_COUNTRY = {"RU": "Russian", "CN": "Chinese", "JP": "Japanese", "US": "US"}


class YesNo(QWidget):
    """Tri-state answer: neither button checked = unanswered."""

    answered = Signal(object)   # "1", "0" or None

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.yes, self.no = QToolButton(text="Yes"), QToolButton(text="No")
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        for b in (self.yes, self.no):
            b.setCheckable(True)
            b.setObjectName("answer")
            b.setMinimumWidth(34)
            b.setFocusPolicy(Qt.TabFocus)
            self.group.addButton(b)
            lay.addWidget(b)
        self.group.buttonClicked.connect(self._clicked)

    def value(self) -> str | None:
        return "1" if self.yes.isChecked() else "0" if self.no.isChecked() else None

    def set_value(self, value: str | None) -> None:
        self.yes.setChecked(value == "1")
        self.no.setChecked(value == "0")

    def _clicked(self, button) -> None:
        other = self.no if button is self.yes else self.yes
        if button.isChecked():
            other.setChecked(False)
        self.answered.emit(self.value())


class MemoEdit(QPlainTextEdit):
    focusLost = Signal()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.focusLost.emit()


class ArticlePanel(QScrollArea):
    """Form of article-level codes for one article."""

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.article: store.ArticleSummary | None = None
        self._saved_memo = ""
        self._loading = False
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        body = QWidget()
        self.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(8, 6, 8, 8)
        self.heading = QLabel("No article in focus")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        lay.addWidget(self.heading)
        self.form_host = QWidget()
        self.form_lay = QVBoxLayout(self.form_host)
        self.form_lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.form_host)
        lay.addWidget(QLabel("Memo"))
        self.memo = MemoEdit()
        self.memo.setPlaceholderText("Notes on this article (saved automatically)")
        self.memo.setMaximumHeight(110)
        lay.addWidget(self.memo)
        lay.addStretch(1)
        self._memo_timer = QTimer(self, singleShot=True, interval=1200)
        self._memo_timer.timeout.connect(self.save_memo)
        self.memo.textChanged.connect(self._memo_edited)
        self.memo.focusLost.connect(self.save_memo)
        self.questions: dict[int, QWidget] = {}
        self.code_boxes: dict[int, QCheckBox] = {}
        self.viewpoint_hint: QLabel | None = None
        self._build()
        self.form_host.setEnabled(False)
        self.memo.setEnabled(False)
        session.changed.connect(self._on_changes)
        session.coderChanged.connect(lambda _c: self.refresh())

    # -- building the form ----------------------------------------------------------------------
    def _book(self, key: str) -> store.Codebook | None:
        return next((cb for cb in self.session.codebooks if cb.key == key), None)

    def _build(self) -> None:
        questions = store.list_questions(self.session.project)
        by_book: dict[int, list[store.Question]] = {}
        for q in questions:
            by_book.setdefault(q.codebook_id, []).append(q)
        sv = self._book("semetko_valkenburg")
        if sv and by_book.get(sv.id):
            box = QGroupBox("Semetko && Valkenburg")
            grid = QGridLayout(box)
            grid.setColumnStretch(0, 1)
            grid.setHorizontalSpacing(8)
            grid.setVerticalSpacing(3)
            last_code, row = None, 0
            for q in by_book[sv.id]:
                if q.code_id != last_code and q.code_id is not None:
                    code = self.session.code(q.code_id)
                    title = QLabel(code.name if code else "")
                    title.setStyleSheet("font-weight: 600; margin-top: 4px;")
                    grid.addWidget(title, row, 0, 1, 2)
                    row += 1
                    last_code = q.code_id
                widget = YesNo()
                widget.answered.connect(lambda v, qid=q.id, key=q.key: self._answer(qid, v, key))
                label = QLabel(q.text)
                label.setWordWrap(True)
                label.setToolTip(q.help or q.text)
                grid.addWidget(label, row, 0)
                grid.addWidget(widget, row, 1, Qt.AlignTop)
                row += 1
                self.questions[q.id] = widget
            self.form_lay.addWidget(box)
        choices = QGroupBox("Frames and viewpoint")
        form = QFormLayout(choices)
        form.setRowWrapPolicy(QFormLayout.WrapAllRows)
        for key in ("policy_frames", "viewpoint"):
            book = self._book(key)
            for q in by_book.get(book.id, []) if book else []:
                if q.kind != "choice":
                    continue
                combo = QComboBox()
                combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(12)
                combo.addItem("—", None)
                for c in q.choices:
                    combo.addItem(c, c)
                combo.setToolTip(q.help or q.text)
                combo.currentIndexChanged.connect(
                    lambda _i, qid=q.id, cb=combo, k=q.key: self._answer(qid, cb.currentData(), k))
                label = QLabel(q.text)
                label.setWordWrap(True)
                form.addRow(label, combo)
                self.questions[q.id] = combo
                if q.key == "viewpoint":
                    self.viewpoint_hint = QLabel()
                    self.viewpoint_hint.setEnabled(False)
                    form.addRow("", self.viewpoint_hint)
        self.form_lay.addWidget(choices)
        semeval = self._book("semeval2023_frames")
        if semeval:
            box = QGroupBox("SemEval-2023 frames")
            grid = QVBoxLayout(box)
            grid.setSpacing(1)
            for code in sorted((c for c in self.session.codes.values()
                                if c.codebook_id == semeval.id and not c.merged_into),
                               key=lambda c: c.position):
                name = code.name.replace("_", " ")
                check = QCheckBox(name if len(name) <= 30 else name[:28].rstrip() + "…")
                check.setToolTip(f"{name}\n\n{code.description or ''}".strip())
                check.toggled.connect(lambda on, cid=code.id, n=code.name: self._code_label(cid, on, n))
                grid.addWidget(check)
                self.code_boxes[code.id] = check
            self.form_lay.addWidget(box)

    # -- showing an article -----------------------------------------------------------------------
    def set_article(self, article: store.ArticleSummary | None) -> None:
        if self.article is not None and (article is None or article.id != self.article.id):
            self.save_memo()
        self.article = article
        self.refresh()

    def refresh(self) -> None:
        a = self.article
        self.form_host.setEnabled(a is not None)
        self.memo.setEnabled(a is not None)
        self._loading = True
        try:
            if a is None:
                self.heading.setText("No article in focus")
                labels = []
                memo = ""
            else:
                title = display_title(a, getattr(a, "text", None), 10)
                self.heading.setText(f"{a.outlet or 'Unknown outlet'} ({a.country or '—'}) — "
                                     f"{title}\ncoded by {self.session.coder.name}")
                labels = store.list_article_labels(self.session.project, article_ids=[a.id],
                                                   coder_ids=[self.session.coder.id])
                memo = store.get_article_memo(self.session.project, a.id, self.session.coder.id)
            answers = {l.question_id: l.value for l in labels if l.question_id is not None}
            code_values = {l.code_id: l.value for l in labels if l.code_id is not None}
            for qid, widget in self.questions.items():
                if isinstance(widget, YesNo):
                    widget.set_value(answers.get(qid))
                else:
                    widget.setCurrentIndex(max(widget.findData(answers.get(qid)), 0))
            for cid, box in self.code_boxes.items():
                box.setChecked(code_values.get(cid) == "1")
            if self.viewpoint_hint is not None:
                hint = VIEWPOINT_BY_COUNTRY.get(a.country or "") if a else None
                self.viewpoint_hint.setText(
                    f"Outlet country {a.country}: default would be {hint}" if a and hint else
                    f"Outlet country: {a.country or 'unknown'}" if a else "")
            if self.memo.toPlainText() != memo:
                self.memo.setPlainText(memo)
            self._saved_memo = memo
        finally:
            self._loading = False

    # -- saving -----------------------------------------------------------------------------------
    def _answer(self, question_id: int, value: str | None, key: str) -> None:
        if self._loading or self.article is None:
            return
        shown = {"1": "yes", "0": "no", None: "unanswered"}.get(value, value)
        self.session.set_label(self.article.id, value, question_id=question_id,
                               description=f"Answer {key}: {shown}")

    def _code_label(self, code_id: int, on: bool, name: str) -> None:
        if self._loading or self.article is None:
            return
        self.session.set_label(self.article.id, "1" if on else None, code_id=code_id,
                               description=f"{'Mark' if on else 'Unmark'} frame {name}")

    def _memo_edited(self) -> None:
        if not self._loading:
            self._memo_timer.start()

    def save_memo(self) -> None:
        self._memo_timer.stop()
        if self.article is None or self._loading:
            return
        text = self.memo.toPlainText()
        if text != self._saved_memo:
            self._saved_memo = text
            self.session.set_article_memo(self.article.id, text)

    def _on_changes(self, changes: store.Changes) -> None:
        if self.article is None:
            return
        if changes.touched("article_labels") or changes.touched("codes"):
            self.refresh()
        elif changes.touched("article_memos") and not self.memo.hasFocus():
            self.refresh()
