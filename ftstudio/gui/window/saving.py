"""Saving, Save As, Export and the "unsaved changes" question."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.workers import TaskRunner, plain

if TYPE_CHECKING:
    from ftstudio.gui.document import Document
    from ftstudio.gui.mainwindow import MainWindow

DATASET_FILTER = "Training files (*.jsonl *.json);;All files (*)"
_SOURCE_SUFFIXES = {".jsonl", ".json", ".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls"}


def suggested_name(title: str) -> str:
    """Return the file name to offer for a dataset titled ``title``.

    An import is titled after its source ("faq.jsonl", "faq.csv"): the name
    offered keeps the stem and ends in exactly one ``.jsonl``.
    """
    name = Path(title.strip() or "Untitled")
    stem = name.stem if name.suffix.lower() in _SOURCE_SUFFIXES else name.name
    return f"{stem or 'Untitled'}.jsonl"


class SaveController(QObject):
    """Saves the window's dataset; failures go to the window's error banner."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._export_runner = TaskRunner(self)
        self._export_runner.task_started.connect(window.progress.follow)

    def shutdown(self) -> None:
        """Stop a running export and wait for it."""
        self._export_runner.shutdown()

    @Slot()
    def save(self) -> bool:
        """Save the dataset in the background (asks where for a new one)."""
        doc = self._window.document
        if doc is None:
            return False
        if doc.path is None:
            return self.save_as()
        self._start_save(doc, None)
        return True

    @Slot()
    def save_as(self) -> bool:
        """Ask for a file name and save there."""
        doc = self._window.document
        if doc is None:
            return False
        path = self._ask_save_path("Save the dataset as", doc)
        if path is None:
            return False
        self._start_save(doc, path)
        return True

    def _ask_save_path(self, caption: str, doc: Document) -> Path | None:
        folder = doc.path.parent if doc.path else self._window.settings.last_folder()
        suggested = folder / (doc.path.name if doc.path else suggested_name(doc.title))
        name, _ = QFileDialog.getSaveFileName(
            self._window, caption, str(suggested), DATASET_FILTER
        )
        if not name:
            return None
        self._window.settings.set_last_folder(Path(name).parent)
        return Path(name)

    def _start_save(self, doc: Document, path: Path | None) -> None:
        task = doc.save(path)
        task.failed.connect(self._on_save_failed)
        task.succeeded.connect(self._on_saved)

    @Slot(object)
    def _on_save_failed(self, error: FtError) -> None:
        if (
            error.kind is not ErrorKind.CHANGED
        ):  # that one the document asks about itself
            self._window.show_error(error)

    @Slot(object)
    def _on_saved(self, path: Path) -> None:
        self._window.settings.add_recent_file(path)
        self._window.statusBar().showMessage(f"Saved {path.name}", 4000)
        self._window.banner.hide()

    @Slot()
    def export_copy(self) -> None:
        """Write a copy of the dataset elsewhere; keep editing this one."""
        doc = self._window.document
        if doc is None:
            return
        path = self._ask_save_path("Export a copy", doc)
        if path is None:
            return
        task = self._export_runner.start(
            plain(doc.store.save, path), f"Exporting {path.name}"
        )
        task.failed.connect(self._window.show_error)
        task.succeeded.connect(self._on_exported)
        task.start()

    @Slot(object)
    def _on_exported(self, path: Path) -> None:
        self._window.statusBar().showMessage(f"Wrote a copy to {path}", 4000)

    def maybe_save(self) -> bool:
        """Ask what to do with unsaved changes; return False to stay put."""
        doc = self._window.document
        if doc is None or not doc.modified:
            return True
        answer = QMessageBox.question(
            self._window,
            "Unsaved changes",
            f"Save the changes to {doc.title} first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Discard:
            return True
        path = None if doc.path else self._ask_save_path("Save the dataset as", doc)
        if doc.path is None and path is None:
            return False
        try:
            # a blocking save: the window is about to close or switch datasets
            doc.save_now(path)
        except FtError as error:
            if error.kind is ErrorKind.CHANGED:
                error = FtError(
                    ErrorKind.CHANGED,
                    f"{error.message} Your changes were not saved: use Save As to "
                    "keep them under another name.",
                )
            self._window.show_error(error)
            return False
        return True
