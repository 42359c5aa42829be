"""At 1024×700 everything is in sight; message boxes grow with their text."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QToolButton

from ftstudio.core.samples import SAMPLES
from ftstudio.gui.dataset.cards import MessageCard
from ftstudio.gui.dataset.fields import MAX_LINES, TextField
from ftstudio.gui.dataset.table_model import Column
from ftstudio.gui.mainwindow import MainWindow
from tests.gui.conftest import open_window

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot


@pytest.fixture
def small_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    win = open_window(qtbot, tmp_path, monkeypatch, size=(1024, 700))
    with qtbot.waitSignal(win.document_changed, timeout=10_000):
        win.open_path(SAMPLES[0].path)
    qtbot.waitUntil(
        lambda: bool(win.dataset_tab.editor.findChildren(MessageCard)), timeout=5000
    )
    qtbot.wait(50)
    yield win
    win.close()


def test_tokens_column_and_delete_buttons_are_in_sight(
    qtbot: QtBot, small_window: MainWindow
) -> None:
    table = small_window.dataset_tab.table
    header = table.horizontalHeader()
    right = header.sectionViewportPosition(Column.TOKENS) + header.sectionSize(
        Column.TOKENS
    )
    assert 0 < right <= table.viewport().width()
    editor = small_window.dataset_tab.editor
    assert not editor.horizontalScrollBar().isVisible()
    for card in editor.findChildren(MessageCard):
        delete = next(
            b
            for b in card.findChildren(QToolButton)
            if b.toolTip() == "Delete this message"
        )
        corner = delete.mapTo(editor.viewport(), QPoint(delete.width(), 0))
        assert corner.x() <= editor.viewport().width()


def test_a_message_box_grows_with_its_text_then_scrolls(
    qtbot: QtBot, small_window: MainWindow
) -> None:
    card = small_window.dataset_tab.editor.findChildren(MessageCard)[0]
    box = card.content
    assert isinstance(box, TextField)
    line = box.fontMetrics().lineSpacing()
    box.setPlainText("Short.")
    short = box.height()
    box.setPlainText("A sentence that wraps in a narrow box. " * 12)
    qtbot.wait(10)
    assert box.height() >= short + 4 * line  # the whole text is in view
    assert box.wrapped_lines() * line <= box.viewport().height()
    box.setPlainText("Many lines.\n" * (MAX_LINES * 3))
    assert box.height() < (MAX_LINES + 2) * line  # a limit, then it scrolls
    assert box.verticalScrollBar().maximum() > 0
    box.setPlainText("one long paragraph " * 20_000)  # no line breaks at all
    assert box.wrapped_lines() == MAX_LINES
    assert box.height() < (MAX_LINES + 2) * line
