"""The jobs table model: one row per fine-tuning job, updated row by row on refresh."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from ftstudio.gui.columns_model import FixedColumnsModel

if TYPE_CHECKING:
    from openai.types.fine_tuning import FineTuningJob

Index = QModelIndex | QPersistentModelIndex

JOB_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The job's id, on every cell of its row."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
"""A value that sorts naturally (timestamps and token counts as numbers)."""

COLUMNS = (
    "Job",
    "Status",
    "Base model",
    "Created",
    "Finished",
    "Trained tokens",
    "Fine-tuned model",
)
JOB, STATUS, BASE, CREATED, FINISHED, TOKENS, MODEL = range(len(COLUMNS))

STATUS_WORDS = {
    "validating_files": "Checking files",
    "queued": "Waiting to start",
    "running": "Training",
    "paused": "Paused",
    "succeeded": "Done",
    "failed": "Failed",
    "cancelled": "Cancelled",
}


def status_words(status: str) -> str:
    """Return a job status in plain words (unknown ones as the service says them)."""
    return STATUS_WORDS.get(status, status.replace("_", " ").capitalize())


def when(timestamp: int | None) -> str:
    """Return a Unix time as local "YYYY-MM-DD HH:MM", or "" when absent."""
    if not timestamp:
        return ""
    return datetime.fromtimestamp(timestamp).astimezone().strftime("%Y-%m-%d %H:%M")


class JobsModel(FixedColumnsModel):
    """The service's jobs, newest first.

    :meth:`set_jobs` compares the new list with the rows shown: new jobs are
    inserted, vanished ones removed, and ``dataChanged`` is emitted only for
    rows whose job changed, so selection and scrolling survive a refresh.
    """

    COLUMNS = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._jobs: list[FineTuningJob] = []

    # Qt's API -------------------------------------------------------------------
    def row_count(self) -> int:
        return len(self._jobs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._jobs):
            return None
        job = self._jobs[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(job, column)
        if role == SORT_ROLE:
            return self._sort_key(job, column)
        if role == JOB_ID_ROLE:
            return job.id
        if role == Qt.ItemDataRole.ToolTipRole and column == STATUS:
            error = job.error.message if job.error and job.error.message else ""
            return error or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == TOKENS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display(job: FineTuningJob, column: int) -> str:
        if column == JOB:
            return job.id
        if column == STATUS:
            return status_words(str(job.status))  # the SDK type lacks "paused"
        if column == BASE:
            return job.model
        if column == CREATED:
            return when(job.created_at)
        if column == FINISHED:
            return when(job.finished_at)
        if column == TOKENS:
            return f"{job.trained_tokens:,}" if job.trained_tokens else ""
        return job.fine_tuned_model or ""

    @staticmethod
    def _sort_key(job: FineTuningJob, column: int) -> Any:
        if column == CREATED:
            return job.created_at or 0
        if column == FINISHED:
            return job.finished_at or 0
        if column == TOKENS:
            return job.trained_tokens or 0
        return JobsModel._display(job, column)

    # our API --------------------------------------------------------------------
    def job(self, row: int) -> FineTuningJob:
        """Return the job shown in ``row``."""
        return self._jobs[row]

    def row_of(self, job_id: str) -> int:
        """Return the row of ``job_id``, or -1."""
        for row, job in enumerate(self._jobs):
            if job.id == job_id:
                return row
        return -1

    def set_jobs(self, jobs: list[FineTuningJob]) -> None:
        """Show ``jobs`` (newest first), touching only the rows that differ."""
        wanted = {job.id for job in jobs}
        for row in range(len(self._jobs) - 1, -1, -1):
            if self._jobs[row].id not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._jobs[row]
                self.endRemoveRows()
        shown = {job.id for job in self._jobs}
        for row, job in enumerate(jobs):
            if job.id not in shown:
                self.beginInsertRows(QModelIndex(), row, row)
                self._jobs.insert(row, job)
                self.endInsertRows()
        if [j.id for j in self._jobs] != [j.id for j in jobs]:
            # the service reordered jobs (rare): a reset is simplest and correct
            self.beginResetModel()
            self._jobs = list(jobs)
            self.endResetModel()
            return
        for row, job in enumerate(jobs):
            if self._jobs[row] != job:
                self._jobs[row] = job
                self.dataChanged.emit(
                    self.index(row, 0), self.index(row, len(COLUMNS) - 1)
                )

    def update_job(self, job: FineTuningJob) -> None:
        """Show ``job`` as it is now (after an action), if it is listed."""
        row = self.row_of(job.id)
        if row >= 0 and self._jobs[row] != job:
            self._jobs[row] = job
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def clear(self) -> None:
        """Show no jobs (the connection changed)."""
        if self._jobs:
            self.beginResetModel()
            self._jobs = []
            self.endResetModel()
