"""A thin ``QUndoCommand`` over the core's undo-as-data edits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from ftstudio.core.dataset.edits import Edit
    from ftstudio.core.dataset.store import DatasetStore

_TYPING_ID = 1


class EditCommand(QUndoCommand):
    """Apply a core :class:`Edit` on redo and its inverse on undo.

    Commands with the same ``merge_key`` (one field of one example) merge, so a
    burst of typing is one undo step.
    """

    def __init__(
        self, store: DatasetStore, edit: Edit, merge_key: str | None = None
    ) -> None:
        super().__init__(edit.label)
        self._store = store
        self._forward: Edit = edit
        self._inverse: Edit | None = None
        self.merge_key = merge_key

    def redo(self) -> None:
        self._inverse = self._forward.apply(self._store)

    def undo(self) -> None:
        assert self._inverse is not None, "undo before redo"
        self._forward = self._inverse.apply(self._store)

    def id(self) -> int:
        return _TYPING_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or other.merge_key != self.merge_key:
            return False
        from ftstudio.core.dataset.edits import Splice

        mine, theirs = self._forward, other._forward
        # Only single-row replacements merge: their inverses compose trivially
        # (keep our inverse, which restores the line from before the burst).
        if not (
            isinstance(mine, Splice)
            and isinstance(theirs, Splice)
            and mine.row == theirs.row
            and mine.remove == theirs.remove == 1
            and len(mine.insert) == len(theirs.insert) == 1
        ):
            return False
        self._forward = theirs
        # the line of the keystroke before is in no command now: one line per
        # undo step is kept, not one per keystroke
        self._store.retire_key(mine.insert[0])
        return True
