"""The evaluation view: a test file through several models, scored, compared and explained."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.evaluation.results import (
    Answer,
    Grade,
    ResultsFile,
    default_results_path,
)
from ftstudio.core.evaluation.session import evaluate, load_table
from ftstudio.core.evaluation.table import EvalTable
from ftstudio.core.evaluation.testfile import read_cases
from ftstudio.gui.evaluation.actions import ActionsMixin
from ftstudio.gui.evaluation.results_pane import ResultsPane
from ftstudio.gui.evaluation.setup_bar import SetupBar
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    import openai

    from ftstudio.core.chat.models import ModelChoices
    from ftstudio.core.evaluation.scoring import Metric
    from ftstudio.core.evaluation.testfile import Case
    from ftstudio.core.progress import Notice, Progress

HELP = (
    "Check models on examples they were not trained on. The test file holds chat "
    "examples whose last assistant reply is the expected answer, or lines of "
    '{"input": ..., "ideal": ...}. Word overlap (F1) or a grader model tells a '
    "fine-tuned model from its base on free text. A stopped run continues where it stopped."
)


class EvalView(ActionsMixin, QWidget):
    """Pick a test file, models and a metric; run, cancel, resume; read and export."""

    error = Signal(object)
    """An :class:`FtError` for the tab's banner."""
    status = Signal(str)
    """A line for the tab's status area."""
    summary_ready = Signal()
    """The summary and chart show the scores as they were when last asked."""

    def __init__(
        self, client: Callable[[], openai.OpenAI], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._client = client
        self.cases: list[Case] = []
        self.test_path: Path | None = None
        self.runner = TaskRunner(self)
        self.job_runner = TaskRunner(self)
        self._running = False
        self._retrying = False  # a retry line is on the status bar
        self._build()
        self._update_buttons()

    def _build(self) -> None:
        intro = QLabel(HELP)
        intro.setWordWrap(True)
        self.setup = SetupBar()
        self.setup.choose_file_requested.connect(self._ask_test_file)
        self.setup.metric_changed.connect(self._on_metric)
        self.setup.models_box.changed.connect(self._update_buttons)
        self.run_button = QPushButton("Run")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.over_button = QPushButton("Start over")
        self.over_button.setToolTip(
            "Forget the replies, grades and votes kept for this run."
        )
        self.over_button.clicked.connect(self.start_over)
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m")
        self.blind_button = QPushButton("Blind comparison…")
        self.blind_button.setToolTip(
            "Judge the two compared models yourself, without knowing which is which."
        )
        self.blind_button.clicked.connect(self.open_blind)
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.clicked.connect(self._ask_export_csv)
        self.report_button = QPushButton("Export report…")
        self.report_button.clicked.connect(self._ask_export_report)
        self.results = ResultsPane()
        self.results.error.connect(self.error)
        self.results.summary_ready.connect(self.summary_ready)
        # the parts tests and the actions reach for
        self.model, self.proxy, self.view = (
            self.results.model,
            self.results.proxy,
            self.results.view,
        )
        self.example, self.summary = self.results.example, self.results.summary
        self.details = self.results.details
        self.first_box, self.second_box = (
            self.results.first_box,
            self.results.second_box,
        )
        controls = QHBoxLayout()
        for button in (self.run_button, self.cancel_button, self.over_button):
            controls.addWidget(button)
        controls.addWidget(self.progress, 1)
        for button in (self.blind_button, self.csv_button, self.report_button):
            self.results.compare_row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.setup)
        layout.addLayout(controls)
        layout.addWidget(self.results, 1)

    # choices ------------------------------------------------------------------
    def set_choices(self, choices: ModelChoices) -> None:
        """Fill the model and grader pickers with the service's models."""
        self.setup.models_box.set_choices(choices)
        self.setup.judge_picker.set_choices(choices)

    def models(self) -> list[str]:
        """Return the chosen model names."""
        return self.setup.models_box.models()

    def set_test_file(self, path: Path) -> None:
        """Read ``path`` as the test file; raise :class:`FtError` when it is not one."""
        self.cases = read_cases(path)
        self.test_path = path
        self.setup.file_label.setText(f"{path.name}: {len(self.cases)} tests")
        self._show(EvalTable(self.cases, self.models(), {}))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)

    def set_metric(self, metric: Metric) -> None:
        """Score with ``metric``."""
        self.setup.set_metric(metric)

    @property
    def score_metric(self) -> Metric:
        """Return the metric the table shows."""
        return self.setup.score_metric

    @Slot()
    def _on_metric(self) -> None:
        self.results.set_metric(self.score_metric)
        table = self.model.table
        if self.setup.judge() is not None and table.answers and not table.grades:
            self.status.emit("Press Run: the grader grades the replies already kept.")

    def refresh_summary(self) -> None:
        """Recompute the summary and chart (off the GUI thread)."""
        self.results.refresh_summary()

    def _show(self, table: EvalTable) -> None:
        self.results.score_metric = self.score_metric
        self.results.show_table(table)
        self._update_buttons()

    # running ------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """Whether an evaluation is running."""
        return self._running

    def results_file(self) -> ResultsFile:
        """Return the run record of this test file and these models."""
        models = self.models()
        return ResultsFile(default_results_path(self.cases, models), self.cases, models)

    @Slot()
    def run(self) -> None:
        """Ask what is not answered (or graded) yet; kept answers show at once."""
        if self._running:
            return
        models = self.models()
        if not self.cases:
            self.error.emit(FtError(ErrorKind.INPUT, "Choose a test file first."))
            return
        if not models:
            self.error.emit(
                FtError(ErrorKind.INPUT, "Choose the model(s) to evaluate first.")
            )
            return
        judge = self.setup.judge()
        if judge is not None and not judge.model:
            self.error.emit(
                FtError(ErrorKind.INPUT, "Choose the model that grades the answers.")
            )
            return
        try:
            client = self._client()
            results = self.results_file()
            self._show(load_table(self.cases, models, results, judge))
            if not self.confirm_cost(client, results, judge):
                return
        except FtError as exc:
            self.error.emit(exc)
            return
        fn = partial(
            evaluate,
            client,
            self.cases,
            models,
            results=results,
            judge=judge,
            concurrency=self.setup.concurrency.value(),
        )
        task = self.runner.start(fn, "Evaluating")
        task.partial.connect(self._on_partial)
        task.noticed.connect(self._on_noticed)
        task.progressed.connect(self._on_progress)
        task.succeeded.connect(self._on_succeeded)
        task.failed.connect(self._on_failed)
        task.cancelled.connect(self._on_cancelled)
        self._running = True
        task.start()
        self._update_buttons()
        self.status.emit("Evaluating…")

    @Slot()
    def cancel(self) -> None:
        """Stop the run; the answers so far are kept for a later Run."""
        self.runner.cancel()

    @Slot()
    def start_over(self) -> None:
        """Forget kept answers, grades and votes for this test file and these models."""
        if self._running or not self.cases:
            return
        self.results_file().path.unlink(missing_ok=True)
        self._show(EvalTable(self.cases, self.models(), {}))
        self.progress.setValue(0)
        self.status.emit("Kept replies forgotten: the next run asks every test again.")

    @Slot(list)
    def _on_partial(self, items: list[Answer | Grade]) -> None:
        if self._retrying:  # answers come again: "trying again" is no longer true
            self._retrying = False
            self.status.emit("Evaluating…")
        answers = [item for item in items if isinstance(item, Answer)]
        grades = [item for item in items if isinstance(item, Grade)]
        if answers:
            self.model.add_answers(answers)
        if grades:
            self.model.add_grades(grades)
        if answers or grades:
            self.results.summary_later()

    @Slot(object)
    def _on_noticed(self, notice: Notice) -> None:
        self._retrying = True
        self.status.emit(notice.text)

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        self.progress.setRange(0, progress.total or 0)
        self.progress.setValue(progress.done)
        self.progress.setFormat(f"{progress.label}: %v of %m")

    @Slot(object)
    def _on_succeeded(self, table: EvalTable) -> None:
        self.model.table.judge = table.judge
        self._finish("Evaluation finished.")

    @Slot(object)
    def _on_failed(self, error: FtError) -> None:
        self._finish("The evaluation stopped: press Run to continue where it stopped.")
        self.error.emit(error)

    @Slot()
    def _on_cancelled(self) -> None:
        self._finish("Cancelled. The replies so far are kept: press Run to continue.")

    def _finish(self, message: str) -> None:
        self._running = self._retrying = False
        self.refresh_summary()
        self._update_buttons()
        self.status.emit(message)

    def _update_buttons(self) -> None:
        running = self._running
        has_answers = bool(self.model.table.answers)
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.over_button.setEnabled(not running and bool(self.cases))
        for button in (self.csv_button, self.report_button):
            button.setEnabled(not running and has_answers)
        self.blind_button.setEnabled(
            not running and has_answers and len(self.model.table.models) > 1
        )
        self.setup.set_running(running)

    @Slot()
    def _ask_test_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose a test file", "", "JSON Lines (*.jsonl *.json);;All files (*)"
        )
        if name:
            try:
                self.set_test_file(Path(name))
            except FtError as exc:
                self.error.emit(exc)

    def ask_yes_no(self, title: str, text: str) -> bool:
        """Ask the user a yes/no question (tests replace this)."""
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def shutdown(self) -> None:
        """Cancel the run and wait for its thread (its answers so far stay kept)."""
        was_running, self._running = self._running, False
        self.runner.shutdown()
        self.job_runner.shutdown()
        self.results.shutdown()
        if was_running:
            self._update_buttons()
            self.status.emit("Evaluation stopped. Press Run to continue.")
