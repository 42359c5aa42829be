"""The strip next to Launch: the cost, upload progress in bytes, retries, the outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ftstudio.gui.launcher.wording import human_bytes
from ftstudio.gui.widgets.progress import show_on_bar

if TYPE_CHECKING:
    from ftstudio.core.progress import Notice, Progress
    from ftstudio.workers import Task

NO_FILE = "Choose a training file to see the cost."


class LaunchBar(QWidget):
    """Shows the cost before a launch and follows the launch task while it runs."""

    launch_requested = Signal()
    """The user pressed Launch."""
    stop_requested = Signal()
    """The user wants the upload stopped."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cost = QLabel(NO_FILE)
        self.cost.setAccessibleName("Estimated cost")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Upload progress")
        self.progress.setMaximumWidth(240)
        self.progress.hide()
        self.launch_button = QPushButton("Launch…")
        self.launch_button.setDefault(True)
        self.launch_button.setToolTip("Check, upload and start the fine-tuning job")
        self.launch_button.clicked.connect(self.launch_requested)
        self.cancel_button = QPushButton("Stop upload")
        self.cancel_button.setToolTip("Stop now: no job is started")
        self.cancel_button.clicked.connect(self.stop_requested)
        self.cancel_button.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Launch status")
        row = QHBoxLayout()
        row.addWidget(self.cost, 1)
        row.addWidget(self.progress)
        row.addWidget(self.cancel_button)
        row.addWidget(self.launch_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)

    def follow(self, task: Task) -> None:
        """Show ``task``'s upload progress and retries until it finishes."""
        task.progressed.connect(self._on_progress)
        task.noticed.connect(self._on_notice)
        task.finished.connect(self._on_finished)
        self.progress.setRange(0, 0)  # busy until the first bytes are counted
        self.progress.show()
        self.cancel_button.show()
        self.launch_button.setEnabled(False)
        self.status.setText("Uploading…")

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        show_on_bar(self.progress, progress)
        total = progress.total or 0
        if not total:
            self.status.setText(progress.label)
            return
        self.status.setText(
            f"{progress.label}: {human_bytes(progress.done)} of {human_bytes(total)}"
        )

    @Slot(object)
    def _on_notice(self, notice: Notice) -> None:
        self.status.setText(notice.text)

    @Slot()
    def _on_finished(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.launch_button.setEnabled(True)
