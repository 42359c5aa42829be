"""The status bar's progress area: what is running, how far, and a Cancel button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ftstudio.gui.icons import icon

if TYPE_CHECKING:
    from ftstudio.core.progress import Progress
    from ftstudio.workers import Task


SHOW_AFTER_MS = 250
_STEPS = 1000  # a fraction in thousandths: byte counts overflow QProgressBar's int


def show_on_bar(bar: QProgressBar, progress: Progress) -> None:
    """Show ``progress`` on ``bar``: a busy bar while the total is unknown."""
    fraction = progress.fraction
    if fraction is None:
        bar.setRange(0, 0)
    else:
        bar.setRange(0, _STEPS)
        bar.setValue(int(fraction * _STEPS))


class ProgressArea(QWidget):
    """Follows one task at a time (the newest); hidden when nothing runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._task: Task | None = None
        # most tasks (re-checking one edited example) end within a blink: only
        # show the bar for work that lasts, so typing does not make it flicker
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(SHOW_AFTER_MS)
        self._delay.timeout.connect(self._reveal)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(200)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Progress")
        self.cancel = QPushButton(icon("cancel"), "Cancel")
        self.cancel.setToolTip("Stop this work; nothing is lost")
        self.cancel.clicked.connect(self._on_cancel)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.hide()

    @Slot(object)
    def follow(self, task: Task) -> None:
        """Show ``task``'s progress until it finishes."""
        self._task = task
        self.label.setText(task.label + "…")
        self.bar.setRange(0, 0)  # busy until the first progress arrives
        task.progressed.connect(self._on_progress)
        task.finished.connect(self._on_finished)
        self._delay.start()

    @Slot()
    def _reveal(self) -> None:
        if self._task is not None:
            self.show()

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        if self.sender() is self._task:
            show_on_bar(self.bar, progress)

    @Slot()
    def _on_finished(self) -> None:
        if self.sender() is self._task:
            self._task = None
            self._delay.stop()
            self.hide()

    @Slot()
    def _on_cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
