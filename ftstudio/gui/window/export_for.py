"""File → Export for another trainer…: the open dataset in Together's, TRL's, … format."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog

from ftstudio.core.cancel import CancelToken
from ftstudio.core.dataset.atomic import write_atomic
from ftstudio.core.dataset.export import TARGETS, ExportResult, export_lines
from ftstudio.workers.task import TaskRunner

if TYPE_CHECKING:
    from ftstudio.gui.mainwindow import MainWindow


class TrainerExport(QObject):
    """Asks for a format and a file, then writes the export off the GUI thread."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.runner = TaskRunner(self)
        self.last_message = ""
        self.action: QAction | None = None
        window.document_changed.connect(self._on_document)

    @Slot(object)
    def _on_document(self, doc: object) -> None:
        if self.action is not None:
            self.action.setEnabled(doc is not None)

    @Slot()
    def ask(self) -> None:
        """Ask which trainer and where, then export."""
        if self._window.document is None:
            self._say("Open a dataset first: there is nothing to export yet.")
            return
        labels = [f"{name}: {words}" for name, words in TARGETS.items()]
        choice, ok = QInputDialog.getItem(
            self._window, "Export for another trainer", "Format:", labels, 0, False
        )
        if not ok:
            return
        target = choice.split(":", 1)[0]
        path, _ = QFileDialog.getSaveFileName(
            self._window,
            f"Export for {target}",
            f"{target}.jsonl",
            "JSON Lines (*.jsonl)",
        )
        if path:
            self.export(target, Path(path))

    def export(self, target: str, path: Path) -> None:
        """Write the open dataset for ``target`` to ``path`` (the source is unchanged)."""
        doc = self._window.document
        if doc is None:
            return
        lines = list(doc.store.iter_raw())  # a snapshot: editing may go on meanwhile

        def run(_cancel: CancelToken) -> Generator[None, None, ExportResult]:
            result = export_lines(lines, target)
            if result.examples:
                write_atomic(path, result.data)
            yield from ()
            return result

        task = self.runner.start(run, f"Exporting for {target}")
        task.failed.connect(self._window.show_error)
        task.succeeded.connect(self._on_done)
        self._target, self._path = target, path
        task.start()

    @Slot(object)
    def _on_done(self, result: ExportResult) -> None:
        if not result.examples:
            why = result.skipped[0].reason if result.skipped else "the dataset is empty"
            self._say(f"Nothing was written for {self._target}: {why}.")
            return
        words = (
            f"Wrote {result.examples} example(s) for {self._target} to {self._path}."
        )
        if result.skipped:
            first = result.skipped[0]
            words += (
                f" Left out {len(result.skipped)} that {self._target} cannot hold "
                f"(first: line {first.row}, {first.reason})."
            )
        self._say(words)

    def _say(self, text: str) -> None:
        self.last_message = text
        self._window.statusBar().showMessage(text, 10000)
