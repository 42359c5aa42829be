"""Parse one JSONL line into a value or a plain-language reason it is not one.

Numbers are kept as written: a float remembers its text and an integer of any
size stays an exact ``int``, so :func:`dumps` writes an untouched number back
byte for byte and two examples that differ only in a 25-digit id never compare
equal. Lines nested deeper than :data:`MAX_DEPTH` are invalid lines with a
plain reason, so no later step (rules, serialising, the sandbox) ever recurses
past Python's limit.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import orjson

MAX_DEPTH = 128
"""Deepest nesting of lists and objects a line may have (real examples use < 20)."""

DEPTH_REASON = (
    f"brackets nested too deeply: more than {MAX_DEPTH} levels, where a training "
    "example needs fewer than 20"
)

_NEGATIVE_ZERO = re.compile(rb"-0(?![.eE0-9])")  # orjson reads it as plain 0
_I64 = 1 << 63


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


class JsonFloat(float):
    """A float that remembers how the file wrote it (``1.50``, ``1e23``)."""

    __slots__ = ("text",)
    text: str

    def __new__(cls, text: str) -> JsonFloat:
        """Read ``text`` as a float and keep the text."""
        self = super().__new__(cls, text)
        self.text = text
        return self


class JsonInt(int):
    """An integer that needs its own text to round-trip (beyond 64 bits, ``-0``)."""

    text: str  # (int subtypes cannot have slots; these are rare)

    def __new__(cls, text: str) -> JsonInt:
        """Read ``text`` as an integer and keep the text."""
        self = super().__new__(cls, text)
        self.text = text
        return self


def exact_int(text: str) -> int:
    """Read a JSON integer: a plain ``int``, or a :class:`JsonInt` where the text matters."""
    value = int(text)
    if -_I64 <= value < _I64 and text != "-0":
        return value
    return JsonInt(text)


def _reject(name: str) -> Any:
    msg = f"{name} is not a JSON value"
    raise ValueError(msg)


def _exact(value: Any) -> Any:
    if isinstance(value, (JsonFloat, JsonInt)):
        return orjson.Fragment(value.text)
    msg = f"{type(value).__name__} is not JSON serialisable"
    raise TypeError(msg)


def dumps(value: Any) -> bytes:
    r"""Serialise one example as a compact JSONL line (key order kept, UTF-8 as is).

    Numbers read by :func:`parse_line` are written exactly as they were read.
    orjson refuses lone surrogates (``"\ud800"``), which the stdlib parser
    accepts on read: those values go through the stdlib, escaped, so an edit
    never fails to save.
    """
    try:
        return orjson.dumps(
            value, default=_exact, option=orjson.OPT_PASSTHROUGH_SUBCLASS
        )
    except TypeError:
        pass
    # the stdlib writes exact numbers' own float or int text, not what the file
    # said: each goes in as a marker string, and its text replaces the marker
    texts: list[str] = []
    tag = secrets.token_hex(8)  # no string in the data can hold it by chance
    text = json.dumps(_marked(value, texts, tag), separators=(",", ":"))
    marker = re.compile(rf'"\\u0000{tag}(\d+)\\u0000"')
    return marker.sub(lambda m: texts[int(m[1])], text).encode("ascii")


def _marked(value: Any, texts: list[str], tag: str) -> Any:
    if isinstance(value, (JsonFloat, JsonInt)):
        texts.append(value.text)
        return f"\0{tag}{len(texts) - 1}\0"
    if isinstance(value, dict):
        return {k: _marked(v, texts, tag) for k, v in value.items()}
    if isinstance(value, list):
        return [_marked(v, texts, tag) for v in value]
    return value


def too_deep(value: Any) -> bool:
    """Whether ``value`` nests lists and objects more than :data:`MAX_DEPTH` deep."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend(
                (v, depth + 1) for v in item.values() if isinstance(v, (dict, list))
            )
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, (dict, list)))
    return False


_FLOAT, _ZERO, _DEEP = 1, 2, 4


def _scan(value: Any, depth: int = 1) -> int:
    """Walk orjson's ``value`` once: flag floats, zeros and nesting too deep.

    orjson reads integers beyond 64 bits as floats and ``-0`` as ``0``, so a
    value without floats or zeros is exactly what the line says. The walk is
    cheaper than any scan of the line's text. ``depth`` is how deep ``value``
    sits in its line (1: the line's own value).
    """
    kind = type(value)
    if kind is not dict and kind is not list:
        if kind is float:
            return _FLOAT
        return _ZERO if kind is int and value == 0 else 0
    flags = 0
    stack: list[tuple[Any, int]] = [(value, depth)]
    pop, push = stack.pop, stack.append
    while stack:
        item, depth = pop()
        if depth > MAX_DEPTH:
            return _DEEP
        for child in item.values() if type(item) is dict else item:
            kind = type(child)
            if kind is dict or kind is list:
                push((child, depth + 1))
            elif kind is float:
                flags |= _FLOAT
            elif kind is int and child == 0:
                flags |= _ZERO
    return flags


def read_exactly(value: Any, depth: int) -> bool:
    """Whether orjson's ``value`` is exactly what its line says, and not too deep.

    ``value`` sits ``depth`` levels deep in a line without ``-0``. For fast
    paths that check most of a line's structure themselves and need
    :func:`parse_loaded`'s walk only over a part of unknown shape.
    """
    return not _scan(value, depth) & (_FLOAT | _DEEP)


def _checked(value: Any) -> ParsedLine:
    if too_deep(value):
        return ParsedLine(LineKind.INVALID_JSON, error=DEPTH_REASON)
    return ParsedLine(LineKind.JSON, value)


def parse_line(raw: bytes) -> ParsedLine:
    """Parse ``raw`` (one line without its terminator). Never raises."""
    if not raw.strip():
        return BLANK_LINE
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return _parse_exact(raw)
    return parse_loaded(raw, value)


def parse_loaded(raw: bytes, value: Any) -> ParsedLine:
    """Finish :func:`parse_line` for a line that ``orjson.loads`` read as ``value``.

    For callers that parsed the line already: the value is kept when it is
    exactly what the line says, else the line is read again exactly.
    """
    flags = _scan(value)
    if flags & _DEEP:
        return ParsedLine(LineKind.INVALID_JSON, error=DEPTH_REASON)
    if not flags & _FLOAT and not (flags & _ZERO and _NEGATIVE_ZERO.search(raw)):
        return ParsedLine(LineKind.JSON, value)
    return _parse_exact(raw)


def _parse_exact(raw: bytes) -> ParsedLine:
    """Parse a non-blank line with the stdlib, numbers kept as written."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start + 1}"
        return ParsedLine(
            LineKind.INVALID_UTF8, error=f"not valid UTF-8 text at {where}"
        )
    try:
        # the stdlib keeps numbers exact through the hooks, accepts what orjson
        # refuses (lone surrogates) and words its errors better for users
        value = json.loads(
            text, parse_float=JsonFloat, parse_int=exact_int, parse_constant=_reject
        )
    except RecursionError:
        return ParsedLine(LineKind.INVALID_JSON, error=DEPTH_REASON)
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
            if "recursion" in exc.msg:  # orjson's and json's words for "too deep"
                return ParsedLine(LineKind.INVALID_JSON, error=DEPTH_REASON)
            reason = f"{exc.msg.removesuffix(' at')} at character {exc.pos + 1}"
        else:
            reason = str(exc)
        return ParsedLine(LineKind.INVALID_JSON, error=reason)
    return _checked(value)
