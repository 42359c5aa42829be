"""The editor's note about fields its form cannot show, each with a Remove button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ftstudio.gui.dataset.hidden import Hidden

NOTE = (
    "<b>Not shown in the form below.</b> Remove a field here, or use "
    "<i>Edit as JSON</i> to see and change everything."
)


class HiddenBox(QFrame):
    """List the hidden fields of one example; ask the editor to remove one."""

    remove_requested = Signal(object)
    """Remove the field at this path (a tuple of keys and indexes)."""
    json_requested = Signal()
    """Show the example as JSON."""

    def __init__(self, hidden: list[Hidden], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("hiddenFields")
        self.setAccessibleName("Fields the form does not show")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        layout.addWidget(note)
        for part in hidden:
            row = QHBoxLayout()
            label = QLabel(part.text)
            label.setWordWrap(True)
            remove = QPushButton("Remove")
            remove.setAccessibleName(f"Remove {part.text}")
            remove.setToolTip(
                f"Delete {part.text} from this example (Undo brings it back)"
            )
            remove.clicked.connect(
                lambda _=False, p=part.path: self.remove_requested.emit(p)
            )
            row.addWidget(label, 1)
            row.addWidget(remove)
            layout.addLayout(row)
        as_json = QPushButton("Edit as JSON")
        as_json.clicked.connect(self.json_requested)
        layout.addWidget(as_json)
