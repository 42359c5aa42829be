"""Check one raw line: parse it, apply the rules, count tokens, fingerprint it.

This is the per-line work the validator caches by store key and the parallel
first pass runs in worker processes, so it depends on nothing but the bytes.
Plain chat lines take :mod:`ftstudio.core.validation.fastpath`.
"""

from __future__ import annotations

from typing import Any

import orjson

from ftstudio.core.dataset.formats import Format, detect_format, foreign_format
from ftstudio.core.dataset.parse import LineKind, parse_line, parse_loaded
from ftstudio.core.tokens.counting import TokenCounter
from ftstudio.core.validation.fastpath import plain_line, plain_value
from ftstudio.core.validation.fasttools import fast_tools
from ftstudio.core.validation.findings import Finding, Severity
from ftstudio.core.validation.lineresult import (
    BLANK,
    CHAT,
    CLASS_FORMATS,
    CLASS_OF,
    COMPLETION,
    ESTIMATED,
    FOREIGN_KINDS,
    FOREIGN_SHIFT,
    IMAGES,
    NO_SEVERITY,
    NOT_OBJECT,
    PREFERENCE,
    UNKNOWN_IMAGES,
    LineResult,
    digest,
    text_digest,
)
from ftstudio.core.validation.rules import (
    check_chat,
    check_completion,
    check_preference,
    finding,
    short,
)
from ftstudio.core.validation.secrets import secret_finding


def kind_finding(kind: LineKind, error: str) -> Finding:
    if kind is LineKind.BLANK:
        return finding(
            "blank_line",
            Severity.ERROR,
            "This line is empty, and OpenAI rejects files with empty lines: delete "
            "it (the fix removes every empty line).",
            fixable=True,
        )
    if kind is LineKind.INVALID_UTF8:
        return finding(
            "invalid_utf8",
            Severity.ERROR,
            f"This line is not readable text ({error}). Save the file as UTF-8 in "
            "your editor, or retype the odd characters.",
        )
    if "recursion" in error:  # Python's own words for JSON nested too deeply
        error = "brackets nested too deeply"
    return finding(
        "invalid_json",
        Severity.ERROR,
        f"This line is not valid JSON ({error}). Each line must be one complete "
        "example between { and }; look for a missing quote, comma or bracket.",
    )


def not_object(value: Any) -> Finding:
    """Return the finding for a line whose JSON is not an object."""
    what = "a list" if isinstance(value, list) else f"the value {short(value, 30)}"
    return finding(
        "data_type",
        Severity.ERROR,
        f"This line holds {what}, not an example: each line must be one JSON "
        'object such as {"messages": [...]}.',
    )


def _foreign_bits(value: Any) -> int:
    kind = foreign_format(value)
    return 0 if kind is None else (FOREIGN_KINDS.index(kind) + 1) << FOREIGN_SHIFT


def check_line(raw: bytes, counter: TokenCounter, fast: bool = True) -> LineResult:
    """Check the line ``raw`` (without its terminator). Never raises.

    ``fast=False`` skips the fast paths (tests compare both ways).
    """
    # orjson and msgspec read "-0" as 0 (the rules keep it as written): only
    # lines without it are taken as they read them
    exact = fast and b"-0" not in raw
    if exact:
        result = plain_line(raw, counter)
        if result is not None:
            return result
    tried: Any = None
    try:
        loaded: Any = orjson.loads(raw)
    except orjson.JSONDecodeError:
        parsed = parse_line(raw)  # blank, not UTF-8, or not JSON: worded there
    else:
        if exact and type(loaded) is dict:
            if len(loaded) > 1:  # plain chat examples were tried above
                result = fast_tools(loaded, raw, counter)
                if result is not None:
                    return result
            tried = loaded
        parsed = parse_loaded(raw, loaded)
    if parsed.kind is not LineKind.JSON:
        cls = BLANK if parsed.kind is LineKind.BLANK else NOT_OBJECT
        f = kind_finding(parsed.kind, parsed.error)
        return LineResult(cls, f.severity.rank, 0, 0, 0, 0, (f,))
    value = parsed.value
    if not isinstance(value, dict):
        f = not_object(value)
        return LineResult(NOT_OBJECT, f.severity.rank, 0, 0, 0, 0, (f,))
    if fast and value is not tried:  # a "-0" in it, or read exactly by the stdlib
        result = (
            plain_value(value, counter)
            if len(value) == 1
            else fast_tools(value, raw, counter)
        )
        if result is not None:
            return result
    fmt = detect_format(value)
    if fmt is Format.PREFERENCE:
        found = check_preference(value)
    elif fmt is Format.COMPLETION:
        found = check_completion(value)
    else:
        found = check_chat(value)
    secret = secret_finding(raw)
    if secret is not None:
        found.append(secret)
    tokens = counter.count_example(value, fmt)
    rank = min((f.severity.rank for f in found), default=NO_SEVERITY)
    flags = _foreign_bits(value)
    if tokens.estimated:
        flags |= ESTIMATED
    if tokens.unknown_images:
        flags |= UNKNOWN_IMAGES
    if b'"image_url"' in raw and _has_images(value, fmt):
        flags |= IMAGES
    prompt = completion = 0
    if fmt is Format.COMPLETION:
        p, c = value.get("prompt"), value.get("completion")
        prompt = text_digest(p) if isinstance(p, str) else 0
        completion = text_digest(c) if isinstance(c, str) else 0
    return LineResult(
        CLASS_OF[fmt],
        rank,
        tokens.messages,
        tokens.total,
        tokens.assistant,
        digest(value),
        tuple(found),
        flags,
        prompt,
        completion,
    )


def _has_images(value: dict[str, Any], fmt: Format) -> bool:
    """Whether any message of the example has an image part."""
    given = value.get("input") if fmt is Format.PREFERENCE else value
    messages = given.get("messages") if isinstance(given, dict) else None
    if not isinstance(messages, list):
        return False
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list) and any(
            isinstance(p, dict) and p.get("type") == "image_url" for p in content
        ):
            return True
    return False


__all__ = [
    "BLANK",
    "CHAT",
    "CLASS_FORMATS",
    "COMPLETION",
    "ESTIMATED",
    "FOREIGN_KINDS",
    "FOREIGN_SHIFT",
    "IMAGES",
    "NOT_OBJECT",
    "NO_SEVERITY",
    "PREFERENCE",
    "UNKNOWN_IMAGES",
    "LineResult",
    "check_line",
    "digest",
    "not_object",
    "text_digest",
]
