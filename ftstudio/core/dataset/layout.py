"""File-layout problems (BOM, CRLF, final newline, pretty-printed JSON) and their cures.

These are about how the file is written, not about any one example, so they
are found from the store's layout and a glance at its first lines; the fixes in
:mod:`ftstudio.core.validation.fixes` build undoable edits from them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ftstudio.core.validation.findings import Finding, Severity

if TYPE_CHECKING:
    from ftstudio.core.dataset.store import DatasetStore

MAX_PRETTY_BYTES = 256 * 1024 * 1024  # parsing a whole file as one value needs RAM

BOM_MESSAGE = (
    "The file starts with an invisible byte-order mark (BOM), which some editors "
    "add when saving as “UTF-8 with BOM”. OpenAI may reject it: the fix removes it."
)
CRLF_MESSAGE = (
    "The file uses Windows line endings (CRLF). They usually work, but plain line "
    "endings (LF) are safest: the fix converts them."
)
FINAL_NEWLINE_MESSAGE = (
    "The last line does not end with a line break. This is harmless, but the fix "
    "adds one so that tools which join files do not merge two examples."
)


def array_message(examples: int) -> str:
    """Message for a file that is one JSON array on a single line."""
    return (
        f"The whole file is one JSON list of {examples:,} examples, but OpenAI needs "
        "JSON Lines: one example per line. The fix converts it."
    )


def pretty_message(examples: int, lines: int) -> str:
    """Message for examples spread over several lines each."""
    return (
        f"The file is “pretty-printed”: its {examples:,} examples are spread over "
        f"{lines:,} lines, but OpenAI needs JSON Lines, one example per line. The fix "
        "converts it (the per-line errors below come from this)."
    )


def has_crlf(store: DatasetStore) -> bool:
    """Whether saving the store would write any Windows (CRLF) line endings."""
    layout = store.layout
    if layout.crlf:
        return True
    return not layout.normalized and store.original_crlf_lines > 0


def layout_findings(store: DatasetStore) -> list[Finding]:
    """Return the file-level layout findings of ``store`` (all fixable)."""
    out = []
    if store.layout.bom:
        out.append(Finding(None, "utf8_bom", Severity.WARNING, BOM_MESSAGE, True))
    if has_crlf(store):
        out.append(
            Finding(None, "crlf_line_endings", Severity.WARNING, CRLF_MESSAGE, True)
        )
    if len(store) and not store.layout.final_newline:
        out.append(
            Finding(
                None,
                "missing_final_newline",
                Severity.INFO,
                FINAL_NEWLINE_MESSAGE,
                True,
            )
        )
    return out


def _first_nonblank(store: DatasetStore) -> bytes | None:
    for row in range(min(len(store), 1000)):
        raw = store.raw(row).strip()
        if raw:
            return raw
    return None


def looks_pretty(store: DatasetStore) -> bool:
    """Guess cheaply whether the file starts like a JSON array or a multi-line object."""
    first = _first_nonblank(store)
    if first is None:
        return False
    if first.startswith(b"["):
        return True
    if first.startswith(b"{"):
        try:
            json.loads(first)
        except ValueError:
            return True  # an object that continues on the next lines
    return False


def _decode_all(text: str) -> list[Any] | None:
    """Parse ``text`` as one JSON array or as JSON values one after another."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    pos, end = 0, len(text)
    while True:
        while pos < end and text[pos] in " \t\r\n":
            pos += 1
        if pos >= end:
            break
        try:
            value, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            return None
        values.append(value)
    if len(values) == 1 and isinstance(values[0], list):
        values = values[0]
    if not values or not all(isinstance(v, dict) for v in values):
        return None
    return values


def pretty_values(store: DatasetStore) -> list[Any] | None:
    """Return the examples of a pretty-printed file, or None if it is not one.

    A file is "pretty-printed" when it is one JSON array of objects, or objects
    spread over several lines, so that it parses as a whole but not line by line.
    """
    if not looks_pretty(store):
        return None
    try:
        data = b"\n".join(store.iter_raw())
        if len(data) > MAX_PRETTY_BYTES:
            return None
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return _decode_all(text)


def pretty_finding(store: DatasetStore, values: list[Any]) -> Finding:
    """Return the finding for a pretty-printed file holding ``values``."""
    first = _first_nonblank(store) or b""
    if len(store) == 1 and first.startswith(b"["):
        message = array_message(len(values))
    else:
        message = pretty_message(len(values), len(store))
    return Finding(None, "pretty_printed_json", Severity.WARNING, message, True)
