"""What to evaluate: the test file, the models, the metric, the grader and the pace."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ftstudio.core.evaluation.judge import DEFAULT_RUBRIC, Judge
from ftstudio.core.evaluation.runner import DEFAULT_CONCURRENCY
from ftstudio.core.evaluation.scoring import Metric
from ftstudio.core.models import DEFAULT_MODEL
from ftstudio.gui.evaluation.models_box import ModelsBox
from ftstudio.gui.evaluation.rubric_dialog import RubricDialog
from ftstudio.gui.widgets.chat_model_picker import ChatModelPicker


class SetupBar(QWidget):
    """The choices of a run, laid out in a grid; the grader row shows for the judge."""

    metric_changed = Signal()
    """Another metric was picked."""
    choose_file_requested = Signal()
    """The user wants to pick a test file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rubric = DEFAULT_RUBRIC
        self.file_label = QLabel("No test file chosen.")
        self.choose_button = QPushButton("Choose test file…")
        self.choose_button.clicked.connect(self.choose_file_requested)
        self.models_box = ModelsBox()
        self.models_box.set_models([DEFAULT_MODEL, ""])
        self.metric_box = QComboBox()
        for metric in Metric:
            self.metric_box.addItem(metric.label, metric.value)
            self.metric_box.setItemData(
                self.metric_box.count() - 1,
                metric.description,
                Qt.ItemDataRole.ToolTipRole,
            )
        self.metric_box.currentIndexChanged.connect(self._on_metric)
        self.judge_picker = ChatModelPicker(DEFAULT_MODEL)
        self.judge_picker.setAccessibleName("Grader model")
        self.judge_picker.setToolTip(
            "The chat model that grades each reply against the expected answer: any "
            "model of the service you are connected to, a local one included."
        )
        self.rubric_button = QPushButton("Rubric…")
        self.rubric_button.setToolTip("Read and edit what each grade means.")
        self.rubric_button.clicked.connect(self.edit_rubric)
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 32)
        self.concurrency.setValue(DEFAULT_CONCURRENCY)
        self.concurrency.setToolTip("How many questions are asked at the same time.")
        file_row = QHBoxLayout()
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.file_label, 1)
        self.judge_row = QWidget()
        judge_line = QHBoxLayout(self.judge_row)
        judge_line.setContentsMargins(0, 0, 0, 0)
        judge_line.addWidget(QLabel("Graded by"))
        judge_line.addWidget(self.judge_picker, 1)
        judge_line.addWidget(self.rubric_button)
        score_row = QHBoxLayout()
        score_row.addWidget(self.metric_box)
        score_row.addWidget(self.judge_row, 3)
        score_row.addStretch(1)
        score_row.addWidget(QLabel("At once"))
        score_row.addWidget(self.concurrency)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addLayout(file_row, 0, 0, 1, 2)
        grid.addWidget(QLabel("Models"), 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.models_box, 1, 1)
        grid.addWidget(QLabel("Score by"), 2, 0)
        grid.addLayout(score_row, 2, 1)
        grid.setColumnStretch(1, 1)
        self._on_metric(0)

    @property
    def score_metric(self) -> Metric:
        """Return the chosen metric."""
        return Metric(self.metric_box.currentData())

    def set_metric(self, metric: Metric) -> None:
        """Pick ``metric``."""
        self.metric_box.setCurrentIndex(self.metric_box.findData(metric.value))

    def judge(self) -> Judge | None:
        """Return the grader when the judge is the metric, else None."""
        if self.score_metric is not Metric.JUDGE:
            return None
        return Judge(self.judge_picker.model_name, self.rubric)

    @Slot(int)
    def _on_metric(self, _index: int) -> None:
        self.judge_row.setVisible(self.score_metric is Metric.JUDGE)
        self.metric_changed.emit()

    @Slot()
    def edit_rubric(self) -> None:
        """Open the rubric in an editor; keep the edit on OK."""
        dialog = RubricDialog(self.rubric, self)
        if dialog.exec():
            self.rubric = dialog.rubric
        dialog.deleteLater()

    def set_running(self, running: bool) -> None:
        """Lock the choices while a run goes (the metric may still change)."""
        for widget in (
            self.choose_button,
            self.models_box,
            self.judge_row,
            self.concurrency,
        ):
            widget.setEnabled(not running)
