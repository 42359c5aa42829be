"""Traps a non-programmer met in the File menu: Import and Save As."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog

from ftstudio.core.dataset.store import DatasetStore
from ftstudio.gui.dialogs.import_dialog import ImportDialog
from ftstudio.gui.mainwindow import MainWindow
from ftstudio.gui.window.saving import suggested_name
from tests.gui.conftest import open_window

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    win = open_window(qtbot, tmp_path, monkeypatch)
    yield win
    win.close()


def _menu_action(win: MainWindow, text: str) -> object:
    for menu_action in win.menuBar().actions():
        menu = menu_action.menu()
        for action in menu.actions() if menu else []:
            if action.text() == text:
                return action
    msg = f"no menu item {text!r}"
    raise AssertionError(msg)


def test_import_from_the_menu_opens_an_empty_dialog(
    qtbot: QtBot, window: MainWindow
) -> None:
    action = _menu_action(window, "&Import spreadsheet…")
    action.trigger()  # type: ignore[attr-defined]
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ImportDialog)]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.path_edit.text() == ""  # was "False"
    assert "went wrong" not in dialog.status.text()
    dialog.reject()


def test_save_as_after_an_import_offers_one_jsonl_suffix(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered: list[str] = []

    def ask(*args: object, **_: object) -> tuple[str, str]:
        offered.append(str(args[2]))
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    with qtbot.waitSignal(window.document_changed, timeout=10_000):
        window.open_store(DatasetStore.empty(), "faq.jsonl")
    window.saving.save_as()
    assert len(offered) == 1
    assert offered[0].endswith("/faq.jsonl")


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("faq.jsonl", "faq.jsonl"),
        ("faq.csv", "faq.jsonl"),
        ("Untitled", "Untitled.jsonl"),
        ("notes v1.2", "notes v1.2.jsonl"),
        ("", "Untitled.jsonl"),
    ],
)
def test_suggested_name(title: str, name: str) -> None:
    assert suggested_name(title) == name
