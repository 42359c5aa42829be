"""Help → Open Sample opens a copy of a bundled sample in the window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ftstudio.core.samples import SAMPLES, get_sample
from ftstudio.gui.mainwindow import MainWindow
from ftstudio.gui.settings import Settings


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setenv("FTSTUDIO_DATA_DIR", str(tmp_path / "data"))
    ini = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    win = MainWindow(Settings(ini))
    qtbot.addWidget(win)
    return win


def _sample_actions(window: MainWindow) -> dict[str, QAction]:
    (help_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    assert isinstance(help_menu, QMenu)
    (samples,) = [a.menu() for a in help_menu.actions() if a.text() == "Open &Sample"]
    assert isinstance(samples, QMenu)
    return {a.text(): a for a in samples.actions()}


def test_help_menu_lists_every_sample(window: MainWindow) -> None:
    assert list(_sample_actions(window)) == [s.title for s in SAMPLES]


def test_opening_a_sample_loads_a_copy(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    sample = get_sample("customer_support_mistakes.jsonl")
    _sample_actions(window)[sample.title].trigger()
    qtbot.waitUntil(lambda: window.document is not None, timeout=10_000)
    doc = window.document
    assert doc is not None
    assert doc.path == tmp_path / "data" / "samples" / sample.name
    assert doc.path.read_bytes() == sample.path.read_bytes()
