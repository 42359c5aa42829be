"""The dataset store: every line kept, parsed on demand, edited as key splices.

Rows are a numpy array of *keys*. A key below ``original_count`` is a line of the
file as it was read (into memory: a file another program shortens while it is
open must not crash the studio, as a memory map would); a larger key is an
overlay line created by an edit. Edits never modify bytes in place: they splice the key
array, so an edit's inverse is simply the opposite splice, an unedited line keeps
its exact bytes on save, and anything cached per key (parses, validation) stays
valid until that key leaves the table.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.dataset.atomic import atomic_file, clean_stale_temps
from ftstudio.core.dataset.diskfile import DiskStamp, changed_message, read_file
from ftstudio.core.dataset.events import ChangeKind, StoreEvent, StoreListener
from ftstudio.core.dataset.lineindex import BOM, LineIndex, index_lines
from ftstudio.core.dataset.overlay import Overlay
from ftstudio.core.dataset.parse import ParsedLine, parse_line
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.progress import Progress, run_to_end

Keys = npt.NDArray[np.int64]
_PARSE_CACHE = 4096


@dataclass(frozen=True)
class Layout:
    """File-level byte conventions that a save reproduces (and fixes may change)."""

    bom: bool = False
    crlf: bool = False
    final_newline: bool = True
    normalized: bool = False
    """Whether every line gets :attr:`newline`, even unedited ones (line-ending fix)."""

    @property
    def newline(self) -> bytes:
        """Return the line terminator new lines get."""
        return b"\r\n" if self.crlf else b"\n"


class DatasetStore:
    """All lines of one dataset, lossless and lazily parsed.

    Build one with :meth:`open` / :meth:`open_iter` (a file), :meth:`from_bytes`
    or :meth:`empty`.
    """

    def __init__(
        self,
        data: bytes | bytearray,
        index: LineIndex,
        path: Path | None,
        stamp: DiskStamp | None = None,
    ):
        self._data = data
        self._view = memoryview(data) if len(data) else memoryview(b"")
        self._starts = index.starts
        self.original_count = index.line_count
        self.path = path
        self.stamp = stamp
        """The file at :attr:`path` as last read or written (None: not known)."""
        self.source_stamp = stamp
        """The file whose bytes the original lines are (None once a save changed it)."""
        self.original_crlf_lines = index.crlf_lines
        self.original_layout = Layout(
            bom=index.bom,
            crlf=index.line_count > 0 and index.crlf_lines * 2 > index.line_count,
            final_newline=index.final_newline or index.line_count == 0,
        )
        self.layout = self.original_layout
        self._overlay = Overlay(self.original_count)
        self._keys: Keys = self._tracked(np.arange(self.original_count, dtype=np.int64))
        self._parsed: OrderedDict[int, ParsedLine] = OrderedDict()
        self._listeners: list[StoreListener] = []
        self.version = 0
        """Counts changes to rows and layout; a snapshot with another is stale."""

    # construction -----------------------------------------------------------
    @classmethod
    def open_iter(
        cls, path: str | os.PathLike[str], cancel: CancelToken = NEVER
    ) -> Generator[Progress, None, DatasetStore]:
        """Open ``path``: read it, index its lines with progress, return the store.

        Temporary files that a killed save left beside it are removed.

        Raises
        ------
        FtError
            If the path is missing, a folder, cannot be read, or kept changing
            while it was read.
        """
        p = Path(path)
        data, stamp = yield from read_file(p, cancel)
        clean_stale_temps(p)
        index = yield from index_lines(memoryview(data) if data else b"", cancel)
        return cls(data, index, p, stamp)

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], cancel: CancelToken = NEVER
    ) -> DatasetStore:
        """Open ``path`` without reporting progress."""
        return run_to_end(cls.open_iter(path, cancel))

    @classmethod
    def from_bytes(cls, data: bytes, path: Path | None = None) -> DatasetStore:
        """Build a store over bytes already in memory."""
        return cls(data, run_to_end(index_lines(data)), path)

    @classmethod
    def empty(cls) -> DatasetStore:
        """Return a new, empty, unsaved dataset."""
        return cls.from_bytes(b"")

    # reading ----------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._keys)

    @property
    def keys(self) -> Keys:
        """Return the row → key table (read-only view)."""
        view = self._keys.view()
        view.flags.writeable = False
        return view

    def key(self, row: int) -> int:
        """Return the key of ``row``: stable while that content stays in the table."""
        return int(self._keys[row])

    @property
    def line_offsets(self) -> Keys:
        """Return where each original line starts in the file, plus its end (read-only).

        Lets worker processes read their share of the file by path.
        """
        view = self._starts.view()
        view.flags.writeable = False
        return view

    def raw_for_key(self, key: int) -> bytes:
        """Return the bytes of the line ``key`` without its terminator."""
        if key >= self.original_count:
            return self._overlay[key]
        start, end = int(self._starts[key]), int(self._starts[key + 1])
        line = self._view[start:end].tobytes()
        if line.endswith(b"\n"):
            line = line[:-2] if line.endswith(b"\r\n") else line[:-1]
        return line

    def raw(self, row: int) -> bytes:
        """Return the bytes of ``row`` without its terminator."""
        return self.raw_for_key(int(self._keys[row]))

    def parsed_for_key(self, key: int) -> ParsedLine:
        """Return the parse of line ``key`` (cached, least recently used first out)."""
        hit = self._parsed.get(key)
        if hit is not None:
            self._parsed.move_to_end(key)
            return hit
        result = parse_line(self.raw_for_key(key))
        self._parsed[key] = result
        if len(self._parsed) > _PARSE_CACHE:
            self._parsed.popitem(last=False)
        return result

    def parsed(self, row: int) -> ParsedLine:
        """Return the parse of ``row``."""
        return self.parsed_for_key(int(self._keys[row]))

    def iter_raw(self) -> Iterator[bytes]:
        """Yield every row's bytes in order."""
        for key in self._keys.tolist():
            yield self.raw_for_key(key)

    def is_original(self, key: int) -> bool:
        """Whether ``key`` is a line of the file on disk, unedited."""
        return key < self.original_count

    @property
    def edited(self) -> bool:
        """Whether the rows or layout differ from the file on disk."""
        return self.layout != self.original_layout or not np.array_equal(
            self._keys, np.arange(self.original_count)
        )

    # editing (low level: undoable commands in ``edits`` call these) -----------
    def new_key(self, raw: bytes) -> int:
        """Store ``raw`` as a new overlay line and return its key (thread-safe).

        A new key is not in the row table until an edit splices it in, so a
        worker may build an edit's lines while the GUI thread edits.
        """
        if b"\n" in raw:
            msg = "A line cannot contain a newline; serialise values compactly."
            raise ValueError(msg)
        return self._overlay.add(raw)

    def retire_key(self, key: int) -> None:
        """Say that no edit refers to the line ``key`` any more (superseded typing).

        Its bytes are freed once no row table that a task may be reading holds it.
        """
        if key < self.original_count or key in self._keys:
            return
        for freed in self._overlay.retire(key):
            self._parsed.pop(freed, None)

    @property
    def edited_lines(self) -> int:
        """Return how many lines edits created that are still kept."""
        return len(self._overlay)

    def _tracked(self, keys: Keys) -> Keys:
        self._overlay.track(keys)
        return keys

    def splice(self, row: int, remove: int, insert: Sequence[int]) -> list[int]:
        """Replace ``remove`` rows at ``row`` by the lines ``insert``; return the removed keys."""
        if (
            not 0 <= row <= len(self._keys)
            or remove < 0
            or row + remove > len(self._keys)
        ):
            msg = f"splice({row}, {remove}) outside 0..{len(self._keys)}"
            raise IndexError(msg)
        removed: list[int] = self._keys[row : row + remove].tolist()
        new = np.asarray(insert, dtype=np.int64)
        event = StoreEvent(ChangeKind.SPLICE, row, remove, len(new), self.version + 1)
        self._announce(event)
        self._keys = self._tracked(
            np.concatenate((self._keys[:row], new, self._keys[row + remove :]))
        )
        self._done(event)
        return removed

    def set_keys(self, keys: Keys) -> Keys:
        """Replace the whole row table (bulk actions); return the previous one."""
        old = self._keys
        event = StoreEvent(ChangeKind.RESET, 0, len(old), len(keys), self.version + 1)
        self._announce(event)
        self._keys = self._tracked(np.asarray(keys, dtype=np.int64).copy())
        self._done(event)
        return old

    def set_layout(self, layout: Layout) -> Layout:
        """Change the file-level conventions; return the previous ones."""
        old = self.layout
        if old == layout:
            return old
        event = StoreEvent(ChangeKind.LAYOUT, version=self.version + 1)
        self._announce(event)  # no row moves, but findings change
        self.layout = layout
        self._done(event)
        return old

    # listening --------------------------------------------------------------
    def subscribe(self, listener: StoreListener) -> None:
        """Tell ``listener`` before and after every change.

        In the studio the open ``Document`` is the one listener: it relays to
        the table model and the tabs in an order it controls.
        """
        self._listeners.append(listener)

    def unsubscribe(self, listener: StoreListener) -> None:
        """Stop telling ``listener``."""
        self._listeners.remove(listener)

    def _announce(self, event: StoreEvent) -> None:
        for listener in list(self._listeners):
            listener.store_about_to_change(event)

    def _done(self, event: StoreEvent) -> None:
        self.version = event.version
        for listener in list(self._listeners):
            listener.store_changed(event)

    # writing ----------------------------------------------------------------
    def iter_bytes(self) -> Iterator[bytes]:
        """Yield the file's bytes in pieces: the unedited file comes back byte for byte."""
        if not self.edited:
            if len(self._data):
                yield self._view.tobytes()
            return
        layout = self.layout
        if layout.bom:
            yield BOM
        keys = self._keys
        n = len(keys)
        same_newline = (
            not layout.normalized and layout.crlf == self.original_layout.crlf
        )
        row = 0
        while row < n:
            key = int(keys[row])
            if key < self.original_count and same_newline:
                # one slice for each run of consecutive original lines
                end = row + 1
                while (
                    end < n
                    and keys[end] == keys[end - 1] + 1
                    and keys[end] < self.original_count
                ):
                    end += 1
                last_key = int(keys[end - 1])
                chunk = self._view[
                    int(self._starts[key]) : int(self._starts[last_key + 1])
                ]
                yield chunk.tobytes()
                if bytes(chunk[-1:]) != b"\n" and (end < n or layout.final_newline):
                    yield layout.newline  # the file's last line moved or got a newline
                row = end
            else:
                yield self.raw_for_key(key)
                if row + 1 < n or layout.final_newline:
                    yield layout.newline
                row += 1

    def to_bytes(self) -> bytes:
        """Return the whole file as it would be saved."""
        return b"".join(self.iter_bytes())

    def changed_on_disk(self) -> bool:
        """Whether the file at :attr:`path` is no longer what was read or saved."""
        if self.path is None or self.stamp is None:
            return False
        return DiskStamp.of(self.path) != self.stamp

    def check_disk(self) -> None:
        """Raise an :class:`FtError` (kind ``"changed"``) if another program changed the file."""
        if self.changed_on_disk():
            assert self.path is not None
            raise FtError(ErrorKind.CHANGED, changed_message(self.path))

    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write atomically (temporary file in the same folder, then replace).

        A plain save (no ``path``) first checks that the file on disk is still
        what was opened: another program's changes are never overwritten
        silently (an :class:`FtError` of kind ``"changed"`` says so). Choosing
        a path (Save As) replaces what is there. On failure the old file is
        untouched, the edits stay in memory, and an :class:`FtError` says why in
        plain words.
        """
        target = Path(path) if path is not None else self.path
        if target is None:
            raise FtError(ErrorKind.IO, "Choose where to save this new dataset first.")
        if path is None:
            self.check_disk()
        target = target.resolve()
        try:
            with atomic_file(target) as out:
                for piece in self.iter_bytes():
                    out.write(piece)
        except FtError as exc:
            raise FtError(
                ErrorKind.IO, f"{exc.message} Your edits are still here.", exc.detail
            ) from exc
        if self.path is not None and target == self.path.resolve():
            self.adopt(self.path)
        return target

    def adopt(self, path: Path) -> None:
        """Belong to ``path``, just saved from this store (Save As, or Save)."""
        self.path = path
        self.stamp = DiskStamp.of(path)
        if self.edited:
            self.source_stamp = None  # the original lines are not that file's bytes
        elif self.source_stamp is not None:
            self.source_stamp = self.stamp  # byte for byte the same

    def close(self) -> None:
        """Drop the file's bytes (the store must not be used afterwards).

        No file stays open or mapped after :meth:`open` returns; this frees
        the memory even while something still holds the store.
        """
        self._data = b""
        self._view = memoryview(b"")


def with_layout(store: DatasetStore, **changes: bool) -> Layout:
    """Return the store's layout with ``changes`` applied (helper for fixes)."""
    return replace(store.layout, **changes)
