"""What every model picker shares: an editable list of models, each a label and a name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QWidget

LABEL_GAP = "  "
"""Between a model's name and what its label adds (``gpt-4o  · shuts down …``)."""


class ModelCombo(QComboBox):
    """An editable combo box of models where any other name can be typed.

    An entry shows a label (the name, perhaps with a shutdown date or a size)
    and holds the model's name; :meth:`typed_model` returns that name, or the
    typed text when it matches no entry.

    Parameters
    ----------
    accessible_name
        What a screen reader calls the box.
    tooltip
        What the model chosen here is for.
    parent
        The owning widget.
    """

    def __init__(
        self, accessible_name: str, tooltip: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(28)
        self.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.setAccessibleName(accessible_name)
        self.setToolTip(tooltip)
        self.entries = QStandardItemModel(self)
        self.setModel(self.entries)

    def add_model(
        self, name: str, label: str = "", tip: str = "", enabled: bool = True
    ) -> None:
        """List ``name`` (shown as ``label``); a disabled entry is greyed, not chosen."""
        item = QStandardItem(label or name)
        item.setData(name, Qt.ItemDataRole.UserRole)
        if tip:
            item.setToolTip(tip)
        item.setEnabled(enabled)
        self.entries.appendRow(item)

    def add_header(self, title: str) -> None:
        """List a bold group title that cannot be chosen."""
        header = QStandardItem(title)
        header.setFlags(Qt.ItemFlag.NoItemFlags)  # a label, not a model
        font = header.font()
        font.setBold(True)
        header.setFont(font)
        self.entries.appendRow(header)

    def typed_model(self) -> str:
        """Return the model named in the box: an entry's name, or the typed text."""
        text = self.currentText().strip()
        index = self.findText(text, Qt.MatchFlag.MatchExactly)
        if index >= 0:
            name = self.itemData(index)
            if isinstance(name, str):
                return name
        return text.split(LABEL_GAP)[0]

    def show_model(self, name: str) -> None:
        """Choose ``name``'s entry when it is listed and enabled, else type it in."""
        index = self.findData(name)
        item = self.entries.item(index) if index >= 0 else None
        if item is not None and item.isEnabled():
            self.setCurrentIndex(index)
        else:
            self.setEditText(name)

    def is_listed(self, name: str) -> bool:
        """Whether ``name`` has an entry."""
        return self.findData(name) >= 0
