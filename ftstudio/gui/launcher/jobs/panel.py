"""The jobs panel: the jobs table, refreshed in the background, and its actions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ftstudio.gui.launcher.jobs import calls
from ftstudio.gui.launcher.jobs.model import JobsModel, status_words
from ftstudio.gui.widgets.banner import ErrorBanner
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    import openai
    from openai.types.fine_tuning import FineTuningJob

    from ftstudio.core.errors import FtError
    from ftstudio.core.progress import Notice
    from ftstudio.gui.connection import ConnectionManager
    from ftstudio.workers import Task

REFRESH_MS = 5000
ACTIVE = frozenset({"validating_files", "queued", "running", "paused"})


def ask_user(parent: QWidget, title: str, text: str) -> bool:
    """Ask a yes/no question in a message box; return whether the answer was yes."""
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def choose_save_path(parent: QWidget, suggested: Path) -> Path | None:
    """Ask where to save a CSV file; return None when the user cancels."""
    name, _ = QFileDialog.getSaveFileName(
        parent, "Save the results", str(suggested), "CSV files (*.csv)"
    )
    return Path(name) if name else None


class JobsPanel(QWidget):
    """Every job of the connected service, with cancel, pause, resume and more.

    Parameters
    ----------
    connection
        Which service to list; the table refreshes when it changes.
    parent
        The owning widget.
    """

    open_in_monitor = Signal(str)
    """The user wants to watch this job id in the monitor tab."""

    def __init__(
        self, connection: ConnectionManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.connection = connection
        self.model = JobsModel(self)
        self.ask: Callable[[str, str], bool] = lambda t, x: ask_user(self, t, x)
        self.choose_target: Callable[[Path], Path | None] = lambda p: choose_save_path(
            self, p
        )
        self.results_folder = Path.home()
        self._listing_error: FtError | None = None
        self._listing_said = ""  # the status line a listing wrote (notice, error)
        self._reveal: str | None = None
        self._refresher = TaskRunner(self)
        self._actions = TaskRunner(self)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

        self.banner = ErrorBanner()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Fine-tuning jobs")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)  # fixed row height
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.dataChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

        buttons = QHBoxLayout()
        self.refresh_button = self._button(buttons, "Refresh", self.refresh)
        self.cancel_button = self._button(buttons, "Cancel job", self.cancel_job)
        self.pause_button = self._button(buttons, "Pause", self.pause_job)
        self.resume_button = self._button(buttons, "Resume", self.resume_job)
        self.monitor_button = self._button(buttons, "Open in monitor", self.monitor)
        self.copy_button = self._button(buttons, "Copy model name", self.copy_model)
        self.results_button = self._button(
            buttons, "Download results…", self.download_results
        )
        self.delete_button = self._button(buttons, "Delete model…", self.delete_model)
        buttons.addStretch(1)
        self.status = QLabel()
        self.status.setAccessibleName("What the last action did")
        self.summary = QLabel()
        self.summary.setAccessibleName("Jobs summary")
        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(self.summary)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)
        connection.changed.connect(self._on_connection_changed)
        self._update_buttons()

    def _button(
        self, row: QHBoxLayout, text: str, slot: Callable[[], object]
    ) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    # refreshing -----------------------------------------------------------------
    def _get_client(self) -> openai.OpenAI | None:
        if self.connection.connection is None:
            return None
        return self.connection.client()  # shared; the connection closes it

    @Slot()
    def refresh(self) -> None:
        """List the jobs again in the background (skipped while a listing runs)."""
        client = self._get_client()
        if client is None:
            self.model.clear()
            self.summary.setText(
                "Not connected: add an API key in Settings or use the sandbox."
            )
            return
        if self._refresher.current is not None and self._reveal is None:
            return  # the running listing is fresh enough
        # TaskRunner.start discards a listing still running (it predates a launch)
        task = self._refresher.start(calls.list_jobs(client), "Listing the jobs")
        task.noticed.connect(self._on_notice)
        task.succeeded.connect(self._on_listed)
        task.failed.connect(self._on_list_failed)
        task.start()

    @Slot(object)
    def _on_listed(self, jobs: list[FineTuningJob]) -> None:
        if self.banner.error is self._listing_error:
            self.banner.hide()  # the listing works again: the old error is moot
        self._listing_error = None
        if self._listing_said and self.status.text() == self._listing_said:
            self.status.clear()  # "Cannot reach the service…" is no longer true
        self._listing_said = ""
        had = self.model.rowCount()
        self.model.set_jobs(jobs)
        if self.model.rowCount() != had:
            # fit new rows once; between changes the user's widths stay
            self.table.resizeColumnsToContents()
        if self._reveal is not None and self.model.row_of(self._reveal) >= 0:
            self.select_job(self._reveal)
            self._reveal = None
        running = sum(1 for j in jobs if str(j.status) in ACTIVE)
        self.summary.setText(
            f"{len(jobs)} job(s), {running} still running · {self.connection.describe()}"
        )

    @Slot(object)
    def _on_notice(self, notice: Notice) -> None:
        self.status.setText(notice.text)
        self._listing_said = notice.text

    @Slot(object)
    def _on_failed(self, error: FtError) -> None:
        self.banner.show_error(error)
        self.status.setText(error.message)

    @Slot(object)
    def _on_list_failed(self, error: FtError) -> None:
        self._listing_error = error
        self._on_failed(error)
        self._listing_said = error.message

    @Slot()
    def _on_connection_changed(self) -> None:
        self._refresher.shutdown()
        self.model.clear()
        # what the last service said is not about this one
        self.banner.hide()
        self.status.clear()
        self._listing_error, self._listing_said = None, ""
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        # Poll only while someone can see the table.
        super().showEvent(event)
        self._timer.start()
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._timer.stop()

    # the selected job -------------------------------------------------------------
    def selected_job(self) -> FineTuningJob | None:
        """Return the selected job, or None."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.job(rows[0].row()) if rows else None

    def select_job(self, job_id: str) -> None:
        """Select the row of ``job_id`` (after a launch)."""
        row = self.model.row_of(job_id)
        if row >= 0:
            self.table.selectRow(row)

    def reveal(self, job_id: str) -> None:
        """List the jobs again and select ``job_id`` once it is listed (a new launch)."""
        self._reveal = job_id
        self.refresh()

    @Slot()
    def _update_buttons(self, *_args: object) -> None:
        job = self.selected_job()
        status = str(job.status) if job is not None else ""
        busy = self._actions.current is not None
        self.cancel_button.setEnabled(not busy and status in ACTIVE)
        self.pause_button.setEnabled(not busy and status == "running")
        self.resume_button.setEnabled(not busy and status == "paused")
        self.monitor_button.setEnabled(job is not None)
        has_model = job is not None and bool(job.fine_tuned_model)
        self.copy_button.setEnabled(has_model)
        self.delete_button.setEnabled(not busy and has_model)
        self.results_button.setEnabled(
            not busy and job is not None and bool(job.result_files)
        )

    # actions ----------------------------------------------------------------------
    def _run_action(
        self, fn: calls.Call, label: str, done: Callable[[Any], None]
    ) -> Task:
        task = self._actions.start(fn, label)
        task.noticed.connect(self._on_notice)
        task.succeeded.connect(done)
        task.failed.connect(self._on_failed)
        task.finished.connect(self._on_action_finished)
        self.status.setText(label + "…")
        task.start()
        self._update_buttons()
        return task

    @Slot()
    def _on_action_finished(self) -> None:
        self._update_buttons()
        self.refresh()

    def _job_action(self, action: str, words: str) -> Task | None:
        job, client = self.selected_job(), self._get_client()
        if job is None or client is None:
            return None
        fn = calls.job_action(client, action, job.id)
        return self._run_action(fn, f"{words} {job.id}", self._on_job_changed)

    @Slot(object)
    def _on_job_changed(self, job: FineTuningJob) -> None:
        self.model.update_job(job)
        self.status.setText(f"{job.id}: {status_words(str(job.status))}.")

    @Slot()
    def cancel_job(self) -> Task | None:
        """Stop the selected job after confirmation (what ran so far is billed)."""
        job = self.selected_job()
        if job is None or not self.ask(
            "Cancel the job?",
            f"Stop training {job.id}? This cannot be undone; training done so far "
            "may still be billed.",
        ):
            return None
        return self._job_action("cancel", "Cancelling")

    @Slot()
    def pause_job(self) -> Task | None:
        """Pause the selected running job."""
        return self._job_action("pause", "Pausing")

    @Slot()
    def resume_job(self) -> Task | None:
        """Resume the selected paused job."""
        return self._job_action("resume", "Resuming")

    @Slot()
    def monitor(self) -> None:
        """Ask to watch the selected job in the monitor tab."""
        job = self.selected_job()
        if job is not None:
            self.open_in_monitor.emit(job.id)

    @Slot()
    def _on_double_clicked(self, *_args: object) -> None:
        self.monitor()

    @Slot()
    def copy_model(self) -> None:
        """Put the selected job's fine-tuned model name on the clipboard."""
        job = self.selected_job()
        if job is not None and job.fine_tuned_model:
            QGuiApplication.clipboard().setText(job.fine_tuned_model)
            self.status.setText(f"Copied {job.fine_tuned_model}.")

    @Slot()
    def download_results(self) -> Task | None:
        """Save the selected job's step-metrics CSV where the user chooses."""
        job, client = self.selected_job(), self._get_client()
        if job is None or client is None:
            return None
        target = self.choose_target(self.results_folder / f"{job.id}-results.csv")
        if target is None:
            return None
        self.results_folder = target.parent
        fn = calls.download_results(client, job.id, target)
        return self._run_action(fn, f"Downloading results of {job.id}", self._on_saved)

    @Slot(object)
    def _on_saved(self, path: Path) -> None:
        self.status.setText(f"Saved the results to {path}.")

    @Slot()
    def delete_model(self) -> Task | None:
        """Delete the selected job's fine-tuned model after confirmation."""
        job, client = self.selected_job(), self._get_client()
        if job is None or client is None or not job.fine_tuned_model:
            return None
        name = job.fine_tuned_model
        if not self.ask(
            "Delete the model?",
            f"Delete the fine-tuned model {name}? Anything that uses it stops "
            "working. This cannot be undone.",
        ):
            return None
        fn = calls.delete_model(client, name)
        return self._run_action(fn, f"Deleting {name}", self._on_deleted)

    @Slot(object)
    def _on_deleted(self, name: str) -> None:
        self.status.setText(f"Deleted the model {name}.")

    def shutdown(self) -> None:
        """Stop refreshing and wait for background work (the window is closing)."""
        self._timer.stop()
        self._refresher.shutdown()
        self._actions.shutdown()
