"""The Validator's trainer target: OpenAI's rules only, or another trainer's on top."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from ftstudio.core.validation.profiles import check_lines, relax, sources
from ftstudio.workers import TaskRunner, plain

if TYPE_CHECKING:
    from ftstudio.core.validation.findings import Finding
    from ftstudio.core.validation.report import Report
    from ftstudio.gui.document import Document

TARGETS = (
    ("openai", "OpenAI"),
    ("azure", "Azure OpenAI (Microsoft Foundry)"),
    ("together", "Together AI"),
    ("fireworks", "Fireworks AI"),
    ("gpt-oss", "gpt-oss (Harmony), e.g. trained here"),
)


def target_findings(
    rows: list[bytes], target: str, size: int, report: Report
) -> tuple[Finding, ...]:
    """Return ``report``'s findings that ``target`` shares, and its own rules' findings."""
    return relax(report.findings, target) + tuple(check_lines(rows, target, size))


class TargetBox(QWidget):
    """Picks the trainer whose extra rules apply; computes their findings on a worker."""

    findings_ready = Signal(object)
    """The findings to show for the current report and target (a tuple of Finding)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        for name, words in TARGETS:
            self.combo.addItem(words, name)
        self.combo.setAccessibleName("Trainer the file is for")
        self.combo.currentIndexChanged.connect(self._on_changed)
        label = QLabel("&For:")
        label.setBuddy(self.combo)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(self.combo)
        self.runner = TaskRunner(self)
        self._doc: Document | None = None
        self._on_changed()

    @property
    def target(self) -> str:
        """Return the chosen target's name (``openai`` adds no rules)."""
        return str(self.combo.currentData())

    def check(self, doc: Document | None, report: Report | None) -> bool:
        """Start computing ``report``'s findings for the target; False when nothing to add."""
        self._doc = doc
        self.runner.shutdown()  # a result for an earlier report is void
        if doc is None or report is None or self.target == "openai":
            return False
        rows = list(doc.store.iter_raw())
        size = sum(len(r) + 1 for r in rows)
        task = self.runner.start(
            plain(target_findings, rows, self.target, size, report),
            f"Checking for {self.combo.currentText()}",
        )
        task.succeeded.connect(self.findings_ready)
        task.start()
        return True

    @Slot()
    def _on_changed(self, *_args: object) -> None:
        rules = sources(self.target)
        self.combo.setToolTip(
            f"Rules checked beyond OpenAI's, with their sources:\n{rules}"
            if rules
            else "OpenAI's rules only."
        )
        if self._doc is not None and not self.check(self._doc, self._doc.report):
            self.findings_ready.emit(None)  # back to the report's own findings
