"""Read and edit the grader's rubric."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.evaluation.judge import DEFAULT_RUBRIC, SYSTEM_TEMPLATE
from ftstudio.core.evaluation.scoring import JUDGE_SCALE


class RubricDialog(QDialog):
    """The rubric in an editor; the prompt around it is shown read-only."""

    def __init__(self, rubric: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Grading rubric")
        self.resize(640, 480)
        intro = QLabel(
            "The grader reads this rubric to give each reply 1 to "
            f"{JUDGE_SCALE} against the expected answer. Say what each grade means "
            "for your task. Around it, the grader gets these fixed instructions:"
        )
        intro.setWordWrap(True)
        frame = QLabel(
            SYSTEM_TEMPLATE.replace("{rubric}", "[your rubric]")
            .replace("{scale}", str(JUDGE_SCALE))
            .replace("{{", "{")
            .replace("}}", "}")
        )
        frame.setWordWrap(True)
        frame.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, any theme
        self.editor = QPlainTextEdit(rubric)
        self.editor.setAccessibleName("Rubric")
        reset = QPushButton("Back to the default rubric")
        reset.clicked.connect(self._reset)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(frame)
        layout.addWidget(self.editor, 1)
        layout.addWidget(reset)
        layout.addWidget(buttons)

    @property
    def rubric(self) -> str:
        """Return the edited rubric (the default when left empty)."""
        return self.editor.toPlainText().strip() or DEFAULT_RUBRIC

    @Slot()
    def _reset(self) -> None:
        self.editor.setPlainText(DEFAULT_RUBRIC)
