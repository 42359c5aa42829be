"""Write a file all or nothing: the one way ftstudio writes a user's files.

A temporary file in the same folder is written, flushed to disk and renamed
over the target, so a crash or a kill leaves either the whole old file or the
whole new one. The target keeps its permissions; a new file gets the usual
``0666`` less the umask (``0644`` mostly), or ``mode`` for private files. The
temporary is removed on any failure, and :func:`clean_stale_temps` removes the
ones a killed process left behind.
"""

from __future__ import annotations

import errno
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ftstudio.core.errors import ErrorKind, FtError

TEMP_SUFFIX = ".ftstudio-tmp"
_OLD_TEMP_AGE_S = 3600.0
"""A temporary of unknown owner this old is surely left over from a crash."""
_OLD_TAG = re.compile(r"[a-z0-9_]{8}")
_live: set[str] = set()  # temporaries this process is writing now
_live_lock = threading.Lock()


def _read_umask() -> int:
    try:  # Linux says it without changing it
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    # elsewhere: set and restore once, at import, before any worker thread runs
    old = os.umask(0o022)
    os.umask(old)
    return old


_UMASK = _read_umask()


def new_file_mode() -> int:
    """Return the permissions a new file gets: ``0666`` less the umask."""
    return 0o666 & ~_UMASK


def temp_name(target: Path) -> Path:
    """Return a fresh temporary path beside ``target`` (hidden, owner pid in it)."""
    return target.with_name(
        f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}{TEMP_SUFFIX}"
    )


def write_reason(exc: OSError, target: Path) -> str:
    """Say in plain words why ``target`` could not be written."""
    if exc.errno == errno.ENOSPC:
        return f"The disk is full: {target.name} was not saved."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"ftstudio may not write to {target.parent}: {target.name} was not saved."
        )
    if exc.errno == errno.ENOENT:
        return (
            f"The folder {target.parent} does not exist: {target.name} was not saved."
        )
    return f"{target.name} was not saved ({exc.strerror or exc})."


def _sync_folder(folder: Path) -> None:
    if sys.platform == "win32":
        return  # folders cannot be opened for fsync there; NTFS journals renames
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (network shares) refuse: the rename still happened
    finally:
        os.close(fd)


@contextmanager
def atomic_file(target: Path, *, mode: int | None = None) -> Iterator[BinaryIO]:
    """Open a temporary file that replaces ``target`` when the block ends without error.

    Parameters
    ----------
    target
        The file to write.
    mode
        Permissions to give the file whether or not it exists (``0o600`` for a
        private file). By default an existing file keeps its own and a new one
        gets :func:`new_file_mode`.

    Raises
    ------
    FtError
        If the folder is missing or not writable, or the disk is full. If the
        block raises anything (a cancel included), the temporary file is removed
        and ``target`` is untouched.
    """
    target = Path(target)
    tmp = temp_name(target)
    with _live_lock:
        _live.add(tmp.name)
    try:
        fd = os.open(
            tmp,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
            0o600,
        )
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
            if mode is None:
                try:
                    mode = target.stat().st_mode & 0o7777
                except FileNotFoundError:
                    mode = new_file_mode()
            if hasattr(os, "fchmod"):
                os.fchmod(out.fileno(), mode)
            else:
                tmp.chmod(mode)
        tmp.replace(target)
        _sync_folder(target.parent)
    except OSError as exc:
        raise FtError(
            ErrorKind.IO, write_reason(exc, target), f"{type(exc).__name__}: {exc}"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)  # gone already after a successful replace
        with _live_lock:
            _live.discard(tmp.name)


def write_atomic(target: Path, data: bytes, *, mode: int | None = None) -> Path:
    """Write ``data`` to ``target`` all or nothing; return ``target``."""
    with atomic_file(target, mode=mode) as out:
        out.write(data)
    return target


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return True  # cannot probe safely: fall back to the age test
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, belongs to someone else
    return True


def _is_stale(path: Path) -> bool:
    if path.name in _live:
        return False
    tag = path.name.removesuffix(TEMP_SUFFIX).removesuffix(".tmp").rsplit(".", 1)[-1]
    if path.name.endswith(".tmp") and not _OLD_TAG.fullmatch(tag):
        return False  # not the 8 random characters of an older ftstudio's save
    owner = tag.split("-", 1)[0]
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    if owner.isdigit() and not _pid_alive(int(owner)):
        return True
    return age > _OLD_TEMP_AGE_S * 24 if owner.isdigit() else age > _OLD_TEMP_AGE_S


def clean_stale_temps(target: Path) -> int:
    """Remove temporaries of ``target`` left by a killed save; return how many.

    Only ftstudio's own hidden temporaries beside ``target`` are considered
    (ours, and the ``.NAME.XXXX.tmp`` of older versions once an hour old),
    never one a running save is still writing.
    """
    target = Path(target)
    removed = 0
    try:
        candidates = [
            *target.parent.glob(f".{_glob_escape(target.name)}.*{TEMP_SUFFIX}"),
            *target.parent.glob(f".{_glob_escape(target.name)}.*.tmp"),
        ]
    except OSError:
        return 0
    for path in candidates:
        if path.is_file() and not path.is_symlink() and _is_stale(path):
            try:
                path.unlink()
                removed += 1
            except OSError:
                pass  # someone else's file in a shared folder: leave it
    return removed


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)
