"""The evaluation view: a test file through one or two models, scored side by side."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.api.retry import RetryNotice
from ftstudio.core.errors import FtError
from ftstudio.core.evaluation.results import (
    Answer,
    ResultsFile,
    default_results_path,
)
from ftstudio.core.evaluation.runner import DEFAULT_CONCURRENCY, run_evaluation
from ftstudio.core.evaluation.scoring import Metric
from ftstudio.core.evaluation.testfile import read_cases
from ftstudio.core.models import DEFAULT_MODEL
from ftstudio.gui.playground.eval_model import EvalTableModel
from ftstudio.gui.playground.model_picker import ModelPicker
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    import openai

    from ftstudio.core.chat.models import ModelChoices
    from ftstudio.core.evaluation.testfile import Case
    from ftstudio.core.progress import Progress

HELP = (
    "Check a model on examples it was not trained on. The test file holds chat "
    "examples whose last assistant reply is the expected answer, or lines of "
    '{"input": ..., "ideal": ...}. A stopped run continues where it stopped.'
)


class EvalView(QWidget):
    """Pick a test file, one or two models and a metric; run, cancel, resume, export."""

    error = Signal(object)
    """An :class:`FtError` for the tab's banner."""
    status = Signal(str)
    """A line for the tab's status area."""

    def __init__(
        self, client: Callable[[], openai.OpenAI], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._client = client
        self.cases: list[Case] = []
        self.test_path: Path | None = None
        self.runner = TaskRunner(self)
        self._running = False
        self.model = EvalTableModel(self)
        self._build()
        self._update_buttons()

    def _build(self) -> None:
        intro = QLabel(HELP)
        intro.setWordWrap(True)
        self.file_label = QLabel("No test file chosen.")
        choose = QPushButton("Choose test file…")
        choose.clicked.connect(self._ask_test_file)
        self.picker_a = ModelPicker(DEFAULT_MODEL)
        self.picker_a.setAccessibleName("Model A")
        self.use_b = QCheckBox("and model B")
        self.use_b.setChecked(True)
        self.picker_b = ModelPicker("")
        self.picker_b.setAccessibleName("Model B")
        self.use_b.toggled.connect(self.picker_b.setEnabled)
        self.metric_box = QComboBox()
        for metric in Metric:
            self.metric_box.addItem(metric.description.split(":")[0], metric.value)
            self.metric_box.setItemData(
                self.metric_box.count() - 1,
                metric.description,
                Qt.ItemDataRole.ToolTipRole,
            )
        self.metric_box.currentIndexChanged.connect(self._on_metric)
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 32)
        self.concurrency.setValue(DEFAULT_CONCURRENCY)
        self.concurrency.setToolTip("How many questions are asked at the same time.")
        self.run_button = QPushButton("Run")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.over_button = QPushButton("Start over")
        self.over_button.setToolTip("Forget the replies kept from a stopped run.")
        self.over_button.clicked.connect(self.start_over)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.clicked.connect(self._ask_export)
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m answers")
        self.totals = QLabel()
        self.totals.setAccessibleName("Evaluation totals")
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(24)  # fixed row height
        self.model.modelReset.connect(self._fit_columns)

        row1 = QHBoxLayout()
        row1.addWidget(choose)
        row1.addWidget(self.file_label, 1)
        row2 = QHBoxLayout()
        row2.addWidget(QLabel("Model A"))
        row2.addWidget(self.picker_a, 1)
        row2.addWidget(self.use_b)
        row2.addWidget(self.picker_b, 1)
        row2.addWidget(QLabel("Score by"))
        row2.addWidget(self.metric_box)
        row2.addWidget(QLabel("At once"))
        row2.addWidget(self.concurrency)
        row3 = QHBoxLayout()
        for button in (self.run_button, self.cancel_button, self.over_button):
            row3.addWidget(button)
        row3.addWidget(self.progress, 1)
        row3.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addLayout(row3)
        layout.addWidget(self.totals)
        layout.addWidget(self.view, 1)

    @Slot()
    def _fit_columns(self) -> None:
        # text columns share the width; pass/fail marks take what they need
        header = self.view.horizontalHeader()
        for column in range(self.model.columnCount()):
            mode = (
                QHeaderView.ResizeMode.ResizeToContents
                if self.model.is_score_column(column)
                else QHeaderView.ResizeMode.Stretch
            )
            header.setSectionResizeMode(column, mode)

    # choices ------------------------------------------------------------------
    def set_choices(self, choices: ModelChoices) -> None:
        """Fill both pickers with the service's models."""
        self.picker_a.set_choices(choices)
        self.picker_b.set_choices(choices)

    def models(self) -> list[str]:
        """Return the chosen model names (one or two)."""
        names = [self.picker_a.model_name]
        if self.use_b.isChecked() and self.picker_b.model_name:
            names.append(self.picker_b.model_name)
        return names

    def set_test_file(self, path: Path) -> None:
        """Read ``path`` as the test file; raise :class:`FtError` when it is not one."""
        self.cases = read_cases(path)
        self.test_path = path
        self.file_label.setText(f"{path.name}: {len(self.cases)} tests")
        self.model.reset(self.cases, self.models())
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._show_totals()
        self._update_buttons()

    def set_metric(self, metric: Metric) -> None:
        """Score with ``metric``."""
        self.metric_box.setCurrentIndex(self.metric_box.findData(metric.value))

    @Slot(int)
    def _on_metric(self, _index: int) -> None:
        self.model.set_metric(Metric(self.metric_box.currentData()))
        self._show_totals()

    # running ------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """Whether an evaluation is running."""
        return self._running

    def _results(self) -> ResultsFile:
        models = self.models()
        return ResultsFile(default_results_path(self.cases, models), self.cases, models)

    @Slot()
    def run(self) -> None:
        """Ask the models every test not answered yet (kept answers show at once)."""
        if self._running:
            return
        if not self.cases:
            self.error.emit(FtError("input", "Choose a test file first."))
            return
        models = self.models()
        if not all(models):
            self.error.emit(FtError("input", "Choose the model(s) to evaluate first."))
            return
        try:
            client = self._client()
        except FtError as exc:
            self.error.emit(exc)
            return
        self.model.reset(self.cases, models)
        self.progress.setRange(0, len(self.cases) * len(models))
        self.progress.setValue(0)
        fn = partial(
            run_evaluation,
            client,
            self.cases,
            models,
            results=self._results(),
            concurrency=self.concurrency.value(),
        )
        task = self.runner.start(fn, "Evaluating")
        task.partial.connect(self._on_partial)
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
        """Forget kept answers for this test file and these models."""
        if self._running or not self.cases:
            return
        self._results().path.unlink(missing_ok=True)
        self.model.reset(self.cases, self.models())
        self.progress.setValue(0)
        self._show_totals()
        self.status.emit("Kept replies forgotten: the next run asks every test again.")

    def export_csv(self, path: Path) -> None:
        """Write the table (every reply and score) to ``path``."""
        self.model.table.export_csv(path, self.model.metric)
        self.status.emit(f"Results written to {path.name}.")

    @Slot(list)
    def _on_partial(self, items: list[Any]) -> None:
        answers = [item for item in items if isinstance(item, Answer)]
        if answers:
            self.model.add_answers(answers)
            self._show_totals()
        for item in items:
            if isinstance(item, RetryNotice):
                self.status.emit(item.text)

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        self.progress.setValue(progress.done)

    @Slot(object)
    def _on_succeeded(self, _answers: object) -> None:
        self._finish("Evaluation finished.")
        self._results().path.unlink(missing_ok=True)  # done: a new Run asks afresh

    @Slot(object)
    def _on_failed(self, error: FtError) -> None:
        self._finish("The evaluation stopped: press Run to continue where it stopped.")
        self.error.emit(error)

    @Slot()
    def _on_cancelled(self) -> None:
        self._finish("Cancelled. The replies so far are kept: press Run to continue.")

    def _finish(self, message: str) -> None:
        self._running = False
        self._show_totals()
        self._update_buttons()
        self.status.emit(message)

    def _show_totals(self) -> None:
        table = self.model.table
        parts = []
        for side, (passed, answered) in enumerate(table.totals(self.model.metric)):
            share = f" ({100 * passed / answered:.0f}%)" if answered else ""
            parts.append(
                f"<b>{'AB'[side]}</b> {table.models[side]}: {passed} of {answered} passed{share}"
            )
        self.totals.setText(" · ".join(parts))

    def _update_buttons(self) -> None:
        running = self._running
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.over_button.setEnabled(not running and bool(self.cases))
        self.export_button.setEnabled(not running and bool(self.model.table.answers))
        for widget in (self.picker_a, self.picker_b, self.use_b, self.concurrency):
            widget.setEnabled(not running)
        if not running:
            self.picker_b.setEnabled(self.use_b.isChecked())

    # dialogs ------------------------------------------------------------------
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

    @Slot()
    def _ask_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export results", "evaluation.csv", "CSV (*.csv)"
        )
        if name:
            try:
                self.export_csv(Path(name))
            except FtError as exc:
                self.error.emit(exc)

    def shutdown(self) -> None:
        """Cancel the run and wait for its thread (its answers so far stay kept)."""
        was_running, self._running = self._running, False
        self.runner.shutdown()
        if was_running:
            self._update_buttons()
            self.status.emit("Evaluation stopped. Press Run to continue.")
