"""The evaluation view's actions beyond running: export, blind mode, cost, after training."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFileDialog

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.evaluation.blind import BlindSession
from ftstudio.core.evaluation.report import write_report
from ftstudio.core.evaluation.runcost import estimate_cost, is_paid_service
from ftstudio.core.evaluation.scoring import Metric
from ftstudio.gui.evaluation.blind_dialog import BlindDialog

if TYPE_CHECKING:
    import openai
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QComboBox, QWidget

    from ftstudio.core.evaluation.jobfile import JobToEvaluate
    from ftstudio.core.evaluation.judge import Judge
    from ftstudio.core.evaluation.results import ResultsFile, Vote
    from ftstudio.gui.evaluation.setup_bar import SetupBar
    from ftstudio.gui.evaluation.table_model import EvalTableModel
    from ftstudio.workers import TaskRunner


class ActionsMixin:
    """Mixed into :class:`~ftstudio.gui.evaluation.view.EvalView`."""

    # provided by the view
    model: EvalTableModel
    setup: SetupBar
    test_path: Path | None
    job_runner: TaskRunner
    first_box: QComboBox
    second_box: QComboBox
    error: SignalInstance
    status: SignalInstance
    blind_dialog: BlindDialog | None = None
    _client: Callable[[], openai.OpenAI]

    if TYPE_CHECKING:

        @property
        def score_metric(self) -> Metric: ...
        def results_file(self) -> ResultsFile: ...
        def ask_yes_no(self, title: str, text: str) -> bool: ...
        def refresh_summary(self) -> None: ...
        def set_test_file(self, path: Path) -> None: ...
        def run(self) -> None: ...
        @property
        def running(self) -> bool: ...

    # exports ------------------------------------------------------------------
    def export_csv(self, path: Path) -> None:
        """Write every reply and score to ``path`` (the grader's settings beside it)."""
        self.model.table.export_csv(path, self.score_metric)
        self.status.emit(f"Results written to {path.name}.")

    def export_report(self, path: Path) -> None:
        """Write the self-contained HTML report to ``path``."""
        name = self.test_path.name if self.test_path else "a test file"
        write_report(self.model.table, self.score_metric, path, f"Evaluation of {name}")
        self.status.emit(f"Report written to {path.name}.")

    def _ask_save(self, title: str, default: str, kind: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            cast("QWidget", self), title, default, kind
        )
        return Path(name) if name else None

    @Slot()
    def _ask_export_csv(self) -> None:
        path = self._ask_save("Export results", "evaluation.csv", "CSV (*.csv)")
        if path is not None:
            self._guarded(partial(self.export_csv, path))

    @Slot()
    def _ask_export_report(self) -> None:
        path = self._ask_save("Export report", "evaluation.html", "Web page (*.html)")
        if path is not None:
            self._guarded(partial(self.export_report, path))

    def _guarded(self, action: Any) -> None:
        try:
            action()
        except FtError as exc:
            self.error.emit(exc)

    # cost ---------------------------------------------------------------------
    def confirm_cost(
        self, client: openai.OpenAI, results: ResultsFile, judge: Judge | None
    ) -> bool:
        """Before a judge run on a paid service, say what it costs and ask."""
        if judge is None or not is_paid_service(str(client.base_url)):
            return True
        record = results.load_all()
        cost = estimate_cost(
            self.model.table.cases,
            self.model.table.models,
            record.answers,
            judge,
            record.grades.get(judge.key, {}),
        )
        if not cost.calls:
            return True
        return self.ask_yes_no("Grading costs money", f"{cost.describe()}\n\nGo ahead?")

    # blind mode ---------------------------------------------------------------
    @Slot()
    def open_blind(self) -> BlindDialog | None:
        """Open the blind side-by-side comparison of the two compared models."""
        first, second = self.first_box.currentIndex(), self.second_box.currentIndex()
        if first == second or min(first, second) < 0:
            self.error.emit(
                FtError(ErrorKind.INPUT, "Pick two different models to compare.")
            )
            return None
        session = BlindSession(self.model.table, first, second)
        if not session.total:
            self.error.emit(
                FtError(ErrorKind.INPUT, "No test has replies from both models yet.")
            )
            return None
        dialog = BlindDialog(session, cast("QWidget", self))  # a window of its own
        dialog.voted.connect(self._on_voted)
        dialog.finished.connect(dialog.deleteLater)
        self.blind_dialog = dialog
        dialog.show()
        return dialog

    @Slot(object)
    def _on_voted(self, vote: Vote) -> None:
        try:
            self.results_file().add_vote(vote)
        except OSError as exc:
            self.error.emit(
                FtError(ErrorKind.IO, "The vote could not be saved.", str(exc))
            )
        self.refresh_summary()

    # after training -----------------------------------------------------------
    def preselect(self, base: str, tuned: str) -> None:
        """Offer ``base`` against ``tuned`` unless the user chose other models already."""
        from ftstudio.core.models import DEFAULT_MODEL

        if self.running or set(self.setup.models_box.models()) - {DEFAULT_MODEL, base}:
            return
        self.setup.models_box.set_models([base, tuned])

    def evaluate_job(self, job_id: str) -> None:
        """Evaluate a finished job's model against its base on its validation file."""
        from ftstudio.core.evaluation.jobfile import job_to_evaluate
        from ftstudio.core.paths import user_data_dir

        if self.running:
            self.error.emit(
                FtError(ErrorKind.INPUT, "An evaluation is running: cancel it first.")
            )
            return
        try:
            client = self._client()
        except FtError as exc:
            self.error.emit(exc)
            return
        folder = user_data_dir() / "evaluations"
        task = self.job_runner.start(
            partial(job_to_evaluate, client, job_id, folder), "Fetching the job"
        )
        task.succeeded.connect(self._on_job_fetched)
        task.failed.connect(self.error)
        task.start()
        self.status.emit(f"Fetching the validation file of {job_id}…")

    @Slot(object)
    def _on_job_fetched(self, job: JobToEvaluate) -> None:
        self.setup.models_box.set_models([job.base_model, job.tuned_model])
        if self.setup.score_metric.pass_fail:
            self.setup.set_metric(Metric.F1)  # free text: pass/fail tells little
        if job.test_file is None:
            self.error.emit(
                FtError(
                    ErrorKind.INPUT,
                    f"The job {job.job_id} had no validation file: choose a held-out "
                    "test file, then press Run.",
                )
            )
            return
        try:
            self.set_test_file(job.test_file)
        except FtError as exc:
            self.error.emit(exc)
            return
        self.run()
