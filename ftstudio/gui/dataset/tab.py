"""The Dataset tab: filter bar, the virtual table and the example editor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ftstudio.gui.dataset.bulk_menu import BulkMenu
from ftstudio.gui.dataset.editor import ExampleEditor
from ftstudio.gui.dataset.filtering import Problems, RowFilter, filter_rows
from ftstudio.gui.dataset.table_model import Column, DatasetTableModel
from ftstudio.gui.dataset.welcome import WelcomePage
from ftstudio.gui.icons import icon
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    from ftstudio.core.dataset.events import StoreEvent
    from ftstudio.gui.dataset.table_model import Rows
    from ftstudio.gui.document import Document

NEW_EXAMPLE = {
    "messages": [{"role": "user", "content": ""}, {"role": "assistant", "content": ""}]
}
FILTER_DELAY_MS = 250


class DatasetTab(QWidget):
    """Browse, filter and edit the examples of the open dataset."""

    open_requested = Signal()
    """The user clicked "Open a file…" in the empty state."""
    import_requested = Signal()
    """The user clicked "Import a spreadsheet…" in the empty state."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc: Document | None = None
        self._model: DatasetTableModel | None = None
        self._kept_row: int | None = None
        self._filter_runner = TaskRunner(self)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self._stack = QStackedWidget()
        self._stack.addWidget(self._empty_page())
        self._stack.addWidget(self._data_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

    # pages --------------------------------------------------------------------
    def _empty_page(self) -> QWidget:
        self.welcome = WelcomePage()
        self.welcome.open_requested.connect(self.open_requested)
        self.welcome.import_requested.connect(self.import_requested)
        return self.welcome

    def _data_page(self) -> QWidget:
        page = QWidget()
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the examples…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the examples")
        self.search.addAction(icon("find"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(self._filter_timer.start)
        # Esc in the search box clears it, as in every search field users know
        clear = QAction("Clear the search", self.search)
        clear.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear.triggered.connect(self.search.clear)
        self.search.addAction(clear)
        self.problems = QComboBox()
        self.problems.setAccessibleName("Which examples to show")
        for choice in Problems:
            self.problems.addItem(choice.value, choice)
        self.problems.currentIndexChanged.connect(self.apply_filter)
        self.count = QLabel()
        self.count.setAccessibleName("How many examples are shown")
        bar.addWidget(self.search, 2)
        bar.addWidget(self.problems)
        bar.addWidget(self.count, 1)
        for name, tip, slot in (
            ("add", "Add an example after the selected one", self.add_example),
            ("duplicate", "Duplicate the selected examples", self.duplicate_examples),
            ("delete", "Delete the selected examples", self.delete_examples),
        ):
            button = QToolButton()
            button.setIcon(icon(name))
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.clicked.connect(slot)
            bar.addWidget(button)
        self.bulk = BulkMenu(self)
        bulk_button = QToolButton()
        bulk_button.setText("Bulk actions")
        bulk_button.setToolTip("Change many examples at once (one undo step each)")
        bulk_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        bulk_button.setMenu(self.bulk)
        bar.addWidget(bulk_button)

        self.table = QTableView()
        self.table.setAccessibleName("Examples")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        rows = self.table.verticalHeader()
        # fixed row height: the view never measures 400,000 rows
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        # Delete on the table deletes the selected examples (not in text fields)
        delete = QAction("Delete examples", self.table)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_examples)
        self.table.addAction(delete)
        self.editor = ExampleEditor()
        self.splitter = QSplitter()
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([720, 480])
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        return page

    # document -----------------------------------------------------------------
    @property
    def model(self) -> DatasetTableModel | None:
        """Return the table model of the open dataset."""
        return self._model

    def set_document(self, doc: Document | None) -> None:
        """Show ``doc`` (None shows the empty state)."""
        self._filter_runner.shutdown()
        if self._doc is not None:
            self._doc.changed.disconnect(self._on_store_event)
            self._doc.report_changed.disconnect(self._on_report)
        if self._model is not None:
            self._model.detach()
        self._doc, self._model = doc, None
        self.editor.set_document(doc)
        if doc is None:
            self.table.setModel(None)
            self._stack.setCurrentIndex(0)
            return
        self._model = DatasetTableModel(doc, self.table)
        self.table.setModel(self._model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Column.STATUS, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(Column.STATUS, 28)
        for column, width in (
            (Column.FORMAT, 80),
            (Column.MESSAGES, 70),
            (Column.TOKENS, 70),
        ):
            header.resizeSection(column, width)
        # The two text columns share what is left, so Tokens stays in sight in
        # a small window (1024×700) instead of past the right edge.
        for column in (Column.USER, Column.ASSISTANT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self._model.filter_stale.connect(self.apply_filter)
        self._model.modelAboutToBeReset.connect(self._remember_current)
        self._model.modelReset.connect(self._restore_current)
        doc.changed.connect(self._on_store_event)  # after the model's own
        doc.report_changed.connect(self._on_report)
        self._stack.setCurrentIndex(1)
        self.apply_filter()
        if len(doc.store):
            # after the table's first paint: building the editor then keeps each
            # event-loop turn short
            QTimer.singleShot(0, self._select_first)

    @Slot()
    def _select_first(self) -> None:
        if (
            self._model is not None
            and self._model.rowCount()
            and (not self.table.currentIndex().isValid())
        ):
            self.table.selectRow(0)

    # filtering ----------------------------------------------------------------
    def row_filter(self) -> RowFilter:
        """Return the filter the bar describes."""
        return RowFilter(self.search.text(), self.problems.currentData())

    @Slot()
    def apply_filter(self) -> None:
        """Run the filter in the background (or show every row at once)."""
        self._filter_timer.stop()
        doc, model = self._doc, self._model
        if doc is None or model is None:
            return
        row_filter = self.row_filter()
        if not row_filter.active:
            self._filter_runner.shutdown()
            if model.filtered:
                model.set_rows(None)
            self._update_count()
            return
        self.count.setText("Searching…")
        version = doc.store.version
        task = self._filter_runner.start(
            filter_rows(doc.store, doc.store.keys, row_filter, doc.validator.row_info),
            "Filtering the examples",
        )
        task.succeeded.connect(lambda rows: self._on_filtered(rows, version))
        task.start()

    def _on_filtered(self, rows: Rows, version: int) -> None:
        if self._model is None:
            return
        if self._doc is None or version != self._doc.store.version:
            self.apply_filter()  # edited meanwhile: the row numbers moved
            return
        current = self._current_source_row()
        self._model.set_rows(rows)
        self._update_count()
        if current is not None:
            self._select_source_row(current, scroll=False)

    def _update_count(self) -> None:
        if self._doc is None or self._model is None:
            return
        total = len(self._doc.store)
        shown = self._model.rowCount()
        noun = "example" if total == 1 else "examples"
        self.count.setText(
            f"{total:,} {noun}"
            if not self._model.filtered
            else f"{shown:,} of {total:,} {noun}"
        )

    @Slot(object)
    def _on_report(self, _report: object) -> None:
        self.editor.update_findings()
        if self.row_filter().problems is not Problems.ALL:
            self.apply_filter()

    # selection and the editor -------------------------------------------------
    def _current_source_row(self) -> int | None:
        index = self.table.currentIndex()
        if self._model is None or not index.isValid():
            return None
        return self._model.source_row(index.row())

    def selected_rows(self) -> list[int]:
        """Return the selected store rows, in order."""
        if self._model is None:
            return []
        model = self._model
        rows = self.table.selectionModel().selectedRows()
        return sorted(model.source_row(i.row()) for i in rows)

    def _select_source_row(self, row: int, scroll: bool = True) -> bool:
        if self._model is None:
            return False
        table_row = self._model.table_row(row)
        if table_row is None:
            return False
        index = self._model.index(table_row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if scroll:
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def jump_to_row(self, row: int) -> None:
        """Select and show example ``row``, clearing a filter that hides it."""
        if self._model is None:
            return
        if self._model.table_row(row) is None and self._model.filtered:
            self.search.clear()
            self.problems.setCurrentIndex(0)
            self.apply_filter()
        self._select_source_row(row)
        self.table.setFocus()

    @Slot(QModelIndex, QModelIndex)
    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._model is None or not current.isValid():
            self.editor.show_row(None)
            return
        self.editor.show_row(self._model.source_row(current.row()))

    @Slot(object)
    def _on_store_event(self, _event: StoreEvent) -> None:
        # after the model has caught up with the same event
        QTimer.singleShot(0, self._sync_editor)
        QTimer.singleShot(0, self._update_count)

    @Slot()
    def _remember_current(self) -> None:
        self._kept_row = self._current_source_row()

    @Slot()
    def _restore_current(self) -> None:
        # a reset (bulk action, undo of one) clears the selection: keep the place
        row, self._kept_row = self._kept_row, None
        if row is not None and self._doc is not None and len(self._doc.store):
            self._select_source_row(min(row, len(self._doc.store) - 1), scroll=False)
        self._sync_editor()

    @Slot()
    def _sync_editor(self) -> None:
        row = self._current_source_row()
        if row != self.editor.row:
            self.editor.show_row(row)
        else:
            self.editor.refresh()

    # example actions ----------------------------------------------------------
    @Slot()
    def add_example(self) -> None:
        """Add an empty chat example after the current one and select it."""
        doc = self._doc
        if doc is None:
            return
        from ftstudio.core.dataset.edits import insert_values

        current = self._current_source_row()
        row = len(doc.store) if current is None else current + 1
        doc.push(insert_values(doc.store, row, [NEW_EXAMPLE], "Add example"))
        self._select_source_row(row)

    @Slot()
    def duplicate_examples(self) -> None:
        """Duplicate the selected examples (one undo step)."""
        doc, rows = self._doc, self.selected_rows()
        if doc is not None and rows:
            from ftstudio.core.dataset.edits import duplicate_rows

            doc.push(duplicate_rows(doc.store, rows, "Duplicate examples"))

    @Slot()
    def delete_examples(self) -> None:
        """Delete the selected examples (one undo step)."""
        doc, rows = self._doc, self.selected_rows()
        if doc is None or not rows:
            return
        from ftstudio.core.dataset.edits import delete_rows

        label = "Delete example" if len(rows) == 1 else f"Delete {len(rows):,} examples"
        doc.push(delete_rows(doc.store, rows, label))
        remaining = len(doc.store)
        if remaining:
            self._select_source_row(min(rows[0], remaining - 1))

    def scope_rows(self) -> list[int]:
        """Return the rows a bulk action changes: the selection if several, else all."""
        rows = self.selected_rows()
        if len(rows) > 1 or self._doc is None:
            return rows
        return list(range(len(self._doc.store)))

    @property
    def document(self) -> Document | None:
        """Return the open document."""
        return self._doc

    def shutdown(self) -> None:
        """Stop background filtering and bulk edits (the window is closing)."""
        self._filter_runner.shutdown()
        self.bulk.shutdown()
