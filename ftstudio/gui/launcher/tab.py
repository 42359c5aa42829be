"""The launcher tab: files, base model and settings, checked first, then upload and start."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.gui.launcher.files_box import FilesBox
from ftstudio.gui.launcher.hyper_form import HyperForm
from ftstudio.gui.launcher.jobs.panel import JobsPanel, ask_user
from ftstudio.gui.launcher.launch_bar import NO_FILE, LaunchBar
from ftstudio.gui.launcher.local_form import LocalForm, job_params
from ftstudio.gui.launcher.prelaunch import CheckInputs, CheckResult, run_checks
from ftstudio.gui.launcher.wording import cost_text, findings_text
from ftstudio.gui.widgets.banner import ErrorBanner
from ftstudio.gui.widgets.base_model_picker import BaseModelPicker
from ftstudio.gui.widgets.splitters import RememberedSplitter
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    from collections.abc import Generator

    from openai.types.fine_tuning import FineTuningJob

    from ftstudio.core.cancel import CancelToken
    from ftstudio.core.progress import Progress
    from ftstudio.gui.connection import ConnectionManager
    from ftstudio.gui.document import Document

LISTING = "model listing"
LAUNCHING = "launch"
SERVICE_ORIGINS = (LISTING, LAUNCHING)
"""What the banner says of calls to the service: said of one connection only."""
CHECK_DELAY_MS = 300
"""Checks start shortly after the last change (typing a path, flipping a setting)."""


BLOCKED = "Nothing was uploaded: fix the problems above first."
UNSAVED = (
    "This is for the saved file: your unsaved edits are saved and counted again "
    "before anything is uploaded."
)


class LauncherTab(QWidget):
    """Start a fine-tuning job, and see all jobs below.

    Parameters
    ----------
    connection
        The service to launch on.
    parent
        The owning widget.
    """

    show_findings_requested = Signal()
    """The user wants to see the open dataset's findings (the Validator tab)."""
    open_in_monitor = Signal(str)
    """The user wants to watch this job id in the monitor tab."""
    job_launched = Signal(str)
    """A job with this id was created."""
    task_started = Signal(object)
    """A check or launch :class:`~ftstudio.workers.Task` started (for a progress area)."""

    def __init__(
        self, connection: ConnectionManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.connection = connection
        self.ask: Callable[[str, str], bool] = partial(ask_user, self)
        self.ensure_connection: Callable[[], bool] = self._has_connection
        """Make sure there is a service to launch on (the window asks the user)."""
        self._check: CheckResult | None = None
        self._launch_when_checked = False
        self._checker = TaskRunner(self)
        self._launcher = TaskRunner(self)
        self._models_loaded = False
        self._checker.task_started.connect(self.task_started)
        self._launcher.task_started.connect(self.task_started)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.start_check)

        self.banner = ErrorBanner()
        self.files = FilesBox()
        self.picker = BaseModelPicker()
        self.picker.load_failed.connect(self._on_listing_failed)
        self.picker.loaded.connect(self._on_listed)
        self.picker.model_picked.connect(self._on_model_picked)
        self.hyper = HyperForm()
        self.local = LocalForm()
        self.findings = QLabel()
        self.findings.setWordWrap(True)
        self.findings.setAccessibleName("Check result")
        self.findings.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.findings.linkActivated.connect(self._on_link)
        self.bar = LaunchBar()
        self.bar.launch_requested.connect(self.launch)
        self.bar.stop_requested.connect(self._launcher.cancel)
        # short names for what tests and the window look at
        self.cost, self.status = self.bar.cost, self.bar.status
        self.launch_button = self.bar.launch_button
        self.jobs = JobsPanel(connection)
        self.jobs.open_in_monitor.connect(self.open_in_monitor)
        self._build_layout()

        self.files.changed.connect(self._inputs_changed)
        self.picker.model_changed.connect(self._inputs_changed)
        self.hyper.changed.connect(self._inputs_changed)
        self.local.rate_auto.toggled.connect(self.hyper.use_multiplier)
        connection.changed.connect(self._on_connection_changed)

    def _build_layout(self) -> None:
        files_group = QGroupBox("What to train on")
        QVBoxLayout(files_group).addWidget(self.files)
        model_group = QGroupBox("Base model")
        QVBoxLayout(model_group).addWidget(self.picker)
        settings_group = QGroupBox("Training settings")
        QVBoxLayout(settings_group).addWidget(self.hyper)
        self.local_group = QGroupBox("Training on this computer")
        QVBoxLayout(self.local_group).addWidget(self.local)
        self.local_group.setVisible(self.connection.local_running)
        form = QWidget()
        form_layout = QVBoxLayout(form)
        groups = (files_group, model_group, settings_group, self.local_group)
        for group in groups:
            form_layout.addWidget(group)
        form_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(form)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(scroll, 1)
        top_layout.addWidget(self.findings)
        top_layout.addWidget(self.bar)
        self.splitter = RememberedSplitter("launch", (top, self.jobs), (3, 2))
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)

    # the open dataset ---------------------------------------------------------------
    def set_document(self, doc: Document | None) -> None:
        """Offer the open dataset as the training file."""
        old = self.files.document
        if old is not None:
            old.path_changed.disconnect(self._inputs_changed)
            old.model_changed.disconnect(self.picker.set_model)
            old.modified_changed.disconnect(self._inputs_changed)
        if doc is not old:
            # epochs chosen for one file are not a choice for the next one (as in Cost)
            self.hyper.rows["n_epochs"].set_value("auto")
        self.files.set_document(doc)
        if doc is not None:
            doc.path_changed.connect(self._inputs_changed)
            # an edit, and the save after it: the totals are checked again
            doc.modified_changed.connect(self._inputs_changed)
            # one target model for Validator, Cost and Launch
            doc.model_changed.connect(self.picker.set_model)
            self.picker.set_model(doc.model)
        self._inputs_changed()

    @Slot(str)
    def _on_model_picked(self, name: str) -> None:
        # one target model for Validator, Cost and Launch: the choice made here is
        # the dataset's, so the three show the same tokens, limit and price. A
        # model folder on this computer is no OpenAI target: the dataset keeps its own.
        doc = self.files.document
        if doc is not None and not self.picker.has_local():
            doc.set_model(name)

    # checking -----------------------------------------------------------------------
    def current_inputs(self) -> CheckInputs | None:
        """Return what a check would run on now, or None when no file is chosen."""
        path = self.files.training_path()
        model = self.picker.model()
        if path is None or not model:
            return None
        return CheckInputs.of(
            path,
            self.files.validation_path(),
            model,
            self.hyper.method_name(),
            self.connection.local_running,
        )

    @Slot()
    def _inputs_changed(self, *_args: object) -> None:
        if self.status.text() == BLOCKED:
            self.status.clear()  # said of the check this change replaces
        self._check = None
        self._timer.start()

    @Slot()
    def start_check(self) -> None:
        """Validate the chosen files in the background (the cost comes with it)."""
        self._timer.stop()
        inputs = self.current_inputs()
        if inputs is None:
            self._checker.shutdown()
            self.cost.setText(NO_FILE)
            self.findings.clear()
            self._launch_when_checked = False
            return

        def run(cancel: CancelToken) -> Generator[Progress, None, CheckResult]:
            return (yield from run_checks(inputs, cancel))

        self.cost.setText("Checking the file…")
        task = self._checker.start(run, f"Checking {inputs.training.name}")
        task.succeeded.connect(self._on_checked)
        task.failed.connect(self._on_check_failed)
        task.start()

    @Slot(object)
    def _on_checked(self, result: CheckResult) -> None:
        self._check = result
        self._show_check(result)
        if self._launch_when_checked:
            self._launch_when_checked = False
            self._confirm_and_launch(result)

    @Slot(object)
    def _on_check_failed(self, error: FtError) -> None:
        self._launch_when_checked = False
        self.cost.setText("No estimate: the file could not be checked.")
        self.banner.show_error(error)

    def _show_check(self, result: CheckResult) -> None:
        self.hyper.show_auto_epochs(result.report.cost.epochs)
        if result.ok and self.status.text() == BLOCKED:
            self.status.clear()  # said of an earlier check: this one passes
        text = self._cost_line(result)
        doc = self.files.document
        if doc is not None and doc.modified:
            text += f" {UNSAVED}"
        self.cost.setText(text)
        link = bool(result.errors) and self.files.document is not None
        self.findings.setText(
            findings_text(list(result.blocking), list(result.warnings), link=link)
        )

    @Slot(str)
    def _on_link(self, _link: str) -> None:
        self.show_findings_requested.emit()

    # launching ----------------------------------------------------------------------
    @Slot()
    def launch(self) -> None:
        """Check, confirm, upload and start the job (asking first where needed)."""
        self.banner.hide()
        if self._launcher.current is not None:
            return
        if not self.ensure_connection():
            return
        try:
            self._job_params()
            doc = self.files.document
            if doc is not None and doc.path is None:
                msg = "Save this new dataset to a file first (File → Save As), then launch."
                raise FtError(ErrorKind.INPUT, msg)
            if self.current_inputs() is None:
                raise FtError(ErrorKind.INPUT, "Choose the training file first.")
        except FtError as error:
            self.banner.show_error(error)
            return
        if doc is not None and doc.modified:
            if not self.ask(
                "Save the dataset?",
                f"{doc.title} has changes that are not saved. The saved file is what "
                "gets uploaded. Save it now and continue?",
            ):
                return
            task = doc.save()
            task.succeeded.connect(self._after_saved)
            task.failed.connect(self.banner.show_error)
            return
        self._after_saved()

    @Slot()
    def _after_saved(self, *_args: object) -> None:
        inputs = self.current_inputs()
        if self._check is not None and self._check.inputs == inputs:
            self._confirm_and_launch(self._check)
        else:
            self._launch_when_checked = True
            self.start_check()

    def _confirm_and_launch(self, result: CheckResult) -> None:
        if not result.ok:  # _show_check says what blocks and links to the findings
            self.status.setText(BLOCKED)
            return
        if result.warnings and not self.ask(
            "Launch despite warnings?",
            " ".join(result.warnings) + "\n\nLaunch anyway?",
        ):
            return
        try:
            params = {"model": result.inputs.model, **self._job_params()}
        except FtError as error:
            self.banner.show_error(error)
            return
        bills = (
            ""
            if self.connection.free
            else "\nThe provider bills the tokens actually trained."
        )
        if not self.ask(
            "Start fine-tuning?",
            f"Fine-tune {result.inputs.model} on {result.inputs.training.name}?\n\n"
            f"{self._cost_line(result)}{bills}",
        ):
            return
        self._start_launch(result.inputs, params, result.report.cost.billing_tokens)

    def _has_connection(self) -> bool:
        try:
            self.connection.client()
        except FtError as error:  # no key anywhere: say so where Launch was pressed
            self.banner.show_error(error)
            return False
        return True

    def _cost_line(self, result: CheckResult) -> str:
        cost = result.cost(self.hyper.epochs())
        manager = self.connection
        return cost_text(cost, manager.sandbox_running, manager.local_running)

    def _job_params(self) -> dict[str, Any]:
        return job_params(
            self.picker, self.hyper, self.local, self.connection.local_running
        )

    def _start_launch(
        self, inputs: CheckInputs, params: dict[str, Any], billing_tokens: int
    ) -> None:
        from ftstudio.gui.launcher.launching import LaunchPlan, launch

        try:
            client = self.connection.client()
        except FtError as error:
            self.banner.show_error(error)
            return
        plan = LaunchPlan(inputs.training, inputs.validation, params, billing_tokens)

        def run(cancel: CancelToken) -> Generator[Any, None, FineTuningJob]:
            return (yield from launch(client, plan, cancel))

        task = self._launcher.start(run, f"Launching on {inputs.training.name}")
        task.succeeded.connect(self._on_launched)
        task.failed.connect(self._on_launch_failed)
        task.cancelled.connect(self._on_launch_cancelled)
        self.bar.follow(task)
        task.start()

    @Slot(object)
    def _on_launched(self, job: FineTuningJob) -> None:
        self.status.setText(
            f"Started job {job.id} on {job.model}. It is selected in the list below."
        )
        self.jobs.reveal(job.id)
        self.job_launched.emit(job.id)

    @Slot(object)
    def _on_launch_failed(self, error: FtError) -> None:
        self.status.setText("Nothing was started.")
        self.banner.show_error(error, LAUNCHING)

    @Slot()
    def _on_launch_cancelled(self) -> None:
        self.status.setText("Stopped: no job was started.")

    # the service's models -----------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._models_loaded:
            self.load_models()

    @Slot(object)
    def _on_listing_failed(self, error: FtError) -> None:
        self.banner.show_error(error, LISTING)

    @Slot()
    def _on_listed(self) -> None:
        self.banner.withdraw(LISTING)  # "Cannot reach the service" is no longer true

    @Slot()
    def load_models(self) -> None:
        """List the service's models in the background for the picker."""
        if self.connection.connection is not None:
            self._models_loaded = True
            self.picker.load(self.connection.client())

    @Slot()
    def _on_connection_changed(self) -> None:
        # what the last service said (or will say: a listing still running against
        # it) is not about this one
        self._models_loaded = False
        self.picker.drop_listing()
        self.banner.withdraw(*SERVICE_ORIGINS)
        local = self.connection.local_running
        self.local_group.setVisible(local)
        self.hyper.use_multiplier(not local or self.local.rate_auto.isChecked())
        if self.isVisible():
            self.load_models()
        if self._check is not None:
            self._show_check(self._check)  # the sandbox costs nothing

    def shutdown(self) -> None:
        """Cancel checks, uploads and listings, and wait for them (window close)."""
        self._timer.stop()
        self._checker.shutdown()
        self._launcher.shutdown()
        self.picker.shutdown()
        self.jobs.shutdown()
