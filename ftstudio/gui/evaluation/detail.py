"""One example in full: the question, the expected answer and every reply side by side."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTextBrowser, QWidget

from ftstudio.core.evaluation.scoring import Metric, format_score
from ftstudio.core.evaluation.wordiff import to_html, word_diff

if TYPE_CHECKING:
    from ftstudio.core.evaluation.table import EvalTable

EMPTY = "Pick a test in the table to read it in full."


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def example_html(table: EvalTable, metric: Metric, row: int) -> str:
    """Return the example as HTML; words a reply adds to the expected answer are green."""
    case = table.cases[row]
    cells = [
        f"<td width='{100 // (len(table.models) + 1)}%'><b>Expected</b><br>{_esc(case.expected)}</td>"
    ]
    for side, model in enumerate(table.models):
        answer = table.answers.get((row, side))
        if answer is None:
            body = "<i>not answered yet</i>"
        elif answer.error:
            body = f"<i>no reply: {_esc(answer.error)}</i>"
        else:
            body = to_html(word_diff(case.expected, answer.reply)[1])
        shown = format_score(metric, table.score_of(metric, row, side))
        reason = table.reason(row, side) if metric is Metric.JUDGE else ""
        note = f"<br><i>{_esc(reason)}</i>" if reason else ""
        cells.append(
            f"<td><b>{_esc(model)}</b> · {_esc(shown)}{note}<br><br>{body}</td>"
        )
    return (
        f"<p><b>Test {row + 1}.</b> {_esc(case.question)}</p>"
        "<table border='1' cellspacing='0' cellpadding='6' width='100%'><tr>"
        + "".join(cells)
        + "</tr></table><p><small>Words a reply has that the expected answer "
        "lacks are <span style='background-color:#cdeccb;'>green</span>.</small></p>"
    )


class ExampleView(QTextBrowser):
    """Shows one example in full (selectable, scrollable)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("The example in full")
        self.setOpenLinks(False)
        self.row: int | None = None
        self.setPlainText(EMPTY)

    def show_example(self, table: EvalTable, metric: Metric, row: int | None) -> None:
        """Show test ``row`` (None: the hint to pick one)."""
        self.row = row
        if row is None or not 0 <= row < len(table.cases):
            self.setPlainText(EMPTY)
            return
        self.setHtml(example_html(table, metric, row))
