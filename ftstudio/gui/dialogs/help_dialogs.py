"""Help → the six-step guide, the keyboard shortcuts, and what is new."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

import ftstudio
from ftstudio.gui.widgets.guide import EDITOR_KEYS, guide_html

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

EDITING_KEYS = (
    ("Tab / Shift+Tab", "Move to the next / previous box, button or message"),
    *EDITOR_KEYS,
    ("Space", "Tick or untick the focused box (e.g. Train on this reply)"),
    ("Delete", "Delete the selected examples (in the table)"),
    ("Esc", "Clear the search box"),
)
WHATS_NEW = (
    "A welcome page with <b>Try it now</b>: a sample and the practice service in one click.",
    "View → Theme: system, light or dark, in every tab and plot.",
    "Edit any example as JSON, checked as you type; fields the form cannot show "
    "are named with a Remove button.",
    "Message boxes grow with their text; Ctrl+Z and Ctrl+Y undo and redo anywhere.",
    '"This reply is better" never mixes formats in a dataset.',
    "The practice service you chose is still chosen next time.",
)


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str]]:
    """Return (keys, what they do) for every menu command that has a shortcut."""
    rows: list[tuple[str, str]] = []
    for top in window.menuBar().actions():
        menu = top.menu()
        for action in menu.actions() if isinstance(menu, QMenu) else []:
            keys = [
                k.toString(QKeySequence.SequenceFormat.NativeText)
                for k in action.shortcuts()
            ]
            if keys:
                rows.append((" or ".join(keys), action.text().replace("&", "")))
    return rows + list(EDITING_KEYS)


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='padding-right: 16px'><b>{keys}</b></td><td>{what}</td></tr>"
        for keys, what in rows
    )
    return f"<table>{cells}</table>"


def show_guide(parent: QWidget) -> None:
    """Show the six steps from a file to a trained model."""
    QMessageBox.information(
        parent,
        "Getting started",
        "<b>Six steps to a trained model</b>" + guide_html() + "To practise first, "
        "use <b>Try it now</b> on the welcome page, shown whenever no dataset is open.",
    )


def show_shortcuts(window: QMainWindow) -> None:
    """List every keyboard shortcut."""
    QMessageBox.information(window, "Keyboard shortcuts", _table(shortcut_rows(window)))


def show_whats_new(parent: QWidget) -> None:
    """Say what changed in this version."""
    items = "".join(f"<li>{line}</li>" for line in WHATS_NEW)
    QMessageBox.information(
        parent,
        "What's new",
        f"<b>New in ftstudio {ftstudio.__version__}</b><ul>{items}</ul>",
    )
