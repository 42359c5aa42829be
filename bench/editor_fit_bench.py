"""What fitting a message box to its text costs per keystroke, by message length.

Baseline: measure the whole text at the box's width (``QFontMetrics.boundingRect``
with word wrap), the obvious way. ftstudio: ``TextField.wrapped_lines``, which
stops measuring once the text surely fills the 16-line limit. Both run in this
process, interleaved, on the same box; the ratio is baseline / ftstudio.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/editor_fit_bench.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication

from ftstudio.gui.dataset.fields import TextField

LENGTHS = (300, 3_000, 30_000, 300_000)
REPEAT = 15


def whole_text_lines(field: TextField) -> int:
    """The baseline: wrap and measure every character of the text."""
    metrics = field.fontMetrics()
    width = field.viewport().width() - 2 * int(field.document().documentMargin())
    box = metrics.boundingRect(
        QRect(0, 0, width, 1 << 24),
        int(Qt.TextFlag.TextWordWrap),
        field.toPlainText(),
    )
    return -(-box.height() // metrics.lineSpacing())


def timed(fn: object, field: TextField) -> float:
    start = time.perf_counter()
    fn(field)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> int:
    """Print the milliseconds per fit and the ratio for each message length."""
    app = QApplication.instance() or QApplication(sys.argv)
    field = TextField()
    field.resize(420, 300)
    field.show()
    app.processEvents()
    print(f"{'characters':>10}  {'baseline ms':>11}  {'ftstudio ms':>11}  ratio")
    for length in LENGTHS:
        field.set_text(("a sentence of training text " * (length // 28 + 1))[:length])
        base, ours = [], []
        for _ in range(REPEAT):
            base.append(timed(whole_text_lines, field))
            ours.append(timed(TextField.wrapped_lines, field))
        b, o = statistics.median(base) * 1000, statistics.median(ours) * 1000
        print(f"{length:>10,}  {b:>11.3f}  {o:>11.3f}  {b / o:5.1f}×")
    field.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
