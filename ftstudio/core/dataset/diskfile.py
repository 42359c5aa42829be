"""Read a dataset file whole and tell later whether another program changed it.

The studio never keeps a file memory-mapped: when another program shortens a
mapped file (``python make_data.py > train.jsonl``), touching the lost pages
kills the process with a bus error. A :class:`DiskStamp` taken when the file
is read (or saved) answers "is it still the same file?" with one ``stat``.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.progress import Progress

CHUNK = 16 * 1024 * 1024
_ATTEMPTS = 3


@dataclass(frozen=True)
class DiskStamp:
    """What one ``stat`` says about a file: changes when its content is rewritten."""

    size: int
    mtime_ns: int
    inode: int
    device: int

    @classmethod
    def of_stat(cls, st: os.stat_result) -> DiskStamp:
        """Return the stamp of a ``stat`` result."""
        return cls(st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)

    @classmethod
    def of(cls, path: Path) -> DiskStamp | None:
        """Return the stamp of ``path`` now, or None when there is no file there."""
        try:
            return cls.of_stat(path.stat())
        except OSError:
            return None


def changed_message(path: Path) -> str:
    """Say in plain words that another program changed or removed ``path``."""
    if not path.exists():
        return f"{path.name} was removed or renamed by another program."
    return f"{path.name} was changed by another program."


def _open_error(path: Path, exc: OSError) -> FtError:
    if isinstance(exc, FileNotFoundError):
        return FtError(ErrorKind.IO, f"There is no file at {path}.")
    if isinstance(exc, PermissionError):
        return FtError(ErrorKind.IO, f"ftstudio may not read {path}.", str(exc))
    if isinstance(exc, IsADirectoryError):
        return FtError(ErrorKind.IO, f"{path} is a folder, not a dataset file.")
    return FtError(
        ErrorKind.IO, f"Cannot read {path}: {exc.strerror or exc}.", str(exc)
    )


def _read_once(
    path: Path, cancel: CancelToken
) -> Generator[Progress, None, tuple[bytearray, DiskStamp, DiskStamp]]:
    with path.open("rb") as f:
        before = DiskStamp.of_stat(os.fstat(f.fileno()))
        buf = bytearray(before.size)
        view = memoryview(buf)
        done = 0
        while done < before.size:
            cancel.check()
            got = f.readinto(view[done : done + CHUNK])
            if not got:
                break  # shortened while being read: the stamps will differ
            done += got
            yield Progress(done, before.size, f"Reading {path.name}")
        view.release()
        extra = f.read(1)  # grown while being read
        after = DiskStamp.of_stat(os.fstat(f.fileno()))
        if done < before.size or extra:
            after = DiskStamp(-1, 0, 0, 0)  # never equal to ``before``
    return buf, before, after


def read_file(
    path: Path, cancel: CancelToken = NEVER
) -> Generator[Progress, None, tuple[bytes | bytearray, DiskStamp]]:
    """Read ``path`` whole with progress; return its bytes and their stamp.

    A file that changes while it is read is read again (a program may still be
    writing it); one that keeps changing is an error.

    Raises
    ------
    FtError
        If the path is missing, a folder, cannot be read, or keeps changing.
    """
    if path.is_dir():
        raise FtError(ErrorKind.IO, f"{path} is a folder, not a dataset file.")
    for _ in range(_ATTEMPTS):
        try:
            data, before, after = yield from _read_once(path, cancel)
        except OSError as exc:
            raise _open_error(path, exc) from exc
        if before == after:
            return (data if data else b""), before
        cancel.wait(0.2)
    msg = (
        f"{path.name} kept changing while ftstudio read it: another program is "
        "writing it. Open it again when that program is done."
    )
    raise FtError(ErrorKind.CHANGED, msg)


@contextmanager
def unchanged_while(path: Path) -> Iterator[None]:
    """Raise an :class:`FtError` after the block if another program changed ``path``.

    For commands that read a file and report on it: a report about bytes that
    are no longer on disk would mislead.
    """
    before = DiskStamp.of(path)
    yield
    if DiskStamp.of(path) != before:
        raise FtError(ErrorKind.CHANGED, changed_while_reading(path))


def changed_while_reading(path: Path) -> str:
    """Say that ``path`` changed while a command read it, and what to do."""
    return (
        f"{changed_message(path)[:-1]} while ftstudio was reading it; "
        "run the command again when that program is done."
    )
