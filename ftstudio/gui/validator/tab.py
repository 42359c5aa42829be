"""The Validator tab: what is wrong with the dataset, and how to fix it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.validation.findings import Finding, Severity
from ftstudio.gui.validator.charts import HistogramPanel
from ftstudio.gui.validator.findings_model import (
    CODE_COLUMN,
    FINDING_ROLE,
    LINE_COLUMN,
    MESSAGE_COLUMN,
    ROW_ROLE,
    SEVERITY_COLUMN,
    FindingsModel,
)
from ftstudio.gui.validator.fix_bar import FixBar
from ftstudio.gui.validator.guidance import guidance
from ftstudio.gui.validator.summary import SummaryBar
from ftstudio.gui.validator.target import TargetBox
from ftstudio.gui.widgets.splitters import RememberedSplitter
from ftstudio.gui.widgets.target_model_picker import TargetModelPicker

if TYPE_CHECKING:
    from ftstudio.core.errors import FtError
    from ftstudio.core.progress import Progress
    from ftstudio.core.validation.early import EarlyBatch
    from ftstudio.core.validation.report import Report
    from ftstudio.gui.document import Document

EMPTY_TEXT = "Open a training file or import a spreadsheet to check it here."
_SEVERITY_BOXES = (
    (Severity.ERROR, "E&rrors"),  # Alt+E opens the Edit menu
    (Severity.WARNING, "&Warnings"),
    (Severity.INFO, "&Notes"),
)


def example_sizes(doc: Document) -> tuple[Sequence[int], Sequence[int]]:
    """Return tokens and messages per example of ``doc``'s last validation.

    Empty when the validator cannot tell (the charts then stay empty).
    """
    sizes: Callable[[], tuple[Sequence[int], Sequence[int]]] | None = getattr(
        doc.validator, "example_sizes", None
    )
    return sizes() if sizes is not None else ((), ())


class ValidatorTab(QWidget):
    """Summary, advice, automatic fixes, a findings table and two histograms."""

    jump_requested = Signal(int)
    """Show this dataset row (0-based) in the Dataset tab."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc: Document | None = None

        self.model_picker = TargetModelPicker()
        self.model_picker.model_picked.connect(self._on_model_picked)
        self.target = TargetBox()
        self.target.findings_ready.connect(self._on_target_findings)
        self.status = QLabel()
        self.status.setAccessibleName("Validation status")
        self.summary = SummaryBar()
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.advice.setTextFormat(Qt.TextFormat.RichText)
        self.advice.setAccessibleName("Advice")
        self.fix_bar = FixBar()
        self.target.combo.currentIndexChanged.connect(self._on_target_changed)

        self.findings = FindingsModel()
        self.table = self._build_table()
        self.severity_boxes: dict[Severity, QCheckBox] = {}
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter findings…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter findings by text")
        self.search.setToolTip(
            "Show only findings whose message, code or line number matches."
        )
        self.search.textChanged.connect(self.findings.set_text)
        self.shown = QLabel()
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("The chosen finding in full")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.findings.modelReset.connect(self.detail.clear)
        self.charts = HistogramPanel()

        self._stack = QStackedWidget()
        empty = QLabel(EMPTY_TEXT)
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setWordWrap(True)
        self.empty_label = empty
        self._stack.addWidget(empty)
        self._stack.addWidget(self._build_content())
        QVBoxLayout(self).addWidget(self._stack)
        self.findings.modelReset.connect(self._update_shown)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.findings)
        table.setAccessibleName("Findings")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSortingEnabled(True)
        table.sortByColumn(SEVERITY_COLUMN, Qt.SortOrder.AscendingOrder)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        # a fixed row height keeps scrolling through many findings cheap
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # Widths from the font, not ResizeToContents: that samples 1,000 rows on
        # every reset, which is 25,000 data() calls per keystroke in the filter.
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        for column, sample in (
            (SEVERITY_COLUMN, "MMWarning"),
            (LINE_COLUMN, "whole file"),
            (CODE_COLUMN, "example_missing_assistant_message"),
        ):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        header.setSectionResizeMode(MESSAGE_COLUMN, QHeaderView.ResizeMode.Stretch)
        table.setToolTip(
            "Double-click a finding (or press Enter) to open that example."
        )
        # activated = double-click, or Enter on the keyboard
        table.activated.connect(self._on_activated)
        return table

    def _build_content(self) -> QWidget:
        top = QHBoxLayout()
        model_label = QLabel("Target &model:")
        model_label.setBuddy(self.model_picker)
        top.addWidget(model_label)
        top.addWidget(self.model_picker, 1)
        top.addWidget(self.target)
        top.addWidget(self.status, 2)

        filters = QHBoxLayout()
        for severity, text in _SEVERITY_BOXES:
            box = QCheckBox(text)
            box.setChecked(True)
            box.setAccessibleName(f"Show {text.replace('&', '').lower()}")
            box.toggled.connect(self._on_severity_toggled)
            filters.addWidget(box)
            self.severity_boxes[severity] = box
        filters.addWidget(self.search, 1)
        filters.addWidget(self.shown)

        findings = QWidget()
        findings_layout = QVBoxLayout(findings)
        findings_layout.setContentsMargins(0, 0, 0, 0)
        findings_layout.addLayout(filters)
        findings_layout.addWidget(self.table)
        # A fixed height that scrolls: a label growing on the first click would
        # shrink the table under the mouse, and the second click of a
        # double-click would open another finding.
        detail_area = QScrollArea()
        detail_area.setWidget(self.detail)
        detail_area.setWidgetResizable(True)
        detail_area.setFrameShape(QFrame.Shape.NoFrame)
        detail_area.setFixedHeight(self.detail.fontMetrics().lineSpacing() * 4 + 8)
        findings_layout.addWidget(detail_area)

        self.splitter = RememberedSplitter("validator", (findings, self.charts), (3, 2))
        self.splitter.setChildrenCollapsible(False)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.advice)
        layout.addWidget(self.fix_bar)
        layout.addWidget(self.splitter, 1)
        return page

    # document ---------------------------------------------------------------
    @property
    def document(self) -> Document | None:
        """Return the dataset shown, if any."""
        return self._doc

    def set_document(self, doc: Document | None) -> None:
        """Show ``doc``'s validation (None shows what to do first)."""
        if self._doc is not None:
            self._doc.report_changed.disconnect(self._on_report)
            self._doc.model_changed.disconnect(self._on_doc_model)
            self._doc.validation_progress.disconnect(self._on_progress)
            self._doc.validation_failed.disconnect(self._on_failed)
            self._doc.early_findings.disconnect(self._on_early)
        self._doc = doc
        self.fix_bar.set_document(doc)
        self._stack.setCurrentIndex(0 if doc is None else 1)
        if doc is None:
            self._on_report(None)
            return
        doc.report_changed.connect(self._on_report)
        doc.model_changed.connect(self._on_doc_model)
        doc.validation_progress.connect(self._on_progress)
        doc.validation_failed.connect(self._on_failed)
        doc.early_findings.connect(self._on_early)
        self.model_picker.set_model(doc.model)
        self._on_report(doc.report)
        if doc.report is None:
            self.status.setText("Checking the examples…")

    @Slot(object)
    def _on_report(self, report: Report | None) -> None:
        self.fix_bar.show_report(report)
        if report is None:
            self.summary.show_report(None)
            self.findings.set_findings(())
            self.advice.setText("")
            self.charts.set_data((), (), None)
            return
        self.status.setText(f"Checked {report.examples:,} examples for {report.model}.")
        self.status.setToolTip("")
        self._show_findings(report, report.findings)
        self.target.check(self._doc, report)

    @Slot(int)
    def _on_target_changed(self, _index: int) -> None:
        # at once, not with the findings: a fix clicked meanwhile keeps its fields
        self.fix_bar.target = self.target.target

    @Slot(object)
    def _on_target_findings(self, findings: tuple[Finding, ...] | None) -> None:
        report = self._doc.report if self._doc is not None else None
        if report is not None:
            shown = report.findings if findings is None else findings
            self._show_findings(report, shown)
            self.fix_bar.show_report(report, shown)

    def _show_findings(self, report: Report, findings: Sequence[Finding]) -> None:
        self.findings.set_findings(findings)
        # counted once from the model's arrays: a report can hold 400,000 findings
        errors = self.findings.count(Severity.ERROR)
        self.summary.show_report(
            report, (errors, self.findings.count(Severity.WARNING))
        )
        items = "".join(f"<li>{note}</li>" for note in guidance(report, errors))
        self.advice.setText(f"<ul style='margin-left: -20px'>{items}</ul>")
        self._update_charts(report)

    def _update_charts(self, report: Report) -> None:
        doc = self._doc
        if doc is None:
            return
        tokens, messages = example_sizes(doc)
        self.charts.set_data(tokens, messages, report.tokens.limit)

    @Slot(object)
    def _on_early(self, batch: EarlyBatch) -> None:
        """Show a big file's first problems while its tokens are still counted."""
        if self._doc is None or self._doc.report is not None:
            return  # a later check of an edited file: the last report stays
        self.findings.set_findings(batch.findings)
        self.status.setText(
            f"Checking the examples… first problems in the top {batch.lines:,} "
            "lines shown; the full report with token counts follows."
        )

    @Slot(object)
    def _on_failed(self, error: FtError) -> None:
        self.status.setText(f"Checking stopped: {error.message}")
        self.status.setToolTip(error.detail)

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        fraction = progress.fraction
        if fraction is None:
            self.status.setText("Checking the examples…")
        else:
            self.status.setText(f"Checking the examples… {fraction:.0%}")

    @Slot(str)
    def _on_doc_model(self, name: str) -> None:
        self.model_picker.set_model(name)

    @Slot(str)
    def _on_model_picked(self, name: str) -> None:
        if self._doc is not None:
            self._doc.set_model(name)

    # findings ---------------------------------------------------------------
    @Slot()
    def _on_severity_toggled(self) -> None:
        self.findings.set_severities(
            s for s, box in self.severity_boxes.items() if box.isChecked()
        )

    @Slot()
    def _update_shown(self) -> None:
        total, shown = self.findings.total, self.findings.rowCount()
        if total == 0:
            self.shown.setText("No findings")
        elif shown == total:
            self.shown.setText(f"{total:,} findings")
        else:
            self.shown.setText(f"{shown:,} of {total:,} findings")

    @Slot(QModelIndex, QModelIndex)
    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        finding = current.data(FINDING_ROLE) if current.isValid() else None
        if not isinstance(finding, Finding):
            self.detail.clear()
            return
        where = (
            "About the whole file."
            if finding.line is None
            else f"Line {finding.line:,}: double-click or press Enter to open it."
        )
        self.detail.setText(f"{finding.message}\n{where}")

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, int):
            self.jump_requested.emit(row)
