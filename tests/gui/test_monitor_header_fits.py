"""The Monitor's header says everything at the smallest supported window width."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from ftstudio.gui.monitor.hardware import local_cost_text
from ftstudio.sandbox.server import SandboxServer
from tests.gui.test_monitor_tab import KEY, open_tab, screenshot


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(tmp_path / "sb", api_key=KEY) as srv:
        yield srv


def test_header_fits_1024_pixels(
    closing: Any, qtbot: Any, server: SandboxServer
) -> None:
    tab = open_tab(qtbot, server, closing)
    texts = {
        "status": "Validating files",
        "elapsed": "Running for 12 h 48 min",
        "finish": "Expected to finish in about 3 h 20 min",
        "step": "Step 12,480 of 31,200",
        "epoch": "Epoch 2 of 5",
        "cost": local_cost_text(8_800_000_000),
    }
    for key, text in texts.items():
        tab.header[key].setText(text)
    tab.evaluate_button.show()
    tab.resize(1024 - 20, 700)  # the window's frame and margins take the rest
    assert tab.minimumSizeHint().width() <= 1004, (
        "the header asks for more than a 1024 px window: its text is cut off"
    )
    qtbot.waitUntil(lambda: tab.width() == 1004)
    tab.layout().activate()
    for key, label in tab.header.items():
        needed = label.heightForWidth(label.width()) if label.wordWrap() else -1
        if needed < 0:
            assert label.width() >= label.sizeHint().width(), f"{key} is cut off"
        else:
            assert label.height() >= needed, f"{key} is cut off"
    screenshot(tab, "monitor-header-1024.png")


def test_checkpoint_headings_are_not_cut(
    closing: Any, qtbot: Any, server: SandboxServer
) -> None:
    tab = open_tab(qtbot, server, closing)
    view = tab.checkpoints.view
    header = view.horizontalHeader()
    model = view.model()
    for column in range(model.columnCount() - 1):  # the last one stretches
        title = model.headerData(column, Qt.Orientation.Horizontal)
        needed = header.fontMetrics().horizontalAdvance(str(title))
        assert header.sectionSize(column) > needed, f"“{title}” is cut off"
