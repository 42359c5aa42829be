"""The lower half of the Monitor tab: the events log and the checkpoints panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ftstudio.gui.monitor.models import MODEL_ROLE, CheckpointsModel

if TYPE_CHECKING:
    from PySide6.QtCore import QAbstractItemModel


def table_view(model: QAbstractItemModel, name: str) -> QTableView:
    """Return a read-only, row-selecting table with fixed row heights."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    # fixed row height: no per-row measuring with many thousands of events
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    # columns start at the default width, wider where a heading needs it
    # ("Full validation loss" is not cut)
    header = view.horizontalHeader()
    for column in range(model.columnCount()):
        wanted = max(header.sectionSizeHint(column), header.defaultSectionSize())
        header.resizeSection(column, wanted)
    return view


class CheckpointsPanel(QWidget):
    """The checkpoints table with "Chat with this checkpoint"."""

    chat_with_model = Signal(str)
    """The user asked to chat with this checkpoint's model."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CheckpointsModel()
        self.view = table_view(self.model, "Checkpoints")
        self.view.doubleClicked.connect(self.chat_with_selected)
        self.chat_button = QPushButton("Chat with this checkpoint")
        self.chat_button.setEnabled(False)
        self.chat_button.setToolTip(
            "Open the selected checkpoint in the chat playground"
        )
        self.chat_button.clicked.connect(self.chat_with_selected)
        self.view.selectionModel().selectionChanged.connect(self._on_selected)
        self.model.modelReset.connect(self._on_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Checkpoints (saved copies you can chat with)"))
        layout.addWidget(self.view, 1)
        layout.addWidget(self.chat_button, 0, Qt.AlignmentFlag.AlignRight)

    @Slot()
    def _on_selected(self) -> None:
        self.chat_button.setEnabled(self.view.selectionModel().hasSelection())

    @Slot()
    def chat_with_selected(self) -> None:
        """Send the selected checkpoint's model name to the chat playground."""
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self.chat_with_model.emit(rows[0].data(MODEL_ROLE))
