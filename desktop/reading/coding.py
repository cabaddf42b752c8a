"""Span coding: turning key presses, code clicks and span context menus into session actions.

Offsets of the selection are converted to code points by the reader, trimmed of surrounding
whitespace and — by default — widened to whole words (``snap_to_words`` in
``annotate/analysis/offsets.py``: spaced scripts such as Latin and Cyrillic snap, Chinese,
Japanese and Thai keep the selection as it is, and no end ever splits an emoji or a letter with
its accents).  Holding **Alt** while pressing the code key or clicking the code in the codebook
codes the exact selection (still trimmed of white space, still whole graphemes).  Alt is the
key that turns snapping off in most editors that snap; the reader claims Alt+key only when it
has a selection and the key is a code key, so the menus' Alt mnemonics keep working otherwise.

The write is synchronous (one short transaction, ~1 ms) and the reader repaints only the
affected lines when the session reports the change.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMenu

from framelens import store
from framelens.annotate.analysis.offsets import grapheme_span, snap_to_words

from framelens.desktop.panels.codebook_panel import CodebookPanel
from .comparison import ArticleColumn, Comparison
from framelens.desktop.shell.session import Session
from framelens.desktop.widgets.theme import chip_icon


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def coded_span(text: str, start: int, end: int, *, exact: bool = False) -> tuple[int, int]:
    """The span a selection codes: trimmed of white space, then widened to whole words (or,
    ``exact``, only to whole graphemes)."""
    start, end = trim_span(text, start, end)
    if end <= start:
        return start, end
    return grapheme_span(text, start, end) if exact else snap_to_words(text, start, end)


class CodingController:
    """Glue between readers, the codebook panel and the session."""

    def __init__(self, session: Session, comparison: Comparison, codebook: CodebookPanel,
                 notify=None):
        self.session = session
        self.comparison = comparison
        self.codebook = codebook
        self.notify = notify or (lambda text: None)
        comparison.menu_hook = self.span_menu
        comparison.undo_hook = session.undo
        comparison.redo_hook = session.redo
        codebook.codeActivated.connect(self.code_clicked)
        comparison.articlesChanged.connect(self._hook_readers)
        self._hook_readers()

    def _hook_readers(self) -> None:
        """Let every reader know which Alt+key presses are code keys (exact coding)."""
        for column in self.comparison.columns:
            column.reader.claims_alt_key = self._is_code_key

    def _is_code_key(self, key: str) -> bool:
        return self.codebook.code_for_key(key) is not None

    # -- coding ---------------------------------------------------------------------------------
    def key_pressed(self, column: ArticleColumn, key: str) -> bool:
        """The fallback key handler (priority 0 in the window's feature registry): a code key
        codes the selection.  Always True: no handler is asked after this one."""
        self._code_key(column, key)
        return True

    def _code_key(self, column: ArticleColumn, key: str) -> None:
        code = self.codebook.code_for_key(key)
        if code is None:
            cb = self.codebook.codebook()
            if cb is not None and cb.applies_to == "article":
                self.notify(f"{cb.name} codes whole articles: use the Article panel.")
            return
        self.code_selection(column, code.id)

    def code_clicked(self, code_id: int) -> None:
        col = self.comparison.current
        if col is None or col.reader.selection_cp() is None:
            self.notify("Select a passage in an article first, then click a code or press its key.")
            return
        self.code_selection(col, code_id)

    def code_selection(self, column: ArticleColumn, code_id: int,
                       exact: bool | None = None) -> int | None:
        """Save the column's selection as a span of ``code_id`` by the current coder, widened
        to whole words unless ``exact`` (by default: unless Alt is held)."""
        reader = column.reader
        sel = reader.selection_cp()
        if sel is None or reader.article is None:
            self.notify("Select a passage first, then press a code key.")
            return None
        if exact is None:
            exact = reader.exact_requested()
        start, end = coded_span(reader.article.text, *sel, exact=exact)
        if end <= start:
            return None
        if not exact and (start, end) != trim_span(reader.article.text, *sel):
            self.notify("Widened to whole words (hold Alt with the code key for the exact "
                        "selection).")
        return self.session.add_annotation(reader.article.id, start, end, code_id)

    # -- span context menu ------------------------------------------------------------------------
    def span_menu(self, menu: QMenu, anns: list[store.Annotation]) -> None:
        menu.addSeparator()
        for ann in anns:
            mine = ann.coder_id == self.session.coder.id
            sub = menu.addMenu(chip_icon(ann.color), f"{ann.code} — {ann.coder}" +
                               ("" if mine else " (other coder)"))
            recode = sub.addMenu("Re-code as")
            codes = self.codebook.codes()
            if ann.code_id not in {c.id for c in codes}:
                book = self.session.code(ann.code_id)
                codes = [c for c in self.session.codes.values()
                         if book and c.codebook_id == book.codebook_id and not c.merged_into]
            for code in sorted(codes, key=lambda c: c.position):
                act = recode.addAction(chip_icon(code.color), code.name,
                                       lambda a=ann, cid=code.id: self.session.recode_annotation(a, cid))
                act.setEnabled(code.id != ann.code_id)
            sub.addAction("Edit memo…", lambda a=ann: self.edit_memo(a))
            sub.addAction("Delete", lambda a=ann: self.session.delete_annotation(a))

    def edit_memo(self, ann: store.Annotation) -> None:
        text, ok = QInputDialog.getMultiLineText(
            self.comparison, "Memo", f"Memo on “{ann.quote[:60]}” ({ann.code}):", ann.memo or "")
        if ok and text != (ann.memo or ""):
            self.session.set_annotation_memo(ann, text)
