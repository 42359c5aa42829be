"""The Monitor tab: follow a job live (curves, header, hints, events, checkpoints)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt, QTimer, Signal, SignalInstance, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.monitor.header import header_facts
from ftstudio.core.monitor.hints import COST_EXPLAINED, curve_hints
from ftstudio.core.monitor.metrics import MetricSeries, epoch_boundaries, reconcile
from ftstudio.core.monitor.watch import WatchUpdate, recent_jobs, watch_job
from ftstudio.gui.monitor.controls import PlotControls
from ftstudio.gui.monitor.hardware import HardwareLine, Service
from ftstudio.gui.monitor.models import EventsModel
from ftstudio.gui.monitor.panels import CheckpointsPanel, table_view
from ftstudio.gui.monitor.plots import MetricsPlot
from ftstudio.gui.widgets.banner import ErrorBanner
from ftstudio.gui.widgets.splitters import RememberedSplitter
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    from collections.abc import Generator

    import openai

    from ftstudio.core.cancel import CancelToken
    from ftstudio.core.monitor.watch import JobInfo
    from ftstudio.core.progress import Notice

RESUME_MS = 10_000
"""After the retries of a poll run out, try again this much later (network loss)."""


class ApiConnection(Service, Protocol):
    """What the tab needs of the studio's connection (``ConnectionManager``)."""

    @property
    def changed(self) -> SignalInstance: ...

    def client(self) -> openai.OpenAI: ...


_LISTING = "listing"  # where a banner error came from, to withdraw it
_WATCHING = "watching"


class MonitorTab(QWidget):
    """Pick a job and watch it: live curves, progress, hints, events, checkpoints."""

    chat_with_model = Signal(str)
    """The user asked to chat with this model (a checkpoint's name)."""
    status_message = Signal(str)
    """A passing message for the status bar (e.g. a retry in progress)."""
    evaluate_requested = Signal(str)
    """The user asked to evaluate this finished job's model against its base."""

    def __init__(
        self, connection: ApiConnection, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._connection = connection
        self.poll_interval = 2.0
        self.resume_ms = RESUME_MS
        self._job_id: str | None = None
        self._job: JobInfo | None = None
        self._last_seen: str | None = None
        self._retrying = False  # a retry line is on the status bar
        self.series = MetricSeries()
        self._watcher = TaskRunner(self)
        self._lister = TaskRunner(self)
        self._resume = QTimer(self)
        self._resume.setSingleShot(True)
        self._resume.timeout.connect(self._start_watch)
        self._clock = QTimer(self)  # the elapsed time moves while a job runs
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._update_header)
        self._listed = False
        self._build()
        connection.changed.connect(self._on_connection_changed)

    # layout ---------------------------------------------------------------------
    def _build(self) -> None:
        self.jobs = QComboBox()
        self.jobs.setAccessibleName("Job to watch")
        self.jobs.setMinimumContentsLength(40)
        self.jobs.setPlaceholderText("Pick a job to watch")
        self.jobs.activated.connect(self._on_job_picked)
        refresh = QPushButton("Refresh list")
        refresh.setToolTip("Fetch your most recent fine-tuning jobs again")
        refresh.clicked.connect(self.refresh_jobs)
        picker = QHBoxLayout()
        picker.addWidget(QLabel("Job:"))
        picker.addWidget(self.jobs, 1)
        picker.addWidget(refresh)
        self.banner = ErrorBanner()
        self.header = {
            key: QLabel()
            for key in ("status", "elapsed", "finish", "step", "epoch", "cost")
        }
        self.header["status"].setStyleSheet("font-weight: bold")
        self.header["cost"].setToolTip(COST_EXPLAINED)
        # two rows, so that a 1024 px window shows every word: what the job is
        # doing on top, time and money below (the cost line wraps if it must)
        head = QHBoxLayout()
        head.setSpacing(18)
        when = QHBoxLayout()
        when.setSpacing(18)
        for key, label in self.header.items():
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row = when if key in ("elapsed", "finish", "cost") else head
            row.addWidget(label, 1 if key == "cost" else 0)
        self.header["cost"].setWordWrap(True)
        head.addStretch(1)
        self.evaluate_button = QPushButton("Evaluate against its base…")
        self.evaluate_button.setToolTip("Score it and its base on the validation file.")
        self.evaluate_button.clicked.connect(self._request_evaluation)
        head.addWidget(self.evaluate_button)
        self.plot = MetricsPlot(self.series)
        self.controls = PlotControls(self.plot)
        self.controls.export_png_requested.connect(self._ask_export_png)
        self.controls.export_csv_requested.connect(self._ask_export_csv)
        self.hints = QLabel()
        self.hints.setWordWrap(True)
        self.hints.setAccessibleName("Hints about the curves")
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.plot, 1)
        top_layout.addWidget(self.controls)
        self.hardware = HardwareLine(self.header["cost"], self._connection)
        top_layout.addWidget(self.hardware)  # local jobs: tokens/s, GPU memory
        top_layout.addWidget(self.hints)
        self.events_model = EventsModel()
        self.events_view = table_view(self.events_model, "Events of the job")
        self.checkpoints = CheckpointsPanel()
        self.checkpoints.chat_with_model.connect(self.chat_with_model)
        # the parts tests and the window reach for
        self.checkpoints_model = self.checkpoints.model
        self.checkpoints_view = self.checkpoints.view
        self.chat_button = self.checkpoints.chat_button
        parts = (self.events_view, self.checkpoints)
        bottom = RememberedSplitter(
            "monitor-events", parts, horizontal=True, sizes=(3, 2)
        )
        split = RememberedSplitter("monitor", (top, bottom), (3, 1))
        self.splitters = (split, bottom)
        layout = QVBoxLayout(self)
        layout.addLayout(picker)
        layout.addWidget(self.banner)
        layout.addLayout(head)
        layout.addLayout(when)
        layout.addWidget(split, 1)
        self._reset_view()

    # jobs -----------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        if not self._listed:
            self.refresh_jobs()
        super().showEvent(event)

    @Slot()
    def _on_connection_changed(self) -> None:
        # another service (or key): the job shown may not exist there, and what
        # the last one said ("Cannot reach the service…") is not about this one
        self.banner.hide()
        self.stop_watching()
        self._job_id = self._job = self._last_seen = None
        self.series = self.plot.series = MetricSeries()
        self.events_model.clear()
        self.checkpoints_model.set_checkpoints([])
        self.jobs.clear()
        self._reset_view()
        self.refresh_jobs()

    @Slot()
    def refresh_jobs(self) -> None:
        """Fetch the most recent jobs into the picker (in the background)."""
        self._listed = True
        try:
            client = self._connection.client()
        except FtError as error:
            self.banner.show_error(error, _LISTING)
            return

        def run(cancel: CancelToken) -> Generator[Any, None, list[JobInfo]]:
            return recent_jobs(client, cancel)

        task = self._lister.start(run, "Listing your fine-tuning jobs")
        task.noticed.connect(self._on_noticed)
        task.succeeded.connect(self._on_jobs_listed)
        task.failed.connect(lambda error: self.banner.show_error(error, _LISTING))
        task.start()

    @Slot(object)
    def _on_jobs_listed(self, jobs: list[JobInfo]) -> None:
        self._retry_over()
        self.banner.withdraw(_LISTING)
        current = self._job_id
        self.jobs.clear()
        for job in jobs:
            self.jobs.addItem(job.title, job.id)
        if current is not None:
            self._select_in_picker(current)

    def _select_in_picker(self, job_id: str) -> None:
        index = self.jobs.findData(job_id)
        if index < 0:
            self.jobs.addItem(job_id, job_id)
            index = self.jobs.count() - 1
        self.jobs.setCurrentIndex(index)

    @Slot(int)
    def _on_job_picked(self, index: int) -> None:
        job_id = self.jobs.itemData(index)
        if isinstance(job_id, str) and job_id != self._job_id:
            self.show_job(job_id)

    # watching -------------------------------------------------------------------
    @property
    def job(self) -> JobInfo | None:
        """Return the shown job as last polled."""
        return self._job

    def stop_watching(self) -> None:
        """Stop polling the shown job (what was received stays on screen)."""
        self._resume.stop()
        self._clock.stop()
        self._watcher.shutdown(0)

    def show_job(self, job_id: str) -> None:
        """Watch ``job_id``: load its whole history, then follow it live."""
        self.stop_watching()
        self._job_id, self._job, self._last_seen = job_id, None, None
        self.series = MetricSeries()
        self.plot.series = self.series
        self.events_model.clear()
        self.checkpoints_model.set_checkpoints([])
        self._select_in_picker(job_id)
        self._reset_view()
        self._start_watch()

    def _reset_view(self) -> None:
        self.hardware.reset()
        for label in self.header.values():
            label.clear()
        self.header["status"].setText("Loading…" if self._job_id else "No job shown")
        self.hints.setText("")
        self.evaluate_button.hide()
        self.plot.set_marks([], [])
        self.plot.redraw()

    @Slot()
    def _start_watch(self) -> None:
        job_id, last_seen, interval = self._job_id, self._last_seen, self.poll_interval
        if job_id is None:
            return
        try:
            client = self._connection.client()
        except FtError as error:
            self.banner.show_error(error, _WATCHING)
            return

        def run(cancel: CancelToken) -> Generator[Any, None, JobInfo]:
            return watch_job(
                client, job_id, cancel, interval=interval, last_seen=last_seen
            )

        task = self._watcher.start(run, "Watching the fine-tuning job")
        task.partial.connect(self._on_partial)
        task.noticed.connect(self._on_noticed)
        task.succeeded.connect(self._on_watch_ended)
        task.failed.connect(self._on_watch_failed)
        task.start()

    @Slot(object)
    def _on_noticed(self, notice: Notice) -> None:
        self._retrying = True
        self.status_message.emit(notice.text)

    def _retry_over(self) -> None:
        if self._retrying:  # a call got through: "trying again" is no longer true
            self._retrying = False
            self.status_message.emit("")

    @Slot(list)
    def _on_partial(self, items: list[WatchUpdate]) -> None:
        self._retry_over()
        for item in items:
            self._apply(item)
        self._update_header()
        self.hints.setText("\n".join(curve_hints(self.series, self._n_epochs())))
        self.plot.schedule_redraw()

    def _apply(self, update: WatchUpdate) -> None:
        self._job = update.job
        # news of the job: a watching error is no longer true (a failed save
        # stays until the user has seen it)
        self.banner.withdraw(_WATCHING)
        self.events_model.add(update.events)
        self.hardware.add(update.events)
        self.series.add_block(update.metrics)
        if update.events:
            self._last_seen = update.events[-1].id
            self.events_view.scrollToBottom()
        if update.checkpoints is not None:
            self.checkpoints_model.set_checkpoints(update.checkpoints)
            self.checkpoints_view.resizeColumnsToContents()
        index = self.jobs.findData(update.job.id)
        if index >= 0:  # the picker says the status as it is now
            self.jobs.setItemText(index, update.job.title)
        if update.results_csv is not None:
            reconcile(self.series, update.results_csv)
        self.plot.set_marks(
            epoch_boundaries(self.series.total_steps, self._n_epochs()),
            [c.step for c in update.checkpoints or self._checkpoints()],
        )
        self.evaluate_button.setVisible(bool(update.job.fine_tuned_model))
        if update.job.finished:
            self._clock.stop()
        elif not self._clock.isActive():
            self._clock.start()

    def _checkpoints(self) -> list[Any]:
        return self.checkpoints_model.all_checkpoints()

    def _n_epochs(self) -> int | None:
        return self._job.n_epochs if self._job is not None else None

    @Slot()
    def _update_header(self) -> None:
        if self._job is None:
            return
        facts = header_facts(self._job, self.series)
        for key in self.header:
            self.header[key].setText(getattr(facts, key))
        self.hardware.say_cost(self._job)  # a job on this computer costs nothing

    @Slot(object)
    def _on_watch_ended(self, job: JobInfo) -> None:
        self._job = job
        self._clock.stop()
        self._update_header()
        if job.fine_tuned_model:  # after training: offer the comparison in one click
            self.evaluate_button.show()
            self.status_message.emit(
                "Training done: evaluate it against its base in one click."
            )
        self.plot.redraw()

    @Slot()
    def _request_evaluation(self) -> None:
        if self._job is not None:
            self.evaluate_requested.emit(self._job.id)

    @Slot(object)
    def _on_watch_failed(self, error: FtError) -> None:
        self._clock.stop()
        if error.retryable:
            # the service or the network is down for longer than the retries
            # cover: keep what we have and resume after the last event seen
            seconds = self.resume_ms // 1000
            message = f"{error.message} Watching again in {seconds} s."
            self.banner.show_error(
                FtError(error.kind, message, error.detail, True), _WATCHING
            )
            self._resume.start(self.resume_ms)
        else:
            self.banner.show_error(error, _WATCHING)

    # export ---------------------------------------------------------------------
    def export_csv(self, path: Path) -> None:
        """Write the metrics as CSV to ``path``."""
        try:
            path.write_bytes(self.series.to_csv())
        except OSError as exc:
            message = f"Cannot save the metrics to {path}."
            self.banner.show_error(FtError(ErrorKind.IO, message, str(exc)))

    def export_png(self, path: Path) -> None:
        """Save the plots as a PNG picture at ``path``."""
        if not self.plot.export_png(path):
            message = f"Cannot save the picture to {path}."
            self.banner.show_error(FtError(ErrorKind.IO, message))

    def _ask_path(self, title: str, ext: str, kinds: str) -> Path | None:
        default = f"{self._job_id or 'metrics'}.{ext}"
        name, _ = QFileDialog.getSaveFileName(self, title, default, kinds)
        return Path(name) if name else None

    @Slot()
    def _ask_export_png(self) -> None:
        if path := self._ask_path("Save the plot", "png", "PNG pictures (*.png)"):
            self.export_png(path)

    @Slot()
    def _ask_export_csv(self) -> None:
        if path := self._ask_path("Save the metrics", "csv", "CSV files (*.csv)"):
            self.export_csv(path)

    # lifecycle ------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop polling and wait for the workers (the tab or window is closing)."""
        self.stop_watching()
        self._watcher.shutdown()
        self._lister.shutdown()
