"""Turn a spreadsheet or JSON file into chat JSONL with a column mapping.

The window's import dialog calls :func:`preview` for the first rows and
:func:`convert_iter` (on a worker) for the result; ``ftstudio convert`` calls the
same functions. A JSON file that already holds training examples (for example a
pretty-printed array) needs no mapping: :func:`convert_examples` writes it as one
example per line, keeping every key; ShareGPT, Alpaca and TRL preference files
become OpenAI chat and DPO examples (see :mod:`ftstudio.core.dataset.foreign`).
"""

from __future__ import annotations

import os
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.dataset.atomic import write_atomic
from ftstudio.core.dataset.foreign import (
    UnreadableRecordError,
    convert_record,
    kind_of,
)
from ftstudio.core.dataset.parse import dumps
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.dataset.tables import (
    JSON_SUFFIXES,
    Table,
    cell_text,
    load_json_values,
    read_table,
)
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.progress import Progress, run_to_end

_PROGRESS_EVERY = 2000
_GUESSES = {
    # "instruction" before "input": in Alpaca-style sheets "input" is often empty
    "user": ("user", "prompt", "question", "instruction", "input", "query", "message"),
    "assistant": ("assistant", "answer", "reply", "response", "completion", "output"),
    "system": ("system", "system prompt", "system_prompt", "instructions"),
}


@dataclass(frozen=True)
class ColumnMapping:
    """Which column holds what: user message, assistant reply, optional system prompt.

    Give at most one of ``system_column`` (a prompt per row) and ``system_prompt``
    (one fixed prompt for every row).
    """

    user: str
    assistant: str
    system_column: str | None = None
    system_prompt: str | None = None

    def __post_init__(self) -> None:
        if self.system_column and self.system_prompt:
            msg = "Choose either a system prompt column or one system prompt for all rows, not both."
            raise FtError(ErrorKind.MAPPING, msg)


@dataclass(frozen=True)
class TablePreview:
    """The first rows of a file, for the import dialog."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    sheets: tuple[str, ...]
    sheet: str | None
    complete: bool
    """Whether ``rows`` is the whole table."""
    suggested: ColumnMapping | None


@dataclass(frozen=True)
class SkippedRow:
    """A row left out of the result, with its number as the user sees it."""

    row: int
    reason: str


@dataclass(frozen=True)
class ImportResult:
    """The chat JSONL made from a file, and the rows that could not be used."""

    data: bytes = field(repr=False)
    examples: int
    skipped: tuple[SkippedRow, ...] = ()
    empty_rows: int = 0

    def to_store(self) -> DatasetStore:
        """Return the result as a new, unsaved dataset."""
        return DatasetStore.from_bytes(self.data)

    def write(self, out: str | os.PathLike[str]) -> Path:
        """Write the JSONL to ``out`` atomically; return the path written."""
        return write_atomic(Path(out), self.data)


def suggest_mapping(columns: Sequence[str]) -> ColumnMapping | None:
    """Guess the mapping from column names like "question"/"answer" (None if unsure)."""
    found: dict[str, str] = {}
    lowered = {c.strip().lower(): c for c in columns}
    for role, names in _GUESSES.items():
        for name in names:
            if name in lowered and lowered[name] not in found.values():
                found[role] = lowered[name]
                break
    if "user" not in found or "assistant" not in found:
        return None
    return ColumnMapping(found["user"], found["assistant"], found.get("system"))


def resolve_mapping(mapping: ColumnMapping, columns: Sequence[str]) -> ColumnMapping:
    """Match the mapping's names to real columns (ignoring case and spaces).

    Raises
    ------
    FtError
        Naming the missing column and listing the columns that do exist.
    """
    by_key = {c.strip().casefold(): c for c in columns}

    def find(name: str) -> str:
        if name in columns:
            return name
        hit = by_key.get(name.strip().casefold())
        if hit is None:
            listed = ", ".join(repr(c) for c in columns)
            msg = f"There is no column named {name!r}. The columns are: {listed}."
            raise FtError(ErrorKind.MAPPING, msg)
        return hit

    system = find(mapping.system_column) if mapping.system_column else None
    user, assistant = find(mapping.user), find(mapping.assistant)
    chosen = [user, assistant] + ([system] if system else [])
    if len(set(chosen)) < len(chosen):
        msg = (
            "Choose a different column for each part (user, assistant, system prompt)."
        )
        raise FtError(ErrorKind.MAPPING, msg)
    return ColumnMapping(user, assistant, system, mapping.system_prompt)


def preview(
    path: str | os.PathLike[str], rows: int = 20, sheet: str | None = None
) -> TablePreview:
    """Return the columns and first ``rows`` rows of a CSV, TSV, XLSX or JSON file.

    Raises
    ------
    FtError
        When the file cannot be read as a table.
    """
    table = read_table(Path(path), sheet=sheet, nrows=rows)
    cells = tuple(
        tuple(cell_text(v) for v in record)
        for record in table.frame.itertuples(index=False, name=None)
    )
    return TablePreview(
        columns=table.columns,
        rows=cells,
        sheets=table.sheets,
        sheet=table.sheet,
        complete=table.complete,
        suggested=suggest_mapping(table.columns),
    )


def holds_examples(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a JSON file whose values are already training examples."""
    return examples_in(path) is not None


def examples_in(path: str | os.PathLike[str]) -> ImportResult | None:
    """Return a JSON file's training examples as JSONL, or None if it holds none.

    A pretty-printed array of examples, one pretty-printed example, or several
    in a row (the output of ``jq .``) all become one compact line per example,
    keeping every key. Other files (spreadsheets, plain records) give None.

    Raises
    ------
    FtError
        If a JSON file cannot be read or is not valid JSON.
    """
    p = Path(path)
    if p.suffix.lower() not in JSON_SUFFIXES:
        return None
    values = load_json_values(p)
    items = values[0] if len(values) == 1 and isinstance(values[0], list) else values
    if items and kind_of(items[0]) is not None:
        return _from_foreign(items)  # ShareGPT, Alpaca, TRL preference: not DPO
    keys = ("messages", "prompt", "completion", "input", "preferred_output")
    if not items or not all(
        isinstance(v, dict) and any(k in v for k in keys) for v in items
    ):
        return None
    data = b"".join(dumps(v) + b"\n" for v in items)
    return ImportResult(data, len(items))


def _from_foreign(items: list[object]) -> ImportResult:
    kind = kind_of(items[0])
    lines: list[bytes] = []
    skipped: list[SkippedRow] = []
    for row, item in enumerate(items, start=1):
        if kind_of(item) != kind:
            skipped.append(SkippedRow(row, f"it is not a {kind} record like the first"))
            continue
        try:
            converted = convert_record(item)
        except UnreadableRecordError as exc:
            skipped.append(SkippedRow(row, str(exc)))
            continue
        lines.append(dumps(converted) + b"\n")
    return ImportResult(b"".join(lines), len(lines), tuple(skipped))


def convert_examples(path: str | os.PathLike[str]) -> ImportResult:
    """Rewrite a JSON file of training examples (e.g. pretty-printed) as JSONL.

    Raises
    ------
    FtError
        If the file does not hold training examples.
    """
    result = examples_in(path)
    if result is None:
        name = Path(path).name
        msg = f"{name} does not hold training examples (objects with 'messages')."
        raise FtError(ErrorKind.FORMAT, msg)
    return result


def convert_iter(
    path: str | os.PathLike[str],
    mapping: ColumnMapping,
    sheet: str | None = None,
    cancel: CancelToken = NEVER,
) -> Generator[Progress, None, ImportResult]:
    """Read ``path`` and build chat examples from its rows, yielding progress.

    A row without a user message or an assistant reply is left out and listed in
    :attr:`ImportResult.skipped`; completely empty rows are only counted.

    Raises
    ------
    FtError
        When the file cannot be read or the mapping names a column that does not exist.
    """
    yield Progress(0, None, "Reading the file")
    table = read_table(Path(path), sheet=sheet)
    return (yield from rows_to_chat(table, mapping, cancel))


def convert(
    path: str | os.PathLike[str], mapping: ColumnMapping, sheet: str | None = None
) -> ImportResult:
    """Run :func:`convert_iter` to the end."""
    return run_to_end(convert_iter(path, mapping, sheet))


def rows_to_chat(
    table: Table, mapping: ColumnMapping, cancel: CancelToken = NEVER
) -> Generator[Progress, None, ImportResult]:
    """Build one chat example per row of ``table``."""
    m = resolve_mapping(mapping, table.columns)
    frame = table.frame
    names = [m.user, m.assistant] + ([m.system_column] if m.system_column else [])
    # Duplicate header names are made unique by pandas; select by position.
    positions = [table.columns.index(n) for n in names]
    total = len(frame)
    lines: list[bytes] = []
    skipped: list[SkippedRow] = []
    empty = 0
    fixed_system = m.system_prompt or ""
    for i, record in enumerate(frame.itertuples(index=False, name=None)):
        if i % _PROGRESS_EVERY == 0:
            cancel.check()
            yield Progress(i, total, "Converting rows")
        cells = [cell_text(record[p]) for p in positions]
        user, assistant = cells[0], cells[1]
        system = cells[2] if m.system_column else fixed_system
        if not user.strip() and not assistant.strip():
            empty += 1
            continue
        row_number = i + table.first_row
        if not user.strip() or not assistant.strip():
            missing = "user message" if not user.strip() else "assistant reply"
            skipped.append(SkippedRow(row_number, f"no {missing} in this row"))
            continue
        messages = [{"role": "system", "content": system}] if system.strip() else []
        messages += [
            {"role": "user", "content": user},
            {"role": "assistant", "content": assistant},
        ]
        lines.append(orjson.dumps({"messages": messages}) + b"\n")
    yield Progress(total, total, "Converting rows")
    return ImportResult(b"".join(lines), len(lines), tuple(skipped), empty)
