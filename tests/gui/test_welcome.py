"""First run: the welcome page, Try it now, Help, and editing by keyboard alone."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

from ftstudio.gui.dataset.cards import MessageCard
from ftstudio.gui.dialogs.help_dialogs import shortcut_rows
from ftstudio.gui.mainwindow import MainWindow
from tests.gui.conftest import open_window, sample_bytes

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    win = open_window(qtbot, tmp_path, monkeypatch, size=(1200, 800))
    yield win
    win.close()


def test_the_first_screen_offers_try_open_import_recent_and_a_guide(
    window: MainWindow,
) -> None:
    page = window.dataset_tab.welcome
    assert page.isVisible()
    texts = {b.text() for b in page.findChildren(QPushButton)}
    assert {"Try it now", "Open a file…", "Import a spreadsheet…"} <= texts
    labels = " ".join(w.text() for w in page.findChildren(QLabel))
    assert "Six steps" in labels
    assert "None yet." in labels  # no recent files on a fresh machine


def test_try_it_now_fills_every_tab_without_an_account(
    qtbot: QtBot, window: MainWindow
) -> None:
    with qtbot.waitSignal(window.document_changed, timeout=10_000):
        window.dataset_tab.welcome.try_button.click()
    doc = window.document
    assert doc is not None
    assert len(doc.store) == 60
    manager = window.api_tabs.manager
    assert manager.sandbox_running  # the practice service, no key asked
    assert "practice service" in window.statusBar().currentMessage()
    launch: Any = window.api_tabs.launch.ensure()
    assert launch.files.document is doc  # Launch has the file
    window.build_tabs()
    qtbot.waitUntil(lambda: doc.report is not None, timeout=20_000)
    validator: Any = window.lazy_tabs[0].widget
    assert validator is not None
    assert "Checked 60 examples" in validator.status.text()


def test_recent_files_open_from_the_welcome_page(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "mine.jsonl"
    path.write_bytes(sample_bytes())
    window.settings.add_recent_file(path)
    window.first_run.refresh_recent()
    button = next(
        b
        for b in window.dataset_tab.welcome.findChildren(QPushButton)
        if b.text() == "mine.jsonl"
    )
    with qtbot.waitSignal(window.document_changed, timeout=10_000):
        button.click()
    assert window.document is not None
    assert window.document.path.resolve() == path.resolve()  # type: ignore[union-attr]


def test_help_lists_the_shortcuts_users_rely_on(window: MainWindow) -> None:
    rows = {what: keys for keys, what in shortcut_rows(window)}
    assert "Ctrl+Y" in rows["Redo"]
    assert "Ctrl+O" in rows["Open…"]
    assert "Next message" in rows
    seen: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.windowTitle())
            box.accept()
        else:
            QTimer.singleShot(10, close_box)

    for text in ("Getting started", "Keyboard shortcuts", "What's new"):
        QTimer.singleShot(0, close_box)
        _help_action(window, text).trigger()
    assert seen == ["Getting started", "Keyboard shortcuts", "What's new"]


def _help_action(window: MainWindow, text: str) -> Any:
    for top in window.menuBar().actions():
        menu = top.menu()
        for action in menu.actions() if menu else []:  # type: ignore[attr-defined]
            if action.text().replace("&", "") == text:
                return action
    msg = f"no menu item {text!r}"
    raise AssertionError(msg)


def test_keyboard_only_editing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "keys.jsonl"
    path.write_bytes(sample_bytes())
    with qtbot.waitSignal(window.document_changed, timeout=10_000):
        window.open_path(path)
    doc = window.document
    assert doc is not None
    window.dataset_tab.jump_to_row(0)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    editor = window.dataset_tab.editor
    editor.focus_message(0)
    cards = editor.findChildren(MessageCard)
    qtbot.waitUntil(cards[0].content.hasFocus, timeout=2000)
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier
    )
    assert cards[1].content.hasFocus()
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier
    )
    assert cards[0].content.hasFocus()
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.keyClicks(QApplication.focusWidget(), "Typed without a mouse")
    messages = json.loads(doc.store.raw(0))["messages"]
    assert len(messages) == 4
    assert messages[-1]["content"] == "Typed without a mouse"
    # toggle training on the reply with Space, then undo with the keyboard
    reply = editor.findChildren(MessageCard)[2]
    reply.train.setFocus()
    qtbot.keyClick(reply.train, Qt.Key.Key_Space)
    assert json.loads(doc.store.raw(0))["messages"][2]["weight"] == 0
