"""Blind side-by-side judgement: two replies as A and B; press 1, 2 or 0 (tie)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.evaluation.blind import CHOICES

if TYPE_CHECKING:
    from ftstudio.core.evaluation.blind import BlindSession

KEYS = {Qt.Key.Key_1: 1, Qt.Key.Key_2: 2, Qt.Key.Key_0: 0}


def _text_box(name: str) -> QTextBrowser:
    box = QTextBrowser()
    box.setAccessibleName(name)
    box.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys 1, 2, 0 stay with the dialog
    return box


class BlindDialog(QDialog):
    """Walks through a :class:`BlindSession`; never shows which model wrote which reply."""

    voted = Signal(object)
    """A :class:`~ftstudio.core.evaluation.results.Vote` to keep with the run."""

    def __init__(self, session: BlindSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Blind comparison")
        self.resize(900, 600)
        intro = QLabel(
            "Which reply is better? The two models are shown in a random order for "
            "each test, so you cannot tell which is which. Press <b>1</b> for A, "
            "<b>2</b> for B, <b>0</b> for a tie."
        )
        intro.setWordWrap(True)
        self.progress = QLabel()
        self.progress.setAccessibleName("Blind comparison progress")
        self.question = _text_box("Question")
        self.expected = _text_box("Expected answer")
        self.reply_a = _text_box("Reply A")
        self.reply_b = _text_box("Reply B")
        grid = QGridLayout()
        for column, (title, box) in enumerate(
            (
                ("Expected answer", self.expected),
                ("A", self.reply_a),
                ("B", self.reply_b),
            )
        ):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
            grid.addWidget(box, 1, column)
        self.buttons: dict[int, QPushButton] = {}
        row = QHBoxLayout()
        for key in (1, 2, 0):
            button = QPushButton(f"{key}: {CHOICES[key]}")
            button.setProperty("choice", key)
            button.clicked.connect(self._on_button)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.progress)
        layout.addWidget(QLabel("<b>Question</b>"))
        layout.addWidget(self.question, 1)
        layout.addLayout(grid, 3)
        layout.addLayout(row)
        self._show_current()

    def _show_current(self) -> None:
        item = self.session.current()
        done, total = self.session.done, self.session.total
        if item is None:
            self.progress.setText(f"All {total} tests judged. Thank you!")
            for box in (self.question, self.expected, self.reply_a, self.reply_b):
                box.clear()
        else:
            self.progress.setText(f"{done} of {total} judged")
            self.question.setPlainText(item.question)
            self.expected.setPlainText(item.expected)
            self.reply_a.setPlainText(item.reply_a)
            self.reply_b.setPlainText(item.reply_b)
        for button in self.buttons.values():
            button.setEnabled(item is not None)

    def choose(self, key: int) -> None:
        """Record 1 (A better), 2 (B better) or 0 (tie) and show the next test."""
        if self.session.current() is None:
            return
        self.voted.emit(self.session.choose(key))
        self._show_current()

    @Slot()
    def _on_button(self) -> None:
        sender = self.sender()
        if sender is not None:
            self.choose(int(sender.property("choice")))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Take 1, 2 and 0 as choices."""
        key = KEYS.get(Qt.Key(event.key()))
        if key is None:
            super().keyPressEvent(event)
            return
        self.choose(key)
