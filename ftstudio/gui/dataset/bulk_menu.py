"""The "Bulk actions" menu: ask, then apply one edit to many examples."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    from ftstudio.core.cancel import CancelToken
    from ftstudio.core.dataset.edits import SetKeys
    from ftstudio.core.dataset.store import DatasetStore
    from ftstudio.core.errors import FtError
    from ftstudio.gui.dataset.tab import DatasetTab
    from ftstudio.workers import TaskFn

    Build = Callable[[DatasetStore, list[int]], SetKeys | None]


def _build_task(build: Build, store: DatasetStore, rows: list[int]) -> TaskFn:
    def run(_cancel: CancelToken) -> Generator[None, None, SetKeys | None]:
        yield None  # a checkpoint: a newer request cancels this one here
        return build(store, rows)

    return run


class BulkMenu(QMenu):
    """Bulk actions on the selected examples (when several are) or the whole file."""

    def __init__(self, tab: DatasetTab) -> None:
        super().__init__("Bulk actions", tab)
        self._tab = tab
        self.runner = TaskRunner(self)
        self._pending: tuple[int, str] | None = None  # store version, message
        self.setToolTipsVisible(True)
        for text, tip, slot in (
            (
                "Set the system prompt…",
                "Give every example the same instructions (replaces an existing system prompt)",
                self.set_system_prompt,
            ),
            (
                "Remove the system prompt",
                "Delete the system messages",
                self.remove_system_prompt,
            ),
            (
                "Train only on the last reply",
                "Earlier assistant replies stay as context but are not trained on",
                self.train_only_last,
            ),
            (
                "Delete duplicates",
                "Keep the first of each set of identical examples",
                self.delete_duplicates,
            ),
        ):
            action = self.addAction(text)
            action.setToolTip(tip)
            action.triggered.connect(slot)

    def _scope(self) -> tuple[list[int], str]:
        rows = self._tab.scope_rows()
        noun = "example" if len(rows) == 1 else "examples"
        if len(rows) == self._total():
            return rows, f"all {len(rows):,} {noun}"
        return rows, f"the {len(rows):,} selected {noun}"

    def _total(self) -> int:
        doc = self._tab.document
        return len(doc.store) if doc is not None else 0

    def _run(self, build: Build, nothing: str) -> None:
        """Build one edit over the examples in scope on a worker, then push it.

        On 400,000 rows building takes seconds, so the window stays responsive;
        the edit is applied only if the dataset did not change meanwhile.
        """
        doc = self._tab.document
        if doc is None or self.runner.current is not None:
            return
        rows, _scope = self._scope()
        store = doc.store
        self._pending = (store.version, nothing)
        self.setEnabled(False)
        task = self.runner.start(
            _build_task(build, store, rows), "Changing the examples"
        )
        task.succeeded.connect(self._on_built)
        task.failed.connect(self._on_failed)
        task.finished.connect(self._on_finished)
        task.start()

    @Slot(object)
    def _on_built(self, edit: SetKeys | None) -> None:
        doc = self._tab.document
        if doc is None or self._pending is None:
            return
        version, nothing = self._pending
        if doc.store.version != version:
            QMessageBox.information(
                self._tab,
                "Nothing changed",
                "The examples changed while this was being prepared, so nothing was "
                "changed. Choose the bulk action again.",
            )
            return
        if edit is None:
            QMessageBox.information(self._tab, "Nothing to change", nothing)
            return
        doc.push(edit)

    @Slot(object)
    def _on_failed(self, error: FtError) -> None:
        QMessageBox.warning(self._tab, "Bulk action failed", error.message)

    @Slot()
    def _on_finished(self) -> None:
        self._pending = None
        self.setEnabled(True)

    def shutdown(self) -> None:
        """Stop a bulk edit being prepared (the window is closing)."""
        self.runner.shutdown()

    @Slot()
    def set_system_prompt(self) -> None:
        """Ask for a system prompt and give it to every example in scope."""
        doc = self._tab.document
        if doc is None:
            return
        scope = self._scope()[1]
        text, ok = QInputDialog.getMultiLineText(
            self._tab,
            "Set the system prompt",
            f"System prompt for {scope}:",
        )
        if not ok:
            return
        from ftstudio.core.dataset import bulk

        self._run(
            lambda store, scoped: bulk.set_system_prompt(store, scoped, text),
            "Those examples already have exactly that system prompt.",
        )

    @Slot()
    def remove_system_prompt(self) -> None:
        """Remove system messages from every example in scope."""
        from ftstudio.core.dataset import bulk

        self._run(
            bulk.remove_system_prompt, "None of those examples has a system prompt."
        )

    @Slot()
    def train_only_last(self) -> None:
        """Train only on the last assistant reply of every example in scope."""
        from ftstudio.core.dataset import bulk

        self._run(
            bulk.train_only_last_reply,
            "Those examples already train only on their last reply.",
        )

    @Slot()
    def delete_duplicates(self) -> None:
        """Delete repeated examples in scope, keeping the first of each."""
        from ftstudio.core.dataset import bulk

        self._run(bulk.delete_duplicates, "There are no duplicate examples.")
