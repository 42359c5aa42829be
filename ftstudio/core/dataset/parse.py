"""Parse one JSONL line into a value or a plain-language reason it is not one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import orjson


class LineKind(IntEnum):
    """What a line holds before any rule looks at it."""

    JSON = 0
    BLANK = 1
    INVALID_UTF8 = 2
    INVALID_JSON = 3


@dataclass(frozen=True, slots=True)
class ParsedLine:
    """One parsed line: ``value`` is set only when ``kind`` is JSON."""

    kind: LineKind
    value: Any = None
    error: str = ""


BLANK_LINE = ParsedLine(LineKind.BLANK)


def _reject(name: str) -> Any:
    msg = f"{name} is not a JSON value"
    raise ValueError(msg)


def parse_line(raw: bytes) -> ParsedLine:
    """Parse ``raw`` (one line without its terminator). Never raises."""
    if not raw.strip():
        return BLANK_LINE
    try:
        return ParsedLine(LineKind.JSON, orjson.loads(raw))
    except orjson.JSONDecodeError:
        pass
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start + 1}"
        return ParsedLine(
            LineKind.INVALID_UTF8, error=f"not valid UTF-8 text at {where}"
        )
    try:
        # orjson is strict about a few things the stdlib accepts (huge integers);
        # the stdlib also words its errors better for users.
        return ParsedLine(LineKind.JSON, json.loads(text, parse_constant=_reject))
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, json.JSONDecodeError):
            reason = f"{exc.msg.removesuffix(' at')} at character {exc.pos + 1}"
        else:
            reason = str(exc)
        return ParsedLine(LineKind.INVALID_JSON, error=reason)
