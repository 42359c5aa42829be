"""Measure the studio window and Dataset tab: open, stalls, start-up, scroll, edit.

Usage::

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/dataset_bench.py \
        [--file bench/data/chat100.jsonl] [--rows 400000] [--runs 5]

1. Opens ``--file`` (make it with ``bench/gen_dataset.py``) in a MainWindow and
   reports when the first rows are painted, when validation ends, and the longest
   stall of a 5 ms heartbeat timer on the GUI thread meanwhile.
2. Starts fresh interpreters that import and show a bare ``QMainWindow`` or the
   studio's ``MainWindow`` (alternating, ``--runs`` each) and compares the median
   time from the first import to the window painted.
3. Builds a ``--rows`` dataset in memory, validates it, then scrolls the Dataset
   tab's table end to end (every step painted synchronously) and edits the
   example on row 300,000, timing each frame and the edit.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_tmp = tempfile.mkdtemp(prefix="ftstudio-bench-")
os.environ["FTSTUDIO_CONFIG_DIR"] = str(Path(_tmp) / "config")
os.environ["FTSTUDIO_DATA_DIR"] = str(Path(_tmp) / "data")

SHOW_BARE = """
import time; t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1200, 760); w.show(); app.processEvents()
w.repaint(); print(time.perf_counter() - t0)
"""
SHOW_STUDIO = """
import time; t0 = time.perf_counter()
from ftstudio.gui.application import studio_application
app = studio_application([])
from ftstudio.gui.mainwindow import MainWindow
w = MainWindow(); w.show(); app.processEvents()
w.repaint(); print(time.perf_counter() - t0)
heavy = [m for m in ("openai", "pandas", "tiktoken", "pyqtgraph") if m in __import__("sys").modules]
print(",".join(heavy))
w.close()
"""


def paint_watch(widget: Any) -> Any:
    """Return an object whose ``at`` is when ``widget`` next finished painting."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Watch(QObject):
        at: float | None = None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                widget.removeEventFilter(self)
                # the filter runs before the paint: note the time in the next
                # event-loop turn, once the paint is done
                QTimer.singleShot(0, self.done)
            return False

        def done(self) -> None:
            self.at = time.perf_counter()

    watch = Watch(widget)
    widget.installEventFilter(watch)
    return watch


def open_big_file(path: Path, cold: bool) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ftstudio.gui.mainwindow import MainWindow

    app = QApplication.instance()
    assert app is not None
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    from ftstudio.workers import live_tasks

    while not cold and (  # the user is still picking a file
        live_tasks() or not all(tab.widget for tab in window.lazy_tabs)
    ):
        app.processEvents()
        time.sleep(0.005)
    gaps: list[float] = []
    last = [time.perf_counter()]

    ends: list[float] = []

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        ends.append(now - t0)
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(beat)
    timer.start()
    marks: dict[str, float] = {}
    t0 = time.perf_counter()
    last[0] = t0
    # the first rows count as shown when the table paints them on its own (a
    # forced repaint here would merge the paint into the turn that set the model)
    painted = paint_watch(window.dataset_tab.table.viewport())
    window.open_path(path)
    while "first rows" not in marks:
        app.processEvents()
        if window.banner.isVisible():
            raise SystemExit(window.banner.message.text())
        model = window.dataset_tab.model
        if model is not None and model.rowCount() > 0 and painted.at is not None:
            marks["first rows"] = painted.at - t0
    doc = window.document
    assert doc is not None
    while doc.report is None and time.perf_counter() - t0 < 300:
        app.processEvents()
        time.sleep(0.001)
    marks["validated"] = time.perf_counter() - t0
    timer.stop()
    stall = max(gaps) - 0.005 if gaps else 0.0
    rows = len(doc.store)
    how = "right after start (tokenizer still loading)" if cold else "after start-up"
    print(
        f"open {path.name} ({path.stat().st_size / 1e6:.0f} MB, {rows:,} rows) {how}:"
    )
    print(f"  first rows painted after {marks['first rows'] * 1000:.0f} ms")
    print(f"  validation done after {marks['validated']:.1f} s")
    print(
        f"  longest GUI stall meanwhile {stall * 1000:.0f} ms "
        f"(heartbeats: {len(gaps)}, p99 gap {sorted(gaps)[int(len(gaps) * 0.99)] * 1000:.0f} ms)"
    )
    worst = sorted(zip(gaps, ends, strict=True), reverse=True)[:5]
    print(
        "  worst gaps (ms, ending at s): "
        + ", ".join(f"{g * 1000:.0f} at {e:.2f}" for g, e in worst)
    )
    window.saving.shutdown()
    window.shutdown()
    window.deleteLater()
    app.processEvents()


def startup(runs: int) -> None:
    bare, studio, heavy = [], [], ""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for _ in range(runs):
        for code, out in ((SHOW_BARE, bare), (SHOW_STUDIO, studio)):
            res = subprocess.run(
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            lines = res.stdout.split("\n")
            out.append(float(lines[0]))
            if code is SHOW_STUDIO:
                heavy = lines[1]
    b, s = statistics.median(bare), statistics.median(studio)
    print(
        f"window shown (median of {runs}): bare QMainWindow {b * 1000:.0f} ms, "
        f"ftstudio MainWindow {s * 1000:.0f} ms, ratio {s / b:.2f}"
    )
    print(f"  heavy modules loaded at start: {heavy or 'none'}")


def scroll_and_edit(rows: int) -> None:
    from PySide6.QtWidgets import QApplication

    from ftstudio.core.dataset.edits import set_value
    from ftstudio.core.dataset.store import DatasetStore
    from ftstudio.gui.dataset.tab import DatasetTab
    from ftstudio.gui.document import Document

    app = QApplication.instance()
    assert app is not None
    lines = [
        json.dumps(
            {
                "messages": [
                    {"role": "system", "content": "You are terse."},
                    {"role": "user", "content": f"Question number {i} about plants?"},
                    {"role": "assistant", "content": f"Answer number {i}."},
                ]
            }
        )
        for i in range(rows)
    ]
    store = DatasetStore.from_bytes(("\n".join(lines) + "\n").encode())
    doc = Document(store, title="bench")
    t = time.perf_counter()
    doc.validator.validate()
    print(f"{rows:,} rows validated in {time.perf_counter() - t:.1f} s (setup)")
    tab = DatasetTab()
    tab.resize(1280, 800)
    tab.set_document(doc)
    tab.show()
    app.processEvents()
    table = tab.table
    bar = table.verticalScrollBar()
    steps = 400
    frames = []
    for i in range(steps + 1):
        t = time.perf_counter()
        bar.setValue(bar.maximum() * i // steps)
        table.viewport().repaint()
        frames.append(time.perf_counter() - t)
    pages = []
    bar.setValue(bar.maximum() // 2)
    for _ in range(200):  # page by page, every row painted once
        t = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        table.viewport().repaint()
        pages.append(time.perf_counter() - t)
    print(
        f"scroll end to end in {steps} jumps: median {statistics.median(frames) * 1000:.1f} ms, "
        f"max {max(frames) * 1000:.1f} ms per frame"
    )
    print(
        f"page down 200 pages: median {statistics.median(pages) * 1000:.1f} ms, "
        f"max {max(pages) * 1000:.1f} ms per frame"
    )
    row = min(300_000, rows - 1)
    tab.jump_to_row(row)
    app.processEvents()
    from ftstudio.gui.dataset.cards import MessageCard

    card = tab.editor.widget().findChildren(MessageCard)[2]
    typing = []
    for _ in range(20):  # typing in the editor: one key, pushed through undo
        t = time.perf_counter()
        card.content.insertPlainText("x")
        app.processEvents()
        table.viewport().repaint()
        typing.append(time.perf_counter() - t)
    print(
        f"type a key into example {row + 1:,} (edit, undo step, table update, repaint): "
        f"median {statistics.median(typing) * 1000:.1f} ms, max {max(typing) * 1000:.1f} ms"
    )
    edits = []
    for n in range(20):  # an edit from elsewhere (undo, a fix): the form is rebuilt
        value = store.parsed(row).value
        value["messages"][2]["content"] = f"Edited answer {n}."
        t = time.perf_counter()
        doc.push(set_value(store, row, value))
        app.processEvents()
        table.viewport().repaint()
        edits.append(time.perf_counter() - t)
    print(
        f"replace example {row + 1:,} (table and editor rebuilt, repaint): "
        f"median {statistics.median(edits) * 1000:.1f} ms, max {max(edits) * 1000:.1f} ms"
    )
    tab.shutdown()
    doc.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", type=Path, default=REPO / "bench/data/chat100.jsonl")
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="open at once after start")
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["open", "startup", "scroll"]
    )
    args = parser.parse_args()
    from ftstudio.gui.application import studio_application

    app = studio_application([])
    if "open" not in args.skip:
        open_big_file(args.file, args.cold)
    if "startup" not in args.skip:
        startup(args.runs)
    if "scroll" not in args.skip:
        scroll_and_edit(args.rows)
    app.processEvents()


if __name__ == "__main__":
    main()
