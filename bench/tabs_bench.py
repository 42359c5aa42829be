"""Time the GUI-thread work of the Validator and Cost tabs when a report arrives.

Usage::

    QT_QPA_PLATFORM=offscreen python bench/tabs_bench.py [--rows 400000] [--runs 5]

A report arrives after every edit, so this work must fit in a frame or two. The
report is synthetic (no validation runs here): ``--rows`` examples with random
token and message counts, and a finding on every ``--every``-th row (the worst
case is a finding on every row: ``--every 1``). Prints the median time of the
Validator tab's and the Cost tab's update, of re-sorting the findings table and
of re-filtering it by text.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Generator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from PySide6.QtCore import Qt

    from ftstudio.gui.application import studio_application

    app = studio_application([])
    from ftstudio.core.cost import CostEstimate, auto_epochs
    from ftstudio.core.dataset.store import DatasetStore
    from ftstudio.core.progress import Progress
    from ftstudio.core.validation.findings import Finding, Severity
    from ftstudio.core.validation.report import Distribution, Report, TokenSummary
    from ftstudio.gui.cost import CostTab
    from ftstudio.gui.document import Document
    from ftstudio.gui.validator import ValidatorTab

    rng = np.random.default_rng(0)
    tokens = rng.integers(20, 3000, args.rows)
    messages = rng.integers(2, 12, args.rows)
    severities = (Severity.ERROR, Severity.WARNING, Severity.INFO)
    findings = tuple(
        Finding(row + 1, "some_code", severities[row % 3], f"Problem on row {row}.")
        for row in range(0, args.rows, args.every)
    )
    billing = int(tokens.sum())
    report = Report(
        "chat",
        args.rows,
        "gpt-4o-mini",
        "o200k_base",
        findings,
        TokenSummary(
            billing,
            billing,
            billing // 3,
            0,
            65536,
            Distribution.of(tokens),
            Distribution.of(messages),
        ),
        CostEstimate(billing, auto_epochs(args.rows), 3.0),
    )

    class Validator:
        def run(self, cancel: object) -> Generator[Progress, None, Report]:
            yield Progress(0, 1)
            return report

        def set_model(self, name: str) -> None: ...
        def row_info(self, row: int) -> None: ...
        def row_findings(self, row: int) -> list[Finding]:
            return []

        def example_sizes(self) -> tuple[np.ndarray, np.ndarray]:
            return tokens, messages

    doc = Document(DatasetStore.from_bytes(b"{}\n"), validator=Validator())
    validator_tab, cost_tab = ValidatorTab(), CostTab()
    for tab in (validator_tab, cost_tab):
        tab.set_document(doc)
        tab.resize(1100, 800)
        tab.show()
    app.processEvents()

    def timed(label: str, fn: Callable[[], object]) -> None:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            fn()
            app.processEvents()
            times.append(time.perf_counter() - start)
        print(f"{label:<44} median {statistics.median(times) * 1000:8.1f} ms")

    print(f"{args.rows:,} examples, {len(findings):,} findings")
    timed("Validator tab: new report", lambda: validator_tab._on_report(report))
    timed("Cost tab: new report", lambda: cost_tab._on_report(report))
    table = validator_tab.table
    timed(
        "findings: sort by line (descending)",
        lambda: table.sortByColumn(1, Qt.SortOrder.DescendingOrder),
    )
    timed(
        "findings: sort by severity",
        lambda: table.sortByColumn(0, Qt.SortOrder.AscendingOrder),
    )
    words = iter(["row 12", "row 1", "row 123"] * args.runs)
    timed(
        "findings: text filter (one keystroke)",
        lambda: validator_tab.search.setText(next(words)),
    )
    timed(
        "findings: severity filter (toggle warnings)",
        validator_tab.severity_boxes[Severity.WARNING].toggle,
    )
    timed(
        "cost: change epochs",
        lambda: cost_tab.epochs.setValue(cost_tab.epochs.value() % 9 + 1),
    )
    for tab in (validator_tab, cost_tab):
        tab.set_document(None)
        tab.close()
    doc.close()


if __name__ == "__main__":
    main()
