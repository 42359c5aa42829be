"""File → Export for another trainer… writes the open dataset for the chosen trainer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog

from ftstudio.gui.window.export_for import TrainerExport
from tests.gui.test_mainwindow import open_and_wait, window

__all__ = ["window"]  # fixture


def _action(win: Any) -> Any:
    return next(
        a
        for a in win.menuBar().actions()[0].menu().actions()
        if a.text() == "Export for another &trainer…"
    )


def test_export_from_the_file_menu(
    qtbot: Any, window: Any, sample_file: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    before = sample_file.read_bytes()
    action = _action(window)
    assert not action.isEnabled()  # nothing open yet
    open_and_wait(qtbot, window, sample_file)
    assert action.isEnabled()
    out = tmp_path / "share.jsonl"
    monkeypatch.setattr(
        QInputDialog,
        "getItem",
        lambda *a, **k: ("sharegpt: ShareGPT: conversations of from/value turns", True),
    )
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    exporter = window.findChild(TrainerExport)
    action.trigger()
    qtbot.waitUntil(
        lambda: exporter.runner.current is None and out.exists(), timeout=5000
    )
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert (
        len(lines) == window.document.store.row_count
        if hasattr(window.document.store, "row_count")
        else lines
    )
    assert all("conversations" in line for line in lines)
    assert f"for sharegpt to {out}" in exporter.last_message
    assert sample_file.read_bytes() == before  # the source is untouched
    assert not window.document.modified
