"""Validate a real file with the Validator and Cost tabs attached; time their share.

Usage::

    QT_QPA_PLATFORM=offscreen python bench/tabs_real_bench.py [FILE]

FILE defaults to ``bench/data/chat100.jsonl`` (``validate_bench.py`` generates
it). Opens it as the window does (a ``Document``), shows both tabs, validates,
then edits one line and waits for the new report. Prints the time each tab's
report slot took on the GUI thread, and the longest gap of a 5 ms heartbeat
timer while the edit is re-validated (a measure of how long the window froze).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer

    from ftstudio.gui.application import studio_application

    app = studio_application([])
    from ftstudio.core.dataset.edits import set_raw
    from ftstudio.core.dataset.store import DatasetStore
    from ftstudio.gui.cost import CostTab
    from ftstudio.gui.document import Document
    from ftstudio.gui.validator import ValidatorTab

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench/data/chat100.jsonl"
    start = time.perf_counter()
    store = DatasetStore.open(path)
    doc = Document(store, model="gpt-4o-mini")
    spent: list[tuple[str, float]] = []
    tabs = []
    for name, cls in (("Validator", ValidatorTab), ("Cost", CostTab)):
        tab = cls()
        tab.resize(1280, 800)
        tab.set_document(doc)
        tab.show()
        slot = tab._on_report  # timed: the GUI-thread work per report
        doc.report_changed.disconnect(slot)

        def timed(report: Any, slot: Any = slot, name: str = name) -> None:
            begin = time.perf_counter()
            slot(report)
            spent.append((name, time.perf_counter() - begin))

        doc.report_changed.connect(timed)
        tabs.append((tab, timed))

    clock = QElapsedTimer()
    clock.start()
    gaps: list[int] = []
    last = [clock.elapsed()]

    def beat() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(beat)
    heartbeat.start()
    reports: list[Any] = []
    doc.report_changed.connect(reports.append)

    def wait_report(limit: float) -> None:
        begin = time.perf_counter()
        while not reports and time.perf_counter() - begin < limit:
            app.processEvents()
            time.sleep(0.001)

    doc.revalidate()
    wait_report(600)
    report = reports[0]
    print(
        f"{path.name}: validated in {time.perf_counter() - start:.1f} s, "
        f"{report.examples:,} examples, {len(report.findings):,} findings"
    )
    reports.clear()
    gaps.clear()
    last[0] = clock.elapsed()
    edited = time.perf_counter()
    row = min(300, len(store) - 1)
    doc.push(set_raw(store, row, store.raw(row) + b" "))
    wait_report(120)
    print(
        f"after editing line {row + 1}: new report in "
        f"{time.perf_counter() - edited:.2f} s, longest heartbeat gap {max(gaps)} ms"
    )
    for name, seconds in spent:
        print(f"  {name} tab, report slot: {seconds * 1000:.1f} ms")
    for tab, timed in tabs:
        doc.report_changed.disconnect(timed)
        doc.report_changed.connect(tab._on_report)  # so set_document can disconnect
        tab.set_document(None)
        tab.close()
    doc.close()


if __name__ == "__main__":  # worker processes re-import this file
    main()
