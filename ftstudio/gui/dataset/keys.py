"""Keyboard-only editing in the example editor: move between messages, add one."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from ftstudio.gui.widgets.guide import EDITOR_KEYS

if TYPE_CHECKING:
    from ftstudio.gui.dataset.editor import ExampleEditor


def step_message(editor: ExampleEditor, step: int) -> None:
    """Put the cursor ``step`` messages down (or up) from the focused one."""
    from ftstudio.gui.dataset.cards import MessageCard

    body = editor.widget()
    cards = body.findChildren(MessageCard) if body is not None else []
    focused = QApplication.focusWidget()
    current = next(
        (i for i, c in enumerate(cards) if focused and c.isAncestorOf(focused)), -1
    )
    target = current + step if current >= 0 else 0
    editor.focus_message(max(0, min(len(cards) - 1, target)))


def add_keys(editor: ExampleEditor) -> list[QShortcut]:
    """Give ``editor`` its shortcuts (active while the focus is inside it)."""
    slots = (
        partial(step_message, editor, 1),
        partial(step_message, editor, -1),
        editor.add_message,
    )
    shortcuts = []
    for (keys, _what), slot in zip(EDITOR_KEYS, slots, strict=True):
        shortcut = QShortcut(QKeySequence(keys), editor)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        shortcuts.append(shortcut)
    return shortcuts
