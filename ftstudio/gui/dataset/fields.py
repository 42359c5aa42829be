"""Editing fields for the example editor: growing text, and JSON with syntax checking."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QRect, Qt, Signal, Slot
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFontDatabase,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ftstudio.gui.theme import error_colour

MIN_LINES, MAX_LINES = 2, 16


_HISTORY_KEYS = (
    QKeySequence.StandardKey.Undo,
    QKeySequence.StandardKey.Redo,
)


def is_undo_or_redo(event: QKeyEvent) -> bool:
    """Return True for the keys of undo and redo (Ctrl+Y included)."""
    if any(event.matches(key) for key in _HISTORY_KEYS):
        return True
    return QKeySequence(event.keyCombination()) == QKeySequence("Ctrl+Y")


def carries_files(data: QMimeData) -> bool:
    """Return True when ``data`` holds files from disk (a drag from a file manager)."""
    return any(url.isLocalFile() for url in data.urls())


class TextField(QPlainTextEdit):
    """A multi-line text editor that grows with its text (up to a limit)."""

    text_edited = Signal(str)
    """The user changed the text (not emitted by :meth:`set_text`)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)  # keyboard users tab through the cards
        # One undo history for the whole dataset: the box's own history would
        # take Ctrl+Z and undo only this box (typing is merged into one step
        # of the dataset's history per field, so nothing finer is lost).
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._quiet = False
        self.set_text(text)
        self.textChanged.connect(self._on_changed)
        self.textChanged.connect(self._fit)
        self._fit()

    def event(self, event: QEvent) -> bool:
        # QPlainTextEdit claims Ctrl+Z / Ctrl+Y before the window's shortcuts see
        # them; left unclaimed, they reach Edit → Undo and Redo.
        overrides = event.type() == QEvent.Type.ShortcutOverride
        if overrides and isinstance(event, QKeyEvent) and is_undo_or_redo(event):
            event.ignore()
            return False
        return super().event(event)

    # A file dropped on a message box is meant to be opened, not typed in: left
    # to QPlainTextEdit, its "file:///..." address lands in the training text.
    # Ignored here, the drag goes on to the window, which opens the file.
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if carries_files(event.mimeData()):
            event.ignore()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if carries_files(event.mimeData()):
            event.ignore()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if carries_files(event.mimeData()):
            event.ignore()
        else:
            super().dropEvent(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return not carries_files(source) and super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if not carries_files(source):  # a pasted file keeps the text untouched too
            super().insertFromMimeData(source)

    def set_text(self, text: str) -> None:
        """Replace the text without emitting :attr:`text_edited`."""
        self._quiet = True
        self.setPlainText(text)
        self._quiet = False

    @Slot()
    def _on_changed(self) -> None:
        if not self._quiet:
            self.text_edited.emit(self.toPlainText())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()  # a new width wraps the text into more or fewer lines

    def wrapped_lines(self, limit: int = MAX_LINES) -> int:
        """Return how many lines the text takes at the box's width (at most ``limit``)."""
        text = self.toPlainText()
        if text.count("\n", 0, 1 << 16) >= limit:
            return limit
        metrics = self.fontMetrics()
        margin = 2 * int(self.document().documentMargin())
        width = max(40, self.viewport().width() - margin)
        # Only what can fill ``limit`` lines is measured (a line holds at most
        # width / narrowest-letter characters): a 200,000-character message
        # costs what a short one does, on every keystroke.
        most = limit * (width // max(1, metrics.horizontalAdvance("i")) + 1)
        if len(text) > most:
            return limit
        # Measured, not read from the document layout: QPlainTextEdit lays out
        # only what is on screen, so a box 2 lines high "had" 2 lines of text.
        box = metrics.boundingRect(
            QRect(0, 0, width, 1 << 24),
            int(Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextExpandTabs),
            text or " ",
        )
        return min(limit, -(-box.height() // max(1, metrics.lineSpacing())))

    @Slot()
    def _fit(self) -> None:
        """Grow with the text up to :data:`MAX_LINES`, then scroll."""
        lines = max(MIN_LINES, min(MAX_LINES, self.wrapped_lines()))
        height = self.fontMetrics().lineSpacing() * lines
        margins = self.contentsMargins()
        frame = (
            2 * int(self.document().documentMargin()) + margins.top() + margins.bottom()
        )
        if self.height() != height + frame + 4:
            self.setFixedHeight(height + frame + 4)


def pretty(value: Any) -> str:
    """Format ``value`` as indented JSON for reading and editing."""
    return json.dumps(value, indent=2, ensure_ascii=False)


class JsonField(QWidget):
    """Formatted JSON that reports a value only while the text is valid JSON.

    While the text does not parse, a plain message under the editor says where
    the problem is, and the example keeps its last valid value.
    """

    value_edited = Signal(object)
    """The text changed and parses to this value."""

    def __init__(
        self, value: Any, accessible_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.editor = TextField(pretty(value))
        self.editor.setFont(
            QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        )
        self.editor.setAccessibleName(accessible_name)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet(f"color: {error_colour(self.palette())};")
        self.status.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)
        layout.addWidget(self.status)
        self.editor.text_edited.connect(self._on_text)

    @property
    def valid(self) -> bool:
        """Whether the text is valid JSON right now."""
        return self.status.isHidden()

    @Slot(str)
    def _on_text(self, text: str) -> None:
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            self.status.setText(
                f"Not valid JSON yet: {exc.msg.lower()} (line {exc.lineno}, "
                f"column {exc.colno}). Your change is kept once it is valid."
            )
            self.status.show()
            return
        self.status.hide()
        self.value_edited.emit(value)
