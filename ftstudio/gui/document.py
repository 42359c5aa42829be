"""One open dataset: its store, undo stack and background validation."""

from __future__ import annotations

import logging
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QUndoStack

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.models import DEFAULT_MODEL
from ftstudio.gui.undo import EditCommand
from ftstudio.workers import Task, TaskRunner

if TYPE_CHECKING:
    from ftstudio.core.cancel import CancelToken
    from ftstudio.core.dataset.edits import Edit
    from ftstudio.core.dataset.events import StoreEvent
    from ftstudio.core.dataset.store import DatasetStore
    from ftstudio.core.progress import Progress
    from ftstudio.core.validation.findings import Finding
    from ftstudio.core.validation.report import Report

log = logging.getLogger(__name__)

REVALIDATE_DELAY_MS = 150
"""Typing bursts re-validate once, shortly after the last key."""
CHECK_FILE_MS = 2000
"""How often the file on disk is looked at (one ``stat``) for other programs' changes."""


class RowValidator(Protocol):
    """What the document needs from ``ftstudio.core.validation.validator.Validator``."""

    def run(self, cancel: CancelToken) -> Generator[Progress, None, Report]: ...
    def set_model(self, name: str) -> None: ...
    def row_info(self, row: int) -> Any: ...
    def row_findings(self, row: int) -> list[Finding]: ...


def make_validator(store: DatasetStore, model: str) -> RowValidator:
    """Return the core validator for ``store`` (imported lazily: it loads encodings)."""
    from ftstudio.core.validation.validator import Validator

    return Validator(store, model)


class Document(QObject):
    """An open dataset as the window sees it.

    Parameters
    ----------
    store
        The dataset's lines.
    title
        A name for a dataset that has no file yet (an import result).
    model
        The target model that validation and token counts use.
    validator
        A validator to use instead of the core one (tests).
    unsaved
        Whether the dataset starts modified (a new dataset that was never saved).
    """

    report_changed = Signal(object)
    """A new validation :class:`Report` (after open, edits and model changes)."""
    rows_changed = Signal(int, int)
    """First and last row whose validation status changed (edits come as below)."""
    about_to_change = Signal(object)
    """A :class:`StoreEvent` is about to happen: the store still has the old rows."""
    changed = Signal(object)
    """A :class:`StoreEvent` happened (the table model first, then everyone else)."""
    model_changed = Signal(str)
    """The target model changed to this name."""
    validation_progress = Signal(object)
    """A :class:`Progress` of the running validation."""
    validation_failed = Signal(object)
    """Validation raised this :class:`FtError`."""
    early_findings = Signal(object)
    """The first structural findings of a big first check (an ``EarlyBatch``)."""
    modified_changed = Signal(bool)
    """Whether the dataset differs from its file now."""
    path_changed = Signal(object)
    """The dataset now belongs to this file (after Save As)."""
    file_changed = Signal()
    """Another program changed or removed the file (said once per change)."""

    def __init__(
        self,
        store: DatasetStore,
        *,
        title: str = "",
        model: str = DEFAULT_MODEL,
        validator: RowValidator | None = None,
        unsaved: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.undo_stack = QUndoStack(self)
        self.validator = validator or make_validator(store, model)
        self.runner = TaskRunner(self)
        self.save_runner = TaskRunner(self)
        self._model = model
        self._title = title
        self._report: Report | None = None
        self._unsaved = unsaved
        self._save_index = 0
        self._pending_model: str | None = None
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REVALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.revalidate)
        self._reported: object = store.stamp
        self._file_timer = QTimer(self)
        self._file_timer.setInterval(CHECK_FILE_MS)
        self._file_timer.timeout.connect(self.check_file)
        if store.stamp is not None:
            self._file_timer.start()
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        store.subscribe(self)  # the store's one listener: the rest hear it from here

    # identity -----------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        """Return the file this dataset saves to, or None for a new dataset."""
        return self.store.path

    @property
    def title(self) -> str:
        """Return the file name, or the given title for a new dataset."""
        if self.store.path is not None:
            return self.store.path.name
        return self._title or "Untitled"

    @property
    def modified(self) -> bool:
        """Whether there are changes that are not saved."""
        return self._unsaved or not self.undo_stack.isClean()

    # validation ---------------------------------------------------------------
    @property
    def model(self) -> str:
        """Return the target model's name."""
        return self._model

    def set_model(self, name: str) -> None:
        """Change the target model and re-validate in the background."""
        if name == self._model:
            return
        self._model = name
        self._pending_model = name
        self.model_changed.emit(name)
        self.revalidate()

    @property
    def report(self) -> Report | None:
        """Return the latest validation report (None until the first run ends)."""
        return self._report

    def revalidate(self) -> None:
        """Validate in the background, replacing any run still going."""
        self._timer.stop()
        validator, model = self.validator, self._pending_model
        self._pending_model = None
        if model is not None:
            # the validator changes models between runs only: stop the running one
            self.runner.shutdown()

        def run(cancel: CancelToken) -> Generator[object, None, Report]:
            # imported here, on the worker thread: the validator's modules are
            # not needed for the first window
            from ftstudio.core.validation.early import early_apart

            if model is not None:
                # a new tokenizer takes a moment to load: not on the GUI thread
                validator.set_model(model)
            return (yield from early_apart(validator.run(cancel)))

        task = self.runner.start(run, "Checking the examples")
        task.progressed.connect(self._on_validation_progress)
        task.partial.connect(self._on_validation_partial)
        task.succeeded.connect(self._on_validated)
        task.failed.connect(self._on_validation_failed)
        task.start()

    @Slot(object)
    def _on_validation_progress(self, progress: Progress) -> None:
        self.validation_progress.emit(progress)

    @Slot(list)
    def _on_validation_partial(self, items: list[object]) -> None:
        from ftstudio.core.validation.early import EarlyBatch

        for item in items:
            if isinstance(item, EarlyBatch):
                self.early_findings.emit(item)

    @Slot(object)
    def _on_validated(self, report: Report) -> None:
        self._report = report
        self.report_changed.emit(report)
        if len(self.store):
            self.rows_changed.emit(0, len(self.store) - 1)

    @Slot(object)
    def _on_validation_failed(self, error: FtError) -> None:
        self.validation_failed.emit(error)

    # editing ------------------------------------------------------------------
    def push(self, edit: Edit, merge_key: str | None = None) -> None:
        """Apply ``edit`` through the undo stack as one step.

        Consecutive edits with the same ``merge_key`` (typing in one field) merge
        into one step.
        """
        self.undo_stack.push(EditCommand(self.store, edit, merge_key))

    def store_about_to_change(self, event: StoreEvent) -> None:
        """Relay the store's announcement (the table model begins its change)."""
        self.about_to_change.emit(event)

    def store_changed(self, event: StoreEvent) -> None:
        """Relay the change and re-validate shortly after the last one."""
        self.changed.emit(event)
        self._timer.start()

    @Slot(bool)
    def _on_clean_changed(self, _clean: bool) -> None:
        self.modified_changed.emit(self.modified)

    # the file on disk -------------------------------------------------------------
    @Slot()
    def check_file(self) -> bool:
        """Say (once) if another program changed the file; return whether it did."""
        from ftstudio.core.dataset.diskfile import DiskStamp

        store = self.store
        if store.path is None or store.stamp is None or self._closed:
            return False
        now = DiskStamp.of(store.path)
        if now == store.stamp:
            return False
        if now != self._reported:
            self._reported = now
            self.file_changed.emit()
        return True

    # saving -------------------------------------------------------------------
    def save(self, path: Path | None = None) -> Task:
        """Save atomically in the background; return the started task.

        ``path`` None saves to the dataset's own file, first checking that no
        other program changed it (if one did, ``failed`` gets an error of kind
        ``"changed"`` and :attr:`file_changed` is emitted). On success the
        dataset belongs to the saved file and is no longer modified; on failure
        the task's ``failed`` says why and nothing changes.
        """
        store = self.store
        target = path if path is not None else store.path
        if target is None:
            raise FtError(ErrorKind.IO, "Choose where to save this new dataset first.")
        index = self.undo_stack.index()

        def run(_cancel: CancelToken) -> Generator[None, None, Path]:
            # store.save snapshots the row table first, so edits made while the
            # file is written are simply not part of this save.
            saved = store.save(path)
            yield from ()
            return saved

        task = self.save_runner.start(run, f"Saving {target.name}")
        self._save_index = index
        task.succeeded.connect(self._on_saved)
        task.failed.connect(self._on_save_failed)
        return task.start()

    def save_now(self, path: Path | None = None) -> Path:
        """Save and wait (the window is about to close or switch datasets).

        Raises
        ------
        FtError
            As :meth:`save` reports it; kind ``"changed"`` also emits
            :attr:`file_changed`.
        """
        self.save_runner.shutdown()  # a background save of the same file first
        self._save_index = self.undo_stack.index()
        try:
            saved = self.store.save(path)
        except FtError as error:
            self._on_save_failed(error)
            raise
        self._on_saved(saved)
        return saved

    @Slot(object)
    def _on_save_failed(self, error: FtError) -> None:
        if error.kind is ErrorKind.CHANGED:
            self._reported = None  # say it again, even if it was said before
            self.check_file()

    @Slot(object)
    def _on_saved(self, saved: Path) -> None:
        old = self.store.path
        if old != saved:
            self.store.adopt(saved)
        if not self._file_timer.isActive() and not self._closed:
            self._file_timer.start()  # a new dataset now has a file to watch
        self._reported = self.store.stamp
        self._unsaved = False
        if self.undo_stack.index() == self._save_index:
            self.undo_stack.setClean()
        self.modified_changed.emit(self.modified)
        if old != saved:
            self.path_changed.emit(saved)

    def close(self) -> None:
        """Stop background work and release the dataset's bytes (the document is done)."""
        self._timer.stop()
        self._file_timer.stop()
        self.runner.shutdown()
        self.save_runner.shutdown()
        if not self._closed:  # closing twice (a window closed twice) is harmless
            self._closed = True
            self.store.unsubscribe(self)
            self.store.close()
