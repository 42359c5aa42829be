"""Import a spreadsheet (CSV, TSV, XLSX) or JSON file as a new chat dataset."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.progress import Progress
from ftstudio.gui.dialogs.import_mapping import MappingForm
from ftstudio.gui.dialogs.import_preview import PreviewModel
from ftstudio.gui.widgets.progress import show_on_bar
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    from ftstudio.core.cancel import CancelToken
    from ftstudio.core.dataset.importer import (
        ColumnMapping,
        ImportResult,
        TablePreview,
    )

PREVIEW_ROWS = 20
FILE_FILTER = (
    "Spreadsheets and JSON (*.csv *.tsv *.txt *.xlsx *.xlsm *.json *.jsonl);;"
    "All files (*)"
)
OpenStore = Callable[[DatasetStore, str], object]


@dataclass(frozen=True)
class _Loaded:
    """What the preview task found (built on the worker, read on the GUI thread)."""

    path: Path
    preview: TablePreview | None
    holds_examples: bool


def _load_task(
    path: Path, sheet: str | None
) -> Callable[[CancelToken], Generator[Any, None, _Loaded]]:
    def run(_cancel: CancelToken) -> Generator[Any, None, _Loaded]:
        from ftstudio.core.dataset import importer  # pandas: imported on first use

        yield Progress(0, None, "Reading the file")
        if importer.holds_examples(path):
            return _Loaded(path, None, holds_examples=True)
        return _Loaded(path, importer.preview(path, PREVIEW_ROWS, sheet), False)

    return run


def _convert_task(
    path: Path, mapping: ColumnMapping | None, sheet: str | None
) -> Callable[[CancelToken], Generator[Any, None, ImportResult]]:
    def run(cancel: CancelToken) -> Generator[Any, None, ImportResult]:
        from ftstudio.core.dataset import importer

        if mapping is None:
            yield Progress(0, None, "Reading the examples")
            return importer.convert_examples(path)
        return (yield from importer.convert_iter(path, mapping, sheet, cancel))

    return run


class ImportDialog(QDialog):
    """Preview a file's first rows, map its columns, and open the result.

    Parameters
    ----------
    parent
        The main window; its ``open_store(store, title)`` receives the result
        unless ``open_store`` is given.
    path
        A file to load at once (a file dropped on the window).
    open_store
        Called with the new dataset and a title for it.
    """

    imported = Signal(object, str)
    """A new unsaved dataset was made: the store and its title."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        path: Path | None = None,
        open_store: OpenStore | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import spreadsheet")
        self._open_store = open_store or getattr(parent, "open_store", None)
        self._loaded: _Loaded | None = None
        self._result: ImportResult | None = None
        self._error: FtError | None = None
        self._busy = False
        self.loader = TaskRunner(self)
        self.converter = TaskRunner(self)

        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("Choose a CSV, TSV, Excel or JSON file")
        self.path_edit.setAccessibleName("File to import")
        self.browse = QPushButton("&Choose file…")
        self.browse.clicked.connect(self._choose_file)
        self.sheet = QComboBox()
        self.sheet.setAccessibleName("Worksheet")
        self.sheet.setToolTip("The worksheet of the Excel file to import.")
        self.sheet.activated.connect(self._on_sheet_picked)

        self.preview = PreviewModel()
        self.table = QTableView()
        self.table.setModel(self.preview)
        self.table.setAccessibleName("First rows of the file")
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.table.horizontalHeader().setDefaultSectionSize(180)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.rows_note = QLabel()

        self.mapping_form = MappingForm()
        self.mapping_form.changed.connect(self._on_mapping_changed)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Import status")
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("&Import")
        self.buttons.accepted.connect(self._on_import)
        self.buttons.rejected.connect(self.reject)
        self._build_layout()
        self._show_loaded(None)
        self.resize(820, 620)
        if path is not None:
            self.load(path)
        else:
            self.browse.setFocus()  # the first thing to do

    def _build_layout(self) -> None:
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse)
        form = QFormLayout()
        file_label = QLabel("&File:")
        file_label.setBuddy(self.browse)  # a row holding a layout gets no buddy
        form.addRow(file_label, file_row)
        form.addRow("&Worksheet:", self.sheet)
        self._form = form
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.rows_note)
        layout.addWidget(self.mapping_form)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

    # loading ----------------------------------------------------------------
    @Slot()
    def _choose_file(self) -> None:
        from ftstudio.gui.settings import Settings

        settings = Settings()
        name, _ = QFileDialog.getOpenFileName(
            self, "Import spreadsheet", str(settings.last_folder()), FILE_FILTER
        )
        if name:
            settings.set_last_folder(Path(name).parent)
            self.load(Path(name))

    def load(self, path: Path, sheet: str | None = None) -> None:
        """Read the first rows of ``path`` in the background and show them."""
        self.path_edit.setText(str(path))
        self._result = None
        self._error = None
        self.import_button.setText("&Import")
        self.converter.shutdown()
        self._set_busy("Reading the file…")
        task = self.loader.start(_load_task(path, sheet), "Reading the file")
        task.succeeded.connect(self._on_loaded)
        task.failed.connect(self._on_load_failed)
        task.finished.connect(self._on_task_finished)
        task.start()

    @Slot(int)
    def _on_sheet_picked(self, _index: int) -> None:
        if self._loaded is not None:
            self.load(self._loaded.path, self.sheet.currentText())

    @Slot(object)
    def _on_loaded(self, loaded: _Loaded) -> None:
        self._show_loaded(loaded)

    def _show_loaded(self, loaded: _Loaded | None) -> None:
        self._loaded = loaded
        preview = loaded.preview if loaded is not None else None
        self.preview.set_preview(
            preview.columns if preview else (), preview.rows if preview else ()
        )
        self.sheet.clear()
        if preview is not None and preview.sheets:
            self.sheet.addItems(list(preview.sheets))
            self.sheet.setCurrentText(preview.sheet or preview.sheets[0])
        self.sheet.setEnabled(preview is not None and len(preview.sheets) > 1)
        # the worksheet row only means something for an Excel workbook
        self._form.setRowVisible(self.sheet, bool(preview and preview.sheets))
        self.mapping_form.setEnabled(loaded is not None and not loaded.holds_examples)
        self.mapping_form.set_columns(
            preview.columns if preview else (), preview.suggested if preview else None
        )
        if loaded is None:
            self.rows_note.setText("")
        elif loaded.holds_examples:
            self.rows_note.setText(
                "This file already holds training examples: each one becomes one "
                "line of the new dataset, unchanged. No columns to choose."
            )
        elif preview is not None:
            shown = len(preview.rows)
            more = "" if preview.complete else " (more rows follow)"
            self.rows_note.setText(f"The first {shown} rows of the file{more}.")
        self._validate()

    # mapping ----------------------------------------------------------------
    @Slot()
    def _on_mapping_changed(self) -> None:
        if self._result is not None:  # the notes were about the old choice
            self._result = None
            self.import_button.setText("&Import")
        self.preview.set_roles(self.mapping_form.roles())
        self._validate()

    def problem(self) -> str:
        """Say what is still missing before importing ("" when ready)."""
        loaded = self._loaded
        if loaded is None:
            return "Choose a file to import."
        if loaded.holds_examples:
            return ""
        return self.mapping_form.problem()

    @Slot()
    def _validate(self) -> None:
        busy = self._busy
        problem = self.problem()
        if not busy and self._result is None:
            error = self._error
            self.status.setText(error.message if error else problem)
            self.status.setToolTip(error.detail if error else "")
        self.import_button.setEnabled(not busy and not problem)

    # converting -------------------------------------------------------------
    @Slot()
    def _on_import(self) -> None:
        if self._result is not None:  # the second click, after reading the notes
            self._finish(self._result)
            return
        loaded = self._loaded
        if loaded is None or self.problem():
            return
        mapping = None if loaded.holds_examples else self.mapping_form.mapping()
        self._error = None
        sheet = self.sheet.currentText() or None
        self._set_busy("Making the examples…")
        task = self.converter.start(
            _convert_task(loaded.path, mapping, sheet), "Importing the file"
        )
        task.progressed.connect(self._on_progress)
        task.succeeded.connect(self._on_converted)
        task.failed.connect(self._on_failed)
        task.finished.connect(self._on_task_finished)
        task.start()

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        show_on_bar(self.progress, progress)

    @Slot(object)
    def _on_converted(self, result: ImportResult) -> None:
        if result.examples == 0:
            self._error = FtError(
                ErrorKind.MAPPING,
                "No row has both a user message and a reply, so there is nothing to "
                "import. Check the columns chosen above.",
            )
            return
        if not result.skipped:
            self._finish(result)
            return
        self._result = result
        listed = "; ".join(f"row {s.row}: {s.reason}" for s in result.skipped[:5])
        more = len(result.skipped) - 5
        tail = f"; and {more:,} more" if more > 0 else ""
        self.status.setText(
            f"{result.examples:,} examples are ready. {len(result.skipped):,} rows "
            f"were left out ({listed}{tail})."
        )
        self.import_button.setText(f"&Open {result.examples:,} examples")

    def _finish(self, result: ImportResult) -> None:
        loaded = self._loaded
        title = f"{loaded.path.stem}.jsonl" if loaded is not None else "Imported.jsonl"
        store = result.to_store()
        self.imported.emit(store, title)
        if self._open_store is not None:
            self._open_store(store, title)
        self.accept()

    @Slot(object)
    def _on_load_failed(self, error: FtError) -> None:
        self._show_loaded(None)
        self._on_failed(error)

    @Slot(object)
    def _on_failed(self, error: FtError) -> None:
        self._error = error  # shown once the task has finished

    def _set_busy(self, text: str) -> None:
        self._busy = True
        self.status.setText(text)
        self.status.setToolTip("")
        self.progress.setRange(0, 0)  # busy until the first progress arrives
        self.progress.setVisible(True)
        self.browse.setEnabled(False)
        self.import_button.setEnabled(False)

    @Slot()
    def _on_task_finished(self) -> None:
        self._busy = False
        self.progress.setVisible(False)
        self.browse.setEnabled(True)
        self._validate()

    def done(self, result: int) -> None:
        # Closing stops any reading or converting still going on.
        self.loader.shutdown()
        self.converter.shutdown()
        super().done(result)
