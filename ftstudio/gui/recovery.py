"""Autosave a recovery copy of unsaved edits; offer it back after a crash.

Copies live in ``user_data_dir()/recovery`` (never beside the user's file: a
sync folder or a read-only share must not fill with stray files). Each copy is
``<id>.jsonl`` plus ``<id>.json`` describing where it came from.
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

from ftstudio.core.errors import FtError
from ftstudio.core.paths import user_data_dir
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    from ftstudio.core.cancel import CancelToken
    from ftstudio.core.dataset.store import DatasetStore
    from ftstudio.gui.document import Document

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

    @property
    def meta(self) -> Path:
        """Return the description file beside the data."""
        return self.data.with_suffix(".json")

    def describe(self) -> str:
        """Say in words what this copy is."""
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        name = self.original.name if self.original else self.title
        return f"Unsaved changes to {name} from {when}"

    def load(self) -> DatasetStore:
        """Read the copy into a store that saves to the original file."""
        try:
            data = self.data.read_bytes()
        except OSError as exc:
            raise FtError(
                "io", "The recovery copy could not be read.", str(exc)
            ) from exc
        from ftstudio.core.dataset.store import DatasetStore

        return DatasetStore.from_bytes(data, self.original)

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
            copy = RecoveryCopy(
                data, original, str(info["title"]), float(info["saved_at"])
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a half-written copy from a crash mid-autosave
        if data.is_file() and not _still_running(info.get("pid")):
            copies.append(copy)
    return sorted(copies, key=lambda c: c.saved_at, reverse=True)


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


def _write(
    doc_id: str, chunks: Iterable[bytes], original: Path | None, title: str
) -> None:
    folder = recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    data, meta = folder / f"{doc_id}.jsonl", folder / f"{doc_id}.json"
    tmp = data.with_suffix(".tmp")
    with tmp.open("wb") as out:
        out.writelines(chunks)
    tmp.replace(data)
    info = {
        "original": str(original) if original else None,
        "title": title,
        "saved_at": time.time(),
        "pid": os.getpid(),
    }
    meta.write_text(json.dumps(info), encoding="utf-8")


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

        def run(_cancel: CancelToken) -> Generator[None, None, None]:
            # iter_bytes snapshots the row table first: GUI edits meanwhile are safe
            _write(doc_id, store.iter_bytes(), store.path, title)
            yield from ()

        task = self._runner.start(run, "Writing a recovery copy")
        task.failed.connect(self._on_failed)
        task.start()

    @Slot(object)
    def _on_failed(self, _error: FtError) -> None:
        self._dirty = True  # try again next tick; a recovery copy is best effort

    def discard(self) -> None:
        """Delete this document's copy (saved, or closed on purpose)."""
        self._runner.shutdown()
        copy = recovery_dir() / f"{self._id}.jsonl"
        RecoveryCopy(copy, None, "", 0).discard()

    def stop(self) -> None:
        """Stop autosaving and delete the copy (the document closes cleanly)."""
        self._timer.stop()
        self.discard()
