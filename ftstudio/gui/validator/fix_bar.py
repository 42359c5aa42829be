"""Buttons for the validator's automatic fixes; each fix is one undoable step."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ftstudio.core.progress import Progress
from ftstudio.core.validation.fixlist import (
    BY_NAME,
    FIX_ALL,
    FIXES,
    FixName,
    FixSpec,
    run_fix,
)
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ftstudio.core.cancel import CancelToken
    from ftstudio.core.dataset.edits import Edit
    from ftstudio.core.dataset.store import DatasetStore, Keys, Layout
    from ftstudio.core.errors import FtError
    from ftstudio.core.validation.findings import Finding
    from ftstudio.core.validation.report import Report
    from ftstudio.gui.document import Document


@dataclass(frozen=True)
class _Pending:
    """A fix being prepared, and the rows and layout it was prepared from."""

    spec: FixSpec
    keys: Keys
    layout: Layout


def _fix_task(
    spec: FixSpec, store: DatasetStore, target: str
) -> Callable[[CancelToken], Generator[Progress, None, Edit | None]]:
    def run(_cancel: CancelToken) -> Generator[Progress, None, Edit | None]:
        yield Progress(0, None, spec.label)
        # reads lines, adds only new keys (thread-safe)
        return run_fix(spec, store, target)

    return run


class FixBar(QWidget):
    """A row with one button per fix that the current report calls for."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc: Document | None = None
        self.buttons: dict[FixName, QPushButton] = {}
        self.runner = TaskRunner(self)
        self._pending: _Pending | None = None
        self._codes: set[str] = set()
        self.target = "openai"
        """The trainer the file is checked for: its own fields survive the fixes."""
        self.none_needed = QLabel("None needed.")
        self.result = QLabel()
        self.result.setAccessibleName("Result of the last fix")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Automatic fixes:"))
        layout.addWidget(self.none_needed)
        for spec in (*FIXES, FIX_ALL):
            button = QPushButton(spec.label)
            button.setToolTip(f"{spec.tooltip}\n\nEdit → Undo takes it back.")
            button.setAccessibleName(spec.label)
            button.setProperty("fix", spec.function.value)
            button.clicked.connect(self._on_clicked)
            layout.addWidget(button)
            self.buttons[spec.function] = button
        layout.addWidget(self.result, 1)
        self.show_report(None)

    def set_document(self, doc: Document | None) -> None:
        """Apply fixes to ``doc`` (None: no buttons)."""
        self.runner.shutdown()  # a fix prepared for the previous dataset is void
        self._pending = None
        self._doc = doc
        self.result.setText("")
        self.show_report(doc.report if doc is not None else None)

    def show_report(
        self, report: Report | None, findings: Sequence[Finding] | None = None
    ) -> None:
        """Offer the fixes for ``report``'s fixable findings.

        ``findings`` replaces the report's own when the tab shows another
        trainer's view of them (a field that trainer reads is no finding there).
        """
        if findings is None:
            findings = report.findings if report is not None else ()
        codes = {f.code for f in findings if f.fixable} if report is not None else set()
        self._codes = codes
        offered = 0
        for spec in FIXES:
            wanted = self._doc is not None and bool(spec.codes & codes)
            offered += wanted
            self._offer(spec, wanted)
        self._offer(FIX_ALL, offered > 1)
        self.none_needed.setVisible(report is not None and not offered)

    def _offer(self, spec: FixSpec, wanted: bool) -> None:
        button = self.buttons[spec.function]
        button.setHidden(not wanted)
        button.setEnabled(wanted and self._pending is None)

    @Slot()
    def _on_clicked(self) -> None:
        button = self.sender()
        name = button.property("fix") if isinstance(button, QPushButton) else None
        spec = BY_NAME.get(FixName(name)) if name in BY_NAME else None
        if spec is not None:
            self.apply(spec)

    def apply(self, spec: FixSpec) -> None:
        """Prepare ``spec`` off the GUI thread, then apply it as one undo step.

        Removing duplicates reads every line (half a second for 100 MB) and
        converting pretty-printed JSON parses the whole file, so the edit is
        built on a worker (``DatasetStore.new_key`` is thread-safe); it is
        applied only if the dataset did not change meanwhile.
        """
        doc = self._doc
        if doc is None or self._pending is not None:
            return
        store = doc.store
        self._pending = _Pending(spec, store.keys, store.layout)
        for button in self.buttons.values():
            button.setEnabled(False)
        self.result.setText(f"{spec.label}…")
        task = self.runner.start(_fix_task(spec, store, self.target), spec.label)
        task.succeeded.connect(self._on_prepared)
        task.failed.connect(self._on_failed)
        task.start()

    @Slot(object)
    def _on_prepared(self, edit: Edit | None) -> None:
        pending, self._pending = self._pending, None
        doc = self._doc
        self.show_report(doc.report if doc is not None else None)  # buttons back
        if pending is None or doc is None:
            return
        store = doc.store
        # ``keys`` is a read-only view; an edit replaces the array behind it
        if store.keys.base is not pending.keys.base or store.layout != pending.layout:
            # built from the lines as they were: applying it would undo the edit
            self.result.setText(
                "The dataset changed while the fix was prepared, so nothing was "
                "changed. Click the button again."
            )
            return
        if edit is None:
            self.result.setText("Nothing to change: this is already fixed.")
            return
        doc.push(edit)  # the tab re-checks a layout-only change (see its undo hook)
        self.result.setText(
            f"Done: {pending.spec.label.lower()}. Edit → Undo takes it back."
        )

    @Slot(object)
    def _on_failed(self, error: FtError) -> None:
        self._pending = None
        self.result.setText(error.message)
        self.result.setToolTip(error.detail)
        doc = self._doc
        self.show_report(doc.report if doc is not None else None)
