"""Which files to train on: the open dataset or a file on disk, and a validation file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ftstudio.gui.document import Document

FILTER = "Training files (*.jsonl *.json);;All files (*)"


def pick_file(parent: QWidget, title: str) -> Path | None:
    """Ask for an existing training file; return None when the user cancels."""
    name, _ = QFileDialog.getOpenFileName(parent, title, str(Path.home()), FILTER)
    return Path(name) if name else None


class FilesBox(QWidget):
    """The training source and the optional validation file."""

    changed = Signal()
    """The files to train on changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pick: Callable[[str], Path | None] = lambda title: pick_file(self, title)
        self._doc: Document | None = None
        self.use_dataset = QRadioButton("The open dataset")
        self.use_file = QRadioButton("A file on disk:")
        group = QButtonGroup(self)
        group.addButton(self.use_dataset)
        group.addButton(self.use_file)
        self.path = QLineEdit()
        self.path.setAccessibleName("Training file")
        self.path.setPlaceholderText("a .jsonl file")
        self.browse = QPushButton("Choose…")
        self.browse.clicked.connect(self._on_browse)
        self.validation = QLineEdit()
        self.validation.setAccessibleName("Validation file")
        self.validation.setPlaceholderText(
            "optional: examples kept apart to measure how well training generalises"
        )
        self.browse_validation = QPushButton("Choose…")
        self.browse_validation.clicked.connect(self._on_browse_validation)

        file_row = QHBoxLayout()
        file_row.addWidget(self.use_file)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        source = QVBoxLayout()
        source.setContentsMargins(0, 0, 0, 0)
        source.addWidget(self.use_dataset)
        source.addLayout(file_row)
        validation_row = QHBoxLayout()
        validation_row.addWidget(self.validation, 1)
        validation_row.addWidget(self.browse_validation)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Training file:", source)
        form.addRow("Validation file:", validation_row)

        self.use_file.setChecked(True)
        self.use_dataset.toggled.connect(self._on_source)
        self.path.editingFinished.connect(self.changed)
        self.validation.editingFinished.connect(self.changed)
        self._on_source()

    def set_document(self, doc: Document | None) -> None:
        """Offer ``doc`` as the training source (chosen when a dataset opens)."""
        self._doc = doc
        self.use_dataset.setEnabled(doc is not None)
        self.use_dataset.setText(
            f"The open dataset ({doc.title})"
            if doc is not None
            else "The open dataset (none open)"
        )
        if doc is not None:
            self.use_dataset.setChecked(True)
        else:
            self.use_file.setChecked(True)
        self._on_source()

    @property
    def document(self) -> Document | None:
        """Return the open dataset when it is the training source, else None."""
        return self._doc if self.use_dataset.isChecked() else None

    def training_path(self) -> Path | None:
        """Return the training file on disk (the dataset's file, maybe unsaved)."""
        doc = self.document
        if doc is not None:
            return doc.path
        text = self.path.text().strip()
        return Path(text).expanduser() if text else None

    def validation_path(self) -> Path | None:
        """Return the validation file, or None."""
        text = self.validation.text().strip()
        return Path(text).expanduser() if text else None

    def set_training_file(self, path: Path) -> None:
        """Train on ``path`` (a file on disk)."""
        self.use_file.setChecked(True)
        self.path.setText(str(path))
        self.changed.emit()

    def set_validation_file(self, path: Path | None) -> None:
        """Use ``path`` as the validation file (None: no validation file)."""
        self.validation.setText(str(path) if path is not None else "")
        self.changed.emit()

    @Slot()
    def _on_source(self, *_args: object) -> None:
        on_disk = self.use_file.isChecked()
        self.path.setEnabled(on_disk)
        self.browse.setEnabled(on_disk)
        self.changed.emit()

    @Slot()
    def _on_browse(self) -> None:
        path = self.pick("Choose the training file")
        if path is not None:
            self.set_training_file(path)

    @Slot()
    def _on_browse_validation(self) -> None:
        path = self.pick("Choose the validation file")
        if path is not None:
            self.set_validation_file(path)
