"""Where "This reply is better" goes: never a preference example into a chat dataset."""

from __future__ import annotations

import json
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from ftstudio.core.dataset.formats import Format, detect_format, file_format

if TYPE_CHECKING:
    from ftstudio.gui.document import Document

SAMPLED_ROWS = 200
"""Rows read to tell a dataset's format before its first validation report."""


class Target(Enum):
    """What to do with the chosen reply."""

    PREFERENCE = "preference"
    """Add a preference example to the open (preference or empty) dataset."""
    CHAT = "chat"
    """Add the chosen reply's conversation as a chat example."""
    NEW_PREFERENCE = "new preference"
    """Start a new, unsaved preference dataset holding this example."""


def dataset_format(doc: Document) -> Format:
    """Return the training format of ``doc`` (UNKNOWN when it has no examples)."""
    if len(doc.store) == 0:
        return Format.UNKNOWN
    report = doc.report
    if report is not None:
        try:
            return Format(report.format)
        except ValueError:
            pass
    counts: dict[Format, int] = {}
    for row in range(min(len(doc.store), SAMPLED_ROWS)):
        try:
            value = json.loads(doc.store.raw(row))
        except ValueError:
            continue
        fmt = detect_format(value)
        counts[fmt] = counts.get(fmt, 0) + 1
    return file_format(counts)


def ask_target(parent: QWidget, doc: Document | None) -> Target | None:
    """Decide where a preferred reply goes, asking when it would mix formats.

    Returns None when the user cancels.
    """
    if doc is None:
        return Target.NEW_PREFERENCE
    fmt = dataset_format(doc)
    if fmt in (Format.PREFERENCE, Format.UNKNOWN):
        return Target.PREFERENCE
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Where should this reply go?")
    box.setText(
        f"{doc.title} holds {fmt.value} examples. A preference example would mix "
        "two formats in one file, and a mixed file cannot be used for training."
    )
    box.setInformativeText(
        "Add the chosen reply to this dataset as a chat example, or start a new "
        "preference dataset with both replies (this one stays as it is)."
    )
    chat = box.addButton("Add as a chat example", QMessageBox.ButtonRole.AcceptRole)
    new = box.addButton("Start a preference dataset", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(chat)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is chat:
        return Target.CHAT
    if clicked is new:
        return Target.NEW_PREFERENCE
    return None
