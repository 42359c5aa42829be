"""The Cost tab: what one training run of the open dataset will cost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.cost import (
    CostEstimate,
    auto_epochs,
    auto_epochs_explained,
    estimate_note,
)
from ftstudio.core.models import default_table
from ftstudio.gui.cost.epochs_model import EpochCostModel, format_usd
from ftstudio.gui.widgets import glossary
from ftstudio.gui.widgets.target_model_picker import TargetModelPicker

if TYPE_CHECKING:
    from ftstudio.core.validation.report import Report
    from ftstudio.gui.document import Document

EMPTY_TEXT = (
    "Open a training file or import a spreadsheet to see what training it costs."
)
MAX_EPOCHS = 50  # the most OpenAI accepts for n_epochs
CONTENT_WIDTH = 820


class CostTab(QWidget):
    """Model, epochs and price in; estimated cost and a 1–10 epoch table out.

    Everything updates at once when an input changes and whenever the document
    publishes a new validation report (edits, another model).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc: Document | None = None
        self._report: Report | None = None
        self._table_price: float | None = None

        self.model_picker = TargetModelPicker()
        self.model_picker.model_picked.connect(self._on_model_picked)

        self.epochs = QSpinBox()
        self.epochs.setRange(0, MAX_EPOCHS)
        self.epochs.setSpecialValueText("Auto")  # shown for 0
        self.epochs.setAccessibleName("Epochs")
        self.epochs.setToolTip(f"{glossary.EPOCH}\n\n{glossary.AUTO_EPOCHS}")
        self.epochs.valueChanged.connect(self._update)

        self.price = QDoubleSpinBox()
        self.price.setRange(0, 10_000)
        self.price.setDecimals(2)
        self.price.setPrefix("$ ")
        self.price.setSpecialValueText("unknown")  # shown for 0
        self.price.setAccessibleName("Price per 1 million training tokens")
        self.price.setToolTip(glossary.PRICE)
        self.price.valueChanged.connect(self._update)
        self.reset_price = QPushButton("Use table price")
        self.reset_price.setAccessibleName("Use the price from ftstudio's table")
        self.reset_price.setToolTip("Put back the price ftstudio's model table lists.")
        self.reset_price.clicked.connect(self._apply_table_price)
        self.price_note = QLabel()
        self.price_note.setWordWrap(True)

        self.billing = QLabel()
        self.billing.setToolTip(glossary.BILLING_TOKENS)
        self.billing.setAccessibleName("Billing tokens")
        self.billing.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )

        self.total = QLabel()
        self.total.setAccessibleName("Estimated cost")
        font = self.total.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.total.setFont(font)
        self.estimate_note = QLabel()
        self.estimate_note.setAccessibleName("Why the figures are estimates")
        self.estimate_note.setWordWrap(True)
        self.sum_line = QLabel()
        self.sum_line.setWordWrap(True)
        self.auto_rule = QLabel()
        self.auto_rule.setWordWrap(True)
        self.auto_rule.setToolTip(glossary.AUTO_EPOCHS)

        self.epochs_model = EpochCostModel()
        self.epochs_table = QTableView()
        self.epochs_table.setModel(self.epochs_model)
        self.epochs_table.setAccessibleName("Cost for 1 to 10 epochs")
        self.epochs_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.epochs_table.verticalHeader().hide()
        self.epochs_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch
        )
        # ten short rows: show them all, without a scroll bar or empty space
        self.epochs_table.resizeRowsToContents()
        rows_height = sum(
            self.epochs_table.rowHeight(r) for r in range(self.epochs_model.rowCount())
        )
        self.epochs_table.setFixedHeight(
            rows_height
            + self.epochs_table.horizontalHeader().sizeHint().height()
            + 2 * self.epochs_table.frameWidth()
        )

        self._stack = QStackedWidget()
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self._stack.addWidget(self.empty_label)
        self._stack.addWidget(self._build_content())
        QVBoxLayout(self).addWidget(self._stack)
        self._show_table_price(self.model_picker.chosen_model)

    def _build_content(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        form.addRow("&Model:", self.model_picker)
        form.addRow("Ep&ochs:", self.epochs)  # Alt+E opens the Edit menu
        price_row = QHBoxLayout()
        price_row.addWidget(self.price, 1)
        price_row.addWidget(self.reset_price)
        price_label = QLabel("&Price per 1M training tokens:")
        price_label.setBuddy(self.price)  # a row holding a layout gets no buddy
        form.addRow(price_label, price_row)
        form.addRow("", self.price_note)
        form.addRow("Billing tokens:", self.billing)
        for field, tip in (
            (self.epochs, glossary.EPOCH),
            (self.price, glossary.PRICE),
            (self.billing, glossary.BILLING_TOKENS),
        ):
            label = form.labelForField(field)
            if label is not None:
                label.setToolTip(tip)
        not_cost = QLabel(
            "Batch size and learning-rate multiplier change how training goes, "
            "not what it costs."
        )
        not_cost.setWordWrap(True)
        not_cost.setToolTip(
            f"{glossary.BATCH_SIZE}\n\n{glossary.LEARNING_RATE_MULTIPLIER}"
        )

        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.total)
        layout.addWidget(self.estimate_note)
        layout.addWidget(self.sum_line)
        layout.addWidget(self.auto_rule)
        layout.addWidget(self.epochs_table)
        layout.addWidget(not_cost)
        layout.addStretch(1)
        # Figures in a column of readable width, not spread across a wide window.
        page.setMaximumWidth(CONTENT_WIDTH)
        outer = QWidget()
        row = QHBoxLayout(outer)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(page, 1)
        row.addStretch(0)
        return outer

    # document ---------------------------------------------------------------
    def set_document(self, doc: Document | None) -> None:
        """Show the cost of ``doc`` (None shows what to do first)."""
        if self._doc is not None:
            self._doc.report_changed.disconnect(self._on_report)
            self._doc.model_changed.disconnect(self._on_doc_model)
        if doc is not self._doc:
            # epochs chosen for one file are not a choice for the next one: the
            # Launch tab starts each file on Auto too
            self.epochs.setValue(0)
        self._doc = doc
        self._stack.setCurrentIndex(0 if doc is None else 1)
        if doc is None:
            self._report = None
            return
        doc.report_changed.connect(self._on_report)
        doc.model_changed.connect(self._on_doc_model)
        self._on_doc_model(doc.model)
        self._on_report(doc.report)

    @Slot(object)
    def _on_report(self, report: Report | None) -> None:
        self._report = report
        self._update()

    @Slot(str)
    def _on_doc_model(self, name: str) -> None:
        if name != self.model_picker.chosen_model:
            self.model_picker.set_model(name)
            self._show_table_price(name)

    @Slot(str)
    def _on_model_picked(self, name: str) -> None:
        self._show_table_price(name)
        if self._doc is not None:
            self._doc.set_model(name)  # new tokens and limit: a new report follows

    def _show_table_price(self, name: str) -> None:
        info = default_table().lookup(name)
        self._table_price = info.price_per_1m
        self._apply_table_price()
        if info.price_per_1m is None:
            self.price_note.setText(
                f"ftstudio does not know the price for {name}: type it in from "
                "OpenAI's pricing page."
            )
        else:
            self.price_note.setText(
                f"From ftstudio's price table, last checked {info.checked or 'on an unknown date'}."
            )

    @Slot()
    def _apply_table_price(self) -> None:
        self.price.setValue(self._table_price or 0)  # fires _update
        self._update()

    # the numbers ------------------------------------------------------------
    def current_estimate(self) -> CostEstimate | None:
        """Return the estimate the tab shows (None while no report is ready)."""
        report = self._report
        if report is None:
            return None
        price = self.price.value() or None
        epochs = self.epochs.value() or auto_epochs(report.examples)
        return CostEstimate(report.tokens.billing, epochs, price)

    @Slot()
    def _update(self) -> None:
        price_changed = (self.price.value() or None) != self._table_price
        self.reset_price.setEnabled(price_changed and self._table_price is not None)
        report = self._report
        estimate = self.current_estimate()
        if report is None or estimate is None:
            waiting = "Counting tokens…" if self._doc is not None else ""
            self.billing.setText(waiting)
            self.total.setText("")
            self.sum_line.setText("")
            self.auto_rule.setText("")
            self.estimate_note.hide()
            self.epochs_model.set_inputs(0, self.price.value() or None, 0)
            return
        note = estimate_note(report.tokens.estimated_examples)
        about = "≈ " if note else ""  # tools, tool calls, images: not exact
        billing = f"{about}{estimate.billing_tokens:,} in {report.examples:,} examples"
        doc = self._doc
        if doc is not None and report.model != doc.model:
            # the tokens of another model: the new report is being counted
            billing += f" (counted for {report.model}; counting for {doc.model}…)"
        self.billing.setText(billing)
        usd = format_usd(estimate.usd)
        self.total.setText(
            f"Estimated cost: {about if estimate.usd is not None else ''}{usd}"
        )
        self.estimate_note.setText(note)
        self.estimate_note.setVisible(bool(note))
        if estimate.usd is None:
            self.sum_line.setText(
                "Type the price per 1M training tokens to see the cost."
            )
        else:
            self.sum_line.setText(
                f"{estimate.billing_tokens:,} tokens × {estimate.epochs} epochs = "
                f"{estimate.trained_tokens:,} tokens trained, at "
                f"${estimate.price_per_1m:,.2f} per million."
            )
        rule = auto_epochs_explained(report.examples)
        if self.epochs.value():
            rule = f"You chose {estimate.epochs} epochs. Left on Auto: {rule}"
        self.auto_rule.setText(rule)
        self.epochs_model.set_inputs(
            estimate.billing_tokens, estimate.price_per_1m, estimate.epochs
        )
