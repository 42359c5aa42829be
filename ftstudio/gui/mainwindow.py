"""The studio's main window: tabs, menus, opening and saving, errors, progress."""

from __future__ import annotations

from collections.abc import Callable, Generator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QUndoGroup
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.errors import FtError
from ftstudio.core.progress import Progress
from ftstudio.gui.dataset.tab import DatasetTab
from ftstudio.gui.document import Document, make_validator
from ftstudio.gui.icons import icon
from ftstudio.gui.recovery import RecoveryCopy, RecoveryKeeper, offer_for_file
from ftstudio.gui.settings import Settings
from ftstudio.gui.widgets.banner import ErrorBanner
from ftstudio.gui.widgets.progress import ProgressArea
from ftstudio.gui.window.api_tabs import ApiTabs
from ftstudio.gui.window.file_changed import FileChangeWatcher
from ftstudio.gui.window.first_run import FirstRun
from ftstudio.gui.window.lazytab import LazyTab, cost_tab, preload, validator_tab
from ftstudio.gui.window.menus import build_menus
from ftstudio.gui.window.saving import DATASET_FILTER, SaveController
from ftstudio.workers import TaskRunner, show_unhandled_failures_with

if TYPE_CHECKING:
    from ftstudio.core.cancel import CancelToken
    from ftstudio.core.dataset.store import DatasetStore
    from ftstudio.gui.document import RowValidator

SPREADSHEET_SUFFIXES = {".csv", ".tsv", ".xlsx", ".xls"}


WARM_UP_DELAY_MS = 150
"""After the first paint: a worker importing modules competes for the GIL."""


class MainWindow(QMainWindow):
    """The studio window: one open dataset shown by several tabs."""

    document_changed = Signal(object)
    """A dataset was opened or closed: the new :class:`Document` or None."""

    def __init__(
        self, settings: Settings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings or Settings()
        self._doc: Document | None = None
        self._recovery: RecoveryKeeper | None = None
        self._open_runner = TaskRunner(self)
        self.undo_group = QUndoGroup(self)
        self.setWindowIcon(icon("ftstudio"))
        self.setAcceptDrops(True)

        self.banner = ErrorBanner()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Studio tabs")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.dataset_tab = DatasetTab()
        self.dataset_tab.open_requested.connect(self.choose_file)
        self.dataset_tab.import_requested.connect(self.import_spreadsheet)
        self.add_tab(self.dataset_tab, "Dataset", "dataset")
        # built on first view or once their modules are loaded in the background
        # (see _warm_up): they import numpy and more, not needed for the first paint
        self.lazy_tabs = [
            LazyTab(validator_tab, self.connect_tab),
            LazyTab(cost_tab, self.connect_tab),
        ]
        self.tabs.addTab(self.lazy_tabs[0], icon("validator"), "Validator")
        self.tabs.addTab(self.lazy_tabs[1], icon("cost"), "Cost")
        self.api_tabs = ApiTabs(self)
        self.tabs.currentChanged.connect(self._on_tab_changed)

        self.progress = ProgressArea()
        self.statusBar().addPermanentWidget(self.progress)
        self._open_runner.task_started.connect(self.progress.follow)
        self.saving = SaveController(self)
        FileChangeWatcher(self)
        self.menu_actions = build_menus(self)
        self.first_run = FirstRun(self)
        show_unhandled_failures_with(self.show_error)
        self.menu_actions.set_document_open(False)
        self._update_title()
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 760)
        self._warm_runner = TaskRunner(self)
        # load the tokenizer while the user picks a file, not once it is chosen
        QTimer.singleShot(WARM_UP_DELAY_MS, self._warm_up)
        splitter = self.settings.splitter()
        if splitter is not None:
            self.dataset_tab.splitter.restoreState(splitter)

    # tabs ---------------------------------------------------------------------
    def add_tab(
        self, widget: QWidget, title: str, icon_name: str | None = None
    ) -> None:
        """Add a tab; it gets ``set_document`` calls and may emit ``jump_requested``."""
        if icon_name:
            self.tabs.addTab(widget, icon(icon_name), title)
        else:
            self.tabs.addTab(widget, title)
        if widget is not self.dataset_tab:
            self.connect_tab(widget)

    def connect_tab(self, widget: QWidget) -> None:
        """Give ``widget`` the open document now and on every change; follow its jumps."""
        set_document = getattr(widget, "set_document", None)
        if callable(set_document):
            set_document(self._doc)
            self.document_changed.connect(set_document)
        jump = getattr(widget, "jump_requested", None)
        if jump is not None:
            jump.connect(self.jump_to_row)

    @Slot()
    def build_tabs(self) -> None:
        """Build every tab that is still a placeholder."""
        for tab in self.lazy_tabs:
            tab.ensure()

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if isinstance(widget, LazyTab):
            widget.ensure()

    def tab_entries(self) -> list[tuple[str, Callable[[], None]]]:
        """Return each tab's title and a function that shows it (View menu)."""
        entries: list[tuple[str, Callable[[], None]]] = []
        for i in range(self.tabs.count()):
            widget = self.tabs.widget(i)
            assert widget is not None
            entries.append(
                (self.tabs.tabText(i), partial(self.tabs.setCurrentWidget, widget))
            )
        return entries

    @Slot()
    def show_validator(self) -> None:
        """Show the Validator tab (e.g. the launcher's "Show findings" link)."""
        self.tabs.setCurrentWidget(self.lazy_tabs[0])

    def jump_to_row(self, row: int) -> None:
        """Show example ``row`` in the Dataset tab."""
        self.tabs.setCurrentWidget(self.dataset_tab)
        self.dataset_tab.jump_to_row(row)

    # documents ----------------------------------------------------------------
    @property
    def document(self) -> Document | None:
        """Return the open dataset."""
        return self._doc

    def set_document(self, doc: Document | None) -> None:
        """Show ``doc`` in every tab, closing the previous dataset."""
        old, self._doc = self._doc, doc
        if self._recovery is not None:
            self._recovery.stop()
            self._recovery = None
        if doc is not None:
            self.undo_group.addStack(doc.undo_stack)
            self.undo_group.setActiveStack(doc.undo_stack)
            doc.modified_changed.connect(self._update_title)
            doc.path_changed.connect(self._update_title)
            doc.validation_failed.connect(self.show_error)
            doc.runner.task_started.connect(self.progress.follow)
            doc.save_runner.task_started.connect(self.progress.follow)
            self._recovery = RecoveryKeeper(doc)
        self.dataset_tab.set_document(doc)
        self.document_changed.emit(doc)
        if old is not None:
            self.undo_group.removeStack(old.undo_stack)
            old.close()
            old.deleteLater()
        self.menu_actions.set_document_open(doc is not None)
        self.banner.hide()
        self._update_title()
        if doc is not None:
            doc.revalidate()

    def keep_recovery_copy(self) -> None:
        """Keep the dataset's unsaved edits as a recovery copy before a reload."""
        if self._recovery is not None:
            self._recovery.keep_now()

    def open_store(self, store: DatasetStore, title: str) -> None:
        """Show ``store`` as a new, unsaved dataset (an import result)."""
        if self.saving.maybe_save():
            self._show_store(store, title=title, unsaved=True)

    def open_path(self, path: Path, *, ask: bool = True) -> None:
        """Open ``path`` in the background, then offer its recovery copy.

        ``ask=False`` (a reload whose edits were kept as a recovery copy) asks
        neither about unsaved changes nor about recovery copies.
        """
        if not ask or self.saving.maybe_save():
            offer = partial(offer_for_file, self, Path(path)) if ask else None
            self._show_store(Path(path), on_shown=offer)

    def _show_store(
        self,
        source: DatasetStore | Path,
        *,
        title: str = "",
        unsaved: bool = False,
        on_shown: Callable[[], object] | None = None,
    ) -> None:
        # Indexing the file and loading the model's tokenizer (about 0.5 s the
        # first time) both happen on a worker, never on the GUI thread.
        model = self._model()
        name = source.name if isinstance(source, Path) else title

        def run(cancel: CancelToken) -> Generator[Any, None, tuple[Any, ...]]:
            if isinstance(source, Path):
                from ftstudio.core.dataset.store import DatasetStore

                store = yield from DatasetStore.open_iter(source, cancel)
            else:
                store = source
            yield Progress(0, None, "Loading the tokenizer")
            return store, make_validator(store, model)

        def shown(result: tuple[DatasetStore, RowValidator]) -> None:
            store, validator = result
            if store.path is not None and not unsaved:
                self.settings.add_recent_file(store.path)
                self.settings.set_last_folder(store.path.parent)
            doc = Document(
                store, title=title, model=model, validator=validator, unsaved=unsaved
            )
            self.set_document(doc)
            if on_shown is not None:
                on_shown()

        task = self._open_runner.start(run, f"Opening {name}")
        task.succeeded.connect(shown)
        task.failed.connect(self.show_error)
        task.start()

    @Slot()
    def _warm_up(self) -> None:
        model = self._model()

        task = self._warm_runner.start(preload(model), "Getting ready")
        task.finished.connect(self.build_tabs)  # cheaper now: numpy is loaded
        task.start()

    def restore_copy(self, copy: RecoveryCopy) -> None:
        """Open a recovery copy as unsaved changes to its original file."""
        try:
            store = copy.load()
        except FtError as error:
            self.show_error(error)
            return
        self._show_store(store, title=copy.title, unsaved=True, on_shown=copy.discard)

    def _model(self) -> str:
        from ftstudio.core.models import DEFAULT_MODEL

        return self.settings.model() or DEFAULT_MODEL

    # file menu ----------------------------------------------------------------
    @Slot()
    def new_document(self) -> None:
        """Start a new, empty dataset."""
        if self.saving.maybe_save():
            from ftstudio.core.dataset.store import DatasetStore

            self._show_store(DatasetStore.empty(), title="Untitled")

    @Slot()
    def choose_file(self) -> None:
        """Ask for a training file and open it."""
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Open a training file",
            str(self.settings.last_folder()),
            DATASET_FILTER,
        )
        if name:
            self.open_path(Path(name))

    @Slot()
    def fill_recent_menu(self) -> None:
        """List the recent files in File → Open Recent."""
        menu = self.menu_actions.recent
        menu.clear()
        files = self.settings.recent_files()
        for path in files:
            action = menu.addAction(path.name)
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        if not files:
            menu.addAction("No recent files").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear the list", self.settings.clear_recent_files)

    @Slot()
    def import_spreadsheet(self, path: Path | None = None) -> None:
        """Open the import dialog (for ``path`` when a spreadsheet was dropped)."""
        from ftstudio.gui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self, path=path, open_store=self.open_store)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot()
    def split(self) -> None:
        """Open the split dialog for the open dataset."""
        if self._doc is None:
            return
        from ftstudio.gui.dialogs.split_dialog import SplitDialog

        dialog = SplitDialog(self._doc, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # edit menu ----------------------------------------------------------------
    @Slot()
    def find_examples(self) -> None:
        """Put the cursor in the Dataset tab's search box."""
        self.tabs.setCurrentWidget(self.dataset_tab)
        self.dataset_tab.search.setFocus()
        self.dataset_tab.search.selectAll()

    # errors, title, drops, closing --------------------------------------------
    @Slot(object)
    def show_error(self, error: FtError) -> None:
        """Show ``error`` in the banner above the tabs."""
        self.banner.show_error(error)

    @Slot()
    def _update_title(self, *_args: object) -> None:
        doc = self._doc
        self.setWindowTitle(f"{doc.title}[*] — ftstudio" if doc else "ftstudio")
        self.setWindowModified(doc is not None and doc.modified)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if not urls or not urls[0].isLocalFile():
            return
        event.acceptProposedAction()
        path = Path(urls[0].toLocalFile())
        if path.suffix.lower() in SPREADSHEET_SUFFIXES:
            self.import_spreadsheet(path)
        else:
            self.open_path(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.saving.maybe_save():
            event.ignore()
            return
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_splitter(self.dataset_tab.splitter.saveState())
        self.settings.sync()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Cancel all background work and wait for it (with a timeout)."""
        self._open_runner.shutdown()
        self._warm_runner.shutdown()
        self.saving.shutdown()
        self.dataset_tab.shutdown()
        self.api_tabs.shutdown()
        if self._recovery is not None:
            self._recovery.stop()
            self._recovery = None
        if self._doc is not None:
            self._doc.close()
