"""Read a spreadsheet or a JSON list of records into a table of text cells (pandas)."""

from __future__ import annotations

import io
import json
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ftstudio.core.dataset.parse import DEPTH_REASON, JsonFloat, exact_int, too_deep
from ftstudio.core.dataset.sniff import (
    OLD_OFFICE_SUFFIXES,
    UTF16_BOMS,
    binary_kind,
    read_head,
)
from ftstudio.core.errors import ErrorKind, FtError

if TYPE_CHECKING:
    import pandas as pd

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
JSON_SUFFIXES = frozenset({".json", ".jsonl"})
_DELIMITERS = (",", ";", "\t", "|")
PREVIEW_BYTES = 1 << 20  # a preview of a bigger CSV or TSV reads only its first MiB


@dataclass(frozen=True)
class Table:
    """A table read from a file: text cells, the header row and where it came from.

    ``first_row`` is the number a user sees for the first data row (2 in a
    spreadsheet, whose row 1 is the header; 1 for a list of JSON records).
    """

    frame: pd.DataFrame
    sheets: tuple[str, ...] = ()
    sheet: str | None = None
    first_row: int = 2
    complete: bool = True

    @property
    def columns(self) -> tuple[str, ...]:
        """Return the column names as text."""
        return tuple(str(c) for c in self.frame.columns)


def cell_text(value: Any) -> str:
    """Return a cell as text: empty for a missing cell, compact JSON for nested values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode("utf-8")
    return str(value)


def decode_text(data: bytes) -> str:
    """Decode a text file as UTF-8 (with or without BOM), UTF-16, else Windows-1252."""
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV in the local code page; latin-1 never fails.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def guess_delimiter(text: str, suffix: str) -> str:
    """Return the delimiter of a delimited text file: tab for .tsv, else the header's."""
    if suffix in (".tsv", ".tab"):
        return "\t"
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(
    path: str | Path, sheet: str | None = None, nrows: int | None = None
) -> Table:
    """Read ``path`` (CSV, TSV, XLSX or JSON records) as text cells.

    Parameters
    ----------
    path
        The file to read.
    sheet
        The worksheet of a workbook (default: the first).
    nrows
        Read at most this many data rows (for a preview).

    Raises
    ------
    FtError
        With a plain reason when the file cannot be read as a table.
    """
    p = Path(path)
    head = read_head(p)
    suffix = p.suffix.lower()
    if suffix in OLD_OFFICE_SUFFIXES:
        raise FtError(
            ErrorKind.FORMAT,
            f"ftstudio cannot read {suffix} files. Open {p.name} in your spreadsheet "
            "program and save it as .xlsx or CSV, then import that.",
        )
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(p, head, sheet, nrows)
    kind = binary_kind(head)
    if kind is not None:
        raise FtError(
            ErrorKind.FORMAT, f"{p.name} is {kind}, not a spreadsheet or a JSON file."
        )
    if suffix in JSON_SUFFIXES:
        return _read_json_records(p, nrows)
    return _read_delimited(p, suffix, nrows)


def _read_delimited(p: Path, suffix: str, nrows: int | None) -> Table:
    if nrows is not None and p.stat().st_size > PREVIEW_BYTES:
        # A preview of a huge CSV reads only its start. A cut through a quoted
        # cell that spans lines could confuse the parser: then read it all.
        with p.open("rb") as f:
            head = f.read(PREVIEW_BYTES)
        cut = head.rfind(b"\n")
        if cut > 0 and not head.startswith(UTF16_BOMS):
            try:
                table = _parse_delimited(p, head[: cut + 1], suffix, nrows)
            except FtError:
                pass
            else:
                if len(table.frame) == nrows:
                    return Table(table.frame, complete=False)
    return _parse_delimited(p, p.read_bytes(), suffix, nrows)


def _parse_delimited(p: Path, data: bytes, suffix: str, nrows: int | None) -> Table:
    import pandas as pd

    text = decode_text(data)
    if not text.strip():
        raise FtError(
            ErrorKind.IO, f"{p.name} is empty: there is nothing in it to read."
        )
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=guess_delimiter(text, suffix),
            dtype=str,
            keep_default_na=False,
            nrows=nrows,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        msg = (
            f"{p.name} is not laid out as a table ({_first_line(exc)}). "
            "Check that every row has the same number of columns."
        )
        raise FtError(ErrorKind.FORMAT, msg, str(exc)) from exc
    return Table(frame, complete=nrows is None or len(frame) < nrows)


def _read_excel(p: Path, head: bytes, sheet: str | None, nrows: int | None) -> Table:
    import pandas as pd

    not_workbook = FtError(
        ErrorKind.FORMAT,
        f"{p.name} is not an Excel workbook, even though its name ends in "
        f"{p.suffix}. Open it in your spreadsheet program and save it as .xlsx.",
    )
    if not head.startswith(b"PK\x03\x04"):
        raise not_workbook
    try:
        book = pd.ExcelFile(p, engine="openpyxl")
    # openpyxl reports a damaged workbook with many exception types (zip, XML,
    # KeyError for a missing part); each means the same thing to a user.
    except Exception as exc:
        raise FtError(
            not_workbook.kind, not_workbook.message, f"{type(exc).__name__}: {exc}"
        ) from exc
    with book:
        names = tuple(str(s) for s in book.sheet_names)
        if not names:
            raise not_workbook
        if sheet is not None and sheet not in names:
            listed = ", ".join(repr(s) for s in names)
            msg = f"{p.name} has no sheet named {sheet!r}. Its sheets are: {listed}."
            raise FtError(ErrorKind.MAPPING, msg)
        chosen = sheet if sheet is not None else names[0]
        try:
            frame = pd.read_excel(
                book, sheet_name=chosen, dtype=str, keep_default_na=False, nrows=nrows
            )
        except (ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise FtError(not_workbook.kind, not_workbook.message, str(exc)) from exc
    if frame.columns.empty:
        raise FtError(ErrorKind.IO, f"The sheet {chosen!r} of {p.name} is empty.")
    return Table(
        frame,
        sheets=names,
        sheet=chosen,
        complete=nrows is None or len(frame) < nrows,
    )


def _read_json_records(p: Path, nrows: int | None) -> Table:
    import pandas as pd

    records = load_json_records(p)
    complete = nrows is None or len(records) <= nrows
    if nrows is not None:
        records = records[:nrows]
    return Table(pd.DataFrame.from_records(records), first_row=1, complete=complete)


_TOO_DEEP = object()


def load_json_values(p: Path) -> list[Any]:
    """Return the JSON values in ``p``: one document, or several in a row (JSONL too).

    Raises
    ------
    FtError
        If the text is not JSON, naming the line where it stops being JSON.
    """
    text = decode_text(p.read_bytes())
    # raw_decode reads several documents in a row; numbers stay as written
    decoder = json.JSONDecoder(parse_float=JsonFloat, parse_int=exact_int)
    values: list[Any] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        start = pos
        try:
            value, pos = decoder.raw_decode(text, pos)
        except ValueError as exc:
            line = text.count("\n", 0, getattr(exc, "pos", pos)) + 1
            msg = f"{p.name} is not valid JSON (the problem is on line {line})."
            raise FtError(ErrorKind.FORMAT, msg, str(exc)) from exc
        except RecursionError:
            value = _TOO_DEEP
        if value is _TOO_DEEP or too_deep(value):
            line = text.count("\n", 0, start) + 1
            msg = f"{p.name} has {DEPTH_REASON} (from line {line})."
            raise FtError(ErrorKind.FORMAT, msg)
        values.append(value)
    if not values:
        raise FtError(
            ErrorKind.IO, f"{p.name} is empty: there is nothing in it to read."
        )
    return values


def load_json_records(p: Path) -> list[dict[str, Any]]:
    """Return the records of a JSON file: a list of objects (or one object holding one).

    Raises
    ------
    FtError
        If the file holds something other than records.
    """
    values = load_json_values(p)
    records: Any = values[0] if len(values) == 1 else values
    if isinstance(records, dict):
        lists = [v for v in records.values() if isinstance(v, list)]
        records = lists[0] if len(lists) == 1 else [records]
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        msg = (
            f"{p.name} is JSON but not a list of records. ftstudio imports a list "
            'like [{"question": "...", "answer": "..."}, ...].'
        )
        raise FtError(ErrorKind.FORMAT, msg)
    if not records:
        raise FtError(
            ErrorKind.IO, f"{p.name} holds an empty list: there are no rows to import."
        )
    return records


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
