"""Write a file all or nothing: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ftstudio.core.errors import FtError


@contextmanager
def atomic_file(target: Path) -> Iterator[BinaryIO]:
    """Open a temporary file that replaces ``target`` when the block ends without error.

    If the block raises (including a cancel), the temporary file is removed and
    ``target`` is untouched.

    Raises
    ------
    FtError
        If the folder is missing or not writable, or the disk is full.
    """
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
        tmp = Path(name)
        with os.fdopen(fd, "wb") as out:
            yield out
        # mkstemp makes the file private (0600); keep an existing file's mode, or
        # give a new one the usual 0644 so other programs can read it.
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o644
        tmp.chmod(mode)
        tmp.replace(target)
        tmp = None
    except OSError as exc:
        msg = f"Cannot write {target}: {exc.strerror or exc}."
        raise FtError("io", msg, str(exc)) from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def write_atomic(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` all or nothing; return ``target``."""
    with atomic_file(target) as out:
        out.write(data)
    return target
