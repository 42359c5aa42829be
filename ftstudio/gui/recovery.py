"""Autosave a recovery copy of unsaved edits; offer it back after a crash.

Copies live in ``user_data_dir()/recovery`` (never beside the user's file: a
sync folder or a read-only share must not fill with stray files), private to
the user (files ``0600`` in a ``0700`` folder: a dataset may hold private
data). Each copy is ``<id>.jsonl`` plus ``<id>.json`` describing where it came
from. A copy is offered whenever its file is opened, never over a file saved
after the copy was made.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from ftstudio.core.dataset.atomic import atomic_file, write_atomic
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.paths import user_data_dir
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    from ftstudio.core.cancel import CancelToken
    from ftstudio.core.dataset.store import DatasetStore
    from ftstudio.gui.document import Document
    from ftstudio.gui.mainwindow import MainWindow

INTERVAL_MS = 5000


def recovery_dir() -> Path:
    """Return the folder that holds recovery copies."""
    return user_data_dir() / "recovery"


@dataclass(frozen=True)
class RecoveryCopy:
    """One recovery copy left behind by a session that did not end cleanly."""

    data: Path
    original: Path | None
    title: str
    saved_at: float
    rows: int | None = None

    @property
    def meta(self) -> Path:
        """Return the description file beside the data."""
        return self.data.with_suffix(".json")

    def describe(self) -> str:
        """Say in words what this copy is."""
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        name = self.original.name if self.original else self.title
        held = "" if self.rows is None else f" ({self.rows:,} lines)"
        return f"Unsaved changes to {name} from {when}{held}"

    def superseded(self) -> bool:
        """Whether the original file was saved after this copy was made."""
        if self.original is None:
            return False
        try:
            return self.original.stat().st_mtime > self.saved_at
        except OSError:
            return False  # the file is gone: the copy is all that is left

    def load(self) -> DatasetStore:
        """Read the copy into a store that saves to the original file."""
        try:
            data = self.data.read_bytes()
        except OSError as exc:
            raise FtError(
                ErrorKind.IO, "The recovery copy could not be read.", str(exc)
            ) from exc
        from ftstudio.core.dataset.diskfile import DiskStamp
        from ftstudio.core.dataset.store import DatasetStore

        store = DatasetStore.from_bytes(data, self.original)
        if self.original is not None:
            # what a save must find unchanged: the file as it is now, older
            # than the copy (a newer one is never offered)
            store.stamp = DiskStamp.of(self.original)
        return store

    def discard(self) -> None:
        """Delete the copy."""
        self.data.unlink(missing_ok=True)
        self.meta.unlink(missing_ok=True)


def pending_copies() -> list[RecoveryCopy]:
    """Return the recovery copies on disk, newest first."""
    copies = []
    for meta in recovery_dir().glob("*.json"):
        data = meta.with_suffix(".jsonl")
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            original = Path(info["original"]) if info.get("original") else None
            rows = info.get("rows")
            copy = RecoveryCopy(
                data,
                original,
                str(info["title"]),
                float(info["saved_at"]),
                rows if isinstance(rows, int) else None,
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a half-written copy from a crash mid-autosave
        if (
            data.is_file()
            and not _still_running(info.get("pid"))
            and not copy.superseded()
        ):
            copies.append(copy)
    return sorted(copies, key=lambda c: c.saved_at, reverse=True)


def copies_for(path: Path) -> list[RecoveryCopy]:
    """Return the recovery copies of the file ``path`` that may be offered, newest first."""
    target = path.resolve()
    return [
        c for c in pending_copies() if c.original and c.original.resolve() == target
    ]


def ask_restore(parent: QWidget, copy: RecoveryCopy, lead: str) -> bool | None:
    """Ask whether to restore ``copy``: True restore, False discard, None not now."""
    answer = QMessageBox.question(
        parent,
        "Restore unsaved changes?",
        f"{lead} {copy.describe()} can be restored.\n\nRestore them as unsaved "
        "changes? Discard deletes them; Cancel asks again next time.",
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Yes,
    )
    if answer == QMessageBox.StandardButton.Yes:
        return True
    if answer == QMessageBox.StandardButton.Discard:
        return False
    return None


def _still_running(pid: object) -> bool:
    """Whether another ftstudio that wrote a copy is still open (not a crash)."""
    if not isinstance(pid, int) or pid == os.getpid() or sys.platform == "win32":
        # (on Windows os.kill would end that process, not probe it)
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def _private_folder() -> Path:
    folder = recovery_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if sys.platform != "win32":
        folder.chmod(0o700)  # made by an older version, or under another umask
    return folder


def write_copy(
    doc_id: str,
    chunks: Iterable[bytes],
    original: Path | None,
    title: str,
    rows: int,
) -> None:
    """Write the recovery copy ``doc_id`` (private: ``0600`` in a ``0700`` folder)."""
    folder = _private_folder()
    data, meta = folder / f"{doc_id}.jsonl", folder / f"{doc_id}.json"
    with atomic_file(data, mode=0o600) as out:
        out.writelines(chunks)
    info = {
        "original": str(original) if original else None,
        "title": title,
        "saved_at": time.time(),
        "pid": os.getpid(),
        "rows": rows,
    }
    write_atomic(meta, json.dumps(info).encode("utf-8"), mode=0o600)


class RecoveryKeeper(QObject):
    """Writes a recovery copy of one document every few seconds while it has unsaved edits."""

    def __init__(self, doc: Document, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(doc)
        self._doc = doc
        self._id = uuid.uuid4().hex
        self._dirty = doc.modified
        self._runner = TaskRunner(self)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.autosave)
        self._timer.start()
        doc.undo_stack.indexChanged.connect(self._on_changed)
        doc.modified_changed.connect(self._on_modified)

    @Slot(int)
    def _on_changed(self, _index: int) -> None:
        self._dirty = True

    @Slot(bool)
    def _on_modified(self, modified: bool) -> None:
        if not modified:
            self.discard()

    @Slot()
    def autosave(self) -> None:
        """Write the copy now if there are edits since the last one."""
        doc = self._doc
        if not self._dirty or not doc.modified:
            return
        self._dirty = False
        store, doc_id, title = doc.store, self._id, doc.title
        rows = len(store)

        def run(_cancel: CancelToken) -> Generator[None, None, None]:
            # iter_bytes snapshots the row table first: GUI edits meanwhile are safe
            write_copy(doc_id, store.iter_bytes(), store.path, title, rows)
            yield from ()

        task = self._runner.start(run, "Writing a recovery copy")
        task.failed.connect(self._on_failed)
        task.start()

    @Slot(object)
    def _on_failed(self, _error: FtError) -> None:
        self._dirty = True  # try again next tick; a recovery copy is best effort

    def keep_now(self) -> None:
        """Write the copy now, waiting for it, and stop managing it (a reload).

        The copy outlives this document: it is offered the next time its file
        is opened, unless that file is saved after it.
        """
        self._timer.stop()
        self._runner.shutdown()
        doc = self._doc
        write_copy(
            uuid.uuid4().hex,
            doc.store.iter_bytes(),
            doc.path,
            doc.title,
            len(doc.store),
        )

    def discard(self) -> None:
        """Delete this document's copy (saved, or closed on purpose)."""
        self._runner.shutdown()
        copy = recovery_dir() / f"{self._id}.jsonl"
        RecoveryCopy(copy, None, "", 0).discard()

    def stop(self) -> None:
        """Stop autosaving and delete the copy (the document closes cleanly)."""
        self._timer.stop()
        self.discard()


def offer_for_file(window: MainWindow, path: Path) -> None:
    """Offer the newest recovery copy of ``path`` that the window just opened."""
    copies = copies_for(path)
    if not copies:
        return
    newest = copies[0]
    answer = ask_restore(
        window, newest, f"{path.name} has changes that were not saved."
    )
    if answer:
        window.restore_copy(newest)
    elif answer is not None:
        newest.discard()
