"""Tell what a file is before reading it, so a wrong file gets a plain reason."""

from __future__ import annotations

import os
from pathlib import Path

from ftstudio.core.errors import ErrorKind, FtError

HEAD_BYTES = 8192
SPREADSHEET_SUFFIXES = frozenset({".csv", ".tsv", ".tab", ".xlsx", ".xlsm"})
OLD_OFFICE_SUFFIXES = frozenset({".xls", ".ods", ".numbers"})
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Signatures of common non-text files people pick by mistake, in plain words.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (for example an Excel or Word file)"),
    (b"\xd0\xcf\x11\xe0", "an old-style Office document"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
    (b"SQLite format 3", "a database file"),
)


def read_head(path: Path) -> bytes:
    """Return the first bytes of ``path`` after checking it is a readable, non-empty file.

    Raises
    ------
    FtError
        If the path is missing, a folder, unreadable or empty.
    """
    if path.is_dir():
        raise FtError(
            ErrorKind.IO, f"{path} is a folder, not a file. Choose a file inside it."
        )
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            head = f.read(HEAD_BYTES)
    except FileNotFoundError as exc:
        raise FtError(ErrorKind.IO, f"There is no file at {path}.") from exc
    except PermissionError as exc:
        raise FtError(ErrorKind.IO, f"ftstudio may not read {path}.", str(exc)) from exc
    except OSError as exc:
        msg = f"Cannot read {path}: {exc.strerror or exc}."
        raise FtError(ErrorKind.IO, msg, str(exc)) from exc
    if size == 0:
        raise FtError(
            ErrorKind.IO, f"{path.name} is empty: there is nothing in it to read."
        )
    return head


def binary_kind(head: bytes) -> str | None:
    """Describe ``head`` in words if it is not text (None when it looks like text)."""
    for magic, words in _MAGIC:
        if head.startswith(magic):
            return words
    if head.startswith(UTF16_BOMS):
        return None  # UTF-16 text (Excel's "Unicode text") has NULs but is text
    if b"\x00" in head:
        return "binary data, not text"
    return None


def check_dataset_file(path: str | os.PathLike[str]) -> Path:
    """Check that ``path`` can be a JSONL dataset; return it as a Path.

    Raises
    ------
    FtError
        With a one-sentence reason when the file is missing, a folder, empty, a
        spreadsheet (to convert first) or not text at all.
    """
    p = Path(path)
    head = read_head(p)
    suffix = p.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES or suffix in OLD_OFFICE_SUFFIXES:
        raise FtError(
            ErrorKind.FORMAT,
            f"{p.name} is a spreadsheet, not a training file. Turn it into one first "
            f"with: ftstudio convert {p.name} {p.stem}.jsonl",
        )
    kind = binary_kind(head)
    if kind is not None:
        raise FtError(
            ErrorKind.FORMAT,
            f"{p.name} is {kind}. A training file is text with one example per line (JSONL).",
        )
    if head.startswith(UTF16_BOMS):
        raise FtError(
            ErrorKind.FORMAT,
            f"{p.name} is saved as UTF-16 text; OpenAI needs UTF-8. "
            "Save it again as UTF-8 (most editors offer this under Save As).",
        )
    return p
