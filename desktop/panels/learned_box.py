"""The learned suggester's part of the Suggestions panel: when to retrain, Train now, the held-out
precision/recall per code of the current model, and its best suggestions in uncoded articles."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem,
    QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout,
)


def _num(v) -> str:
    return "–" if v is None else f"{v:.2f}"


class LearnedBox(QGroupBox):
    """Widgets only; the review panel runs the training and feeds the results in."""

    trainRequested = Signal()
    everyChanged = Signal(int)
    openRequested = Signal(int, int, int)      # article id, start, end

    def __init__(self, every: int, parent=None):
        super().__init__("Learned suggester", parent)
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Retrain after"))
        self.every_spin = QSpinBox()
        self.every_spin.setRange(1, 1000)
        self.every_spin.setValue(every)
        self.every_spin.valueChanged.connect(self.everyChanged)
        row.addWidget(self.every_spin)
        row.addWidget(QLabel("decisions"))
        row.addStretch(1)
        self.train_btn = QPushButton("Train now")
        self.train_btn.clicked.connect(lambda: self.trainRequested.emit())
        row.addWidget(self.train_btn)
        lay.addLayout(row)
        self.label = QLabel("Not trained yet.")
        self.label.setWordWrap(True)
        lay.addWidget(self.label)
        self.metrics_table = QTableWidget(0, 5)
        self.metrics_table.setHorizontalHeaderLabels(["Code", "Precision", "Recall", "F1", "n"])
        self.metrics_table.verticalHeader().hide()
        self.metrics_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.metrics_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.metrics_table.setToolTip("Held-out precision and recall per code (20 % of the "
                                      "training sentences); n = held-out sentences with the code")
        lay.addWidget(self.metrics_table, 1)
        self.ranked = QListWidget()
        self.ranked.setToolTip("Best learned suggestions in articles you have not coded: "
                               "double-click to open")
        self.ranked.itemActivated.connect(self._open)
        lay.addWidget(self.ranked, 1)

    def set_training(self, on: bool) -> None:
        self.train_btn.setEnabled(not on)
        if on:
            self.label.setText("Training the learned suggester…")

    def show_reason(self, reason: str) -> None:
        self.label.setText(f"Not retrained: {reason}.")

    def show_metrics(self, meta: dict) -> None:
        """``meta``: version, metrics {code: {precision, recall, f1, support}}, n_decisions,
        n_train, n_eval (the stored model's meta or a training report)."""
        metrics = meta.get("metrics") or {}
        self.label.setText(
            f"Model {str(meta.get('version', ''))[-12:]}: {meta.get('n_train', 0)} sentences from "
            f"{meta.get('n_decisions', 0)} decisions; held-out precision/recall on "
            f"{meta.get('n_eval', 0)} sentences" + ("" if metrics else " (too few to hold out)"))
        self.metrics_table.setRowCount(len(metrics))
        for r, (label, m) in enumerate(metrics.items()):
            cells = [label, _num(m.get("precision")), _num(m.get("recall")), _num(m.get("f1")),
                     str(m.get("support", 0))]
            for c, text in enumerate(cells):
                self.metrics_table.setItem(r, c, QTableWidgetItem(text))

    def show_ranked(self, ranked: list[dict]) -> None:
        self.ranked.clear()
        for r in ranked:
            item = QListWidgetItem(f"{r['score']:.2f}  {r['label']} — article {r['article']}")
            item.setData(Qt.UserRole, (r["article"], r["start"], r["end"]))
            self.ranked.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        self.openRequested.emit(*item.data(Qt.UserRole))
