"""The row of headline figures at the top of the Validator tab."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from ftstudio.gui.widgets.glossary import BILLING_TOKENS

if TYPE_CHECKING:
    from ftstudio.core.validation.report import Report

FORMAT_WORDS = {
    "chat": ("Chat", "Conversations: system, user and assistant messages."),
    "preference": (
        "Preference",
        "Preference pairs: a preferred and a rejected reply to the same messages.",
    ),
    "completion": (
        "Prompt / completion",
        "The older prompt and completion format (babbage-002, davinci-002).",
    ),
    "mixed": ("Mixed", "The lines use different formats: OpenAI expects one."),
    "unknown": ("Unknown", "No line holds an example that ftstudio recognises."),
}

_CELLS = (
    ("examples", "Examples", "Lines that hold an example (blank lines do not count)."),
    ("errors", "Errors", "Problems that make OpenAI reject the file."),
    ("warnings", "Warnings", "Things that are allowed but probably not meant."),
    ("tokens", "Tokens", BILLING_TOKENS),
    ("format", "Format", "Which of OpenAI's training formats the file is written in."),
)


class SummaryBar(QWidget):
    """Examples, errors, warnings, tokens and format, each a big figure over a caption."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.values: dict[str, QLabel] = {}
        for column, (key, caption, tip) in enumerate(_CELLS):
            value = QLabel("–")
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.5)
            font.setBold(True)
            value.setFont(font)
            value.setAccessibleName(caption)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label = QLabel(caption)
            label.setBuddy(value)
            for widget in (value, label):
                widget.setToolTip(tip)
            grid.addWidget(value, 0, column)
            grid.addWidget(label, 1, column)
            grid.setColumnStretch(column, 1)
            self.values[key] = value

    def show_report(
        self, report: Report | None, counts: tuple[int, int] | None = None
    ) -> None:
        """Show ``report``'s figures, or dashes while none is ready.

        ``counts`` (errors, warnings) saves counting the findings again.
        """
        if report is None:
            for value in self.values.values():
                value.setText("–")
            return
        tokens = report.tokens
        self.values["examples"].setText(f"{report.examples:,}")
        errors, warnings = counts or (report.errors, report.warnings)
        self.values["errors"].setText(f"{errors:,}")
        self.values["warnings"].setText(f"{warnings:,}")
        estimated = tokens.estimated_examples
        self.values["tokens"].setText(f"{'≈ ' if estimated else ''}{tokens.total:,}")
        note = (
            f"\n\nAn estimate: {estimated:,} example{'s' if estimated != 1 else ''} "
            "hold tools, tool calls or images, counted by OpenAI's published "
            "method; OpenAI's own count may differ a little."
            if estimated
            else ""
        )
        self.values["tokens"].setToolTip(
            f"{tokens.total:,} tokens in all; {tokens.billing:,} are billed per epoch "
            f"and {tokens.assistant:,} are in the replies the model learns from."
            f"{note}\n\n{BILLING_TOKENS}"
        )
        short, long = FORMAT_WORDS.get(str(report.format), (str(report.format), ""))
        self.values["format"].setText(short)
        self.values["format"].setToolTip(long)
