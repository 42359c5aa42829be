"""Check one raw line: parse it, apply the rules, count tokens, fingerprint it.

This is the per-line work the validator caches by store key and the parallel
first pass runs in worker processes, so it depends on nothing but the bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

import orjson

from ftstudio.core.dataset.formats import Foreign, Format, detect_format, foreign_format
from ftstudio.core.dataset.parse import LineKind, parse_line
from ftstudio.core.tokens.counting import (
    MESSAGE_TOKENS,
    NAME_TOKENS,
    REPLY_TOKENS,
    TokenCounter,
)
from ftstudio.core.validation.findings import Finding, Severity
from ftstudio.core.validation.rules import (
    check_chat,
    check_completion,
    check_preference,
    finding,
    short,
)

# Line classes stored per key (int8): the three formats, then lines that are
# not examples of any format.
CHAT, PREFERENCE, COMPLETION, NOT_OBJECT, BLANK = 0, 1, 2, 3, 4
CLASS_FORMATS = (
    Format.CHAT,
    Format.PREFERENCE,
    Format.COMPLETION,
    Format.UNKNOWN,
    Format.UNKNOWN,
)
_CLASS_OF = {
    Format.CHAT: CHAT,
    Format.PREFERENCE: PREFERENCE,
    Format.COMPLETION: COMPLETION,
}
NO_SEVERITY = (
    3  # rank stored for a line without findings (errors 0, warnings 1, info 2)
)

_SECRET = re.compile(
    rb"(?P<kind>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}"
    rb"|-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"
    rb"|AKIA[0-9A-Z]{16}"
    rb"|gh[pousr]_[A-Za-z0-9]{36,}"
    rb"|xox[abposr]-[A-Za-z0-9-]{10,}"
    rb"|AIza[0-9A-Za-z_\-]{35})"
)
_SECRET_TEXT = re.compile(_SECRET.pattern.decode("ascii"))
_MEMO_MAX = 50_000  # bounded: a 1 GB file must not keep every string it ever saw
_FAST_ROLES = frozenset({"system", "user", "assistant"})
_FAST_KEYS = frozenset({"role", "content", "name", "weight"})

# Bits of LineResult.flags.
ESTIMATED = 1
"""The token count is an estimate (tools, tool calls, images of unknown size)."""
IMAGES = 2
"""The example holds images (only vision models train on them)."""
UNKNOWN_IMAGES = 4
"""An image is a web address whose size cannot be known offline."""
FOREIGN_SHIFT = 3
"""Bits 3-5: 1 + the index of the :class:`Foreign` format the line is in, or 0."""
FOREIGN_KINDS = tuple(Foreign)


@dataclass(frozen=True, slots=True)
class LineResult:
    """What the validator keeps about one line."""

    cls: int
    rank: int
    messages: int
    tokens: int
    assistant: int
    digest: int
    findings: tuple[Finding, ...]
    flags: int = 0
    prompt: int = 0
    """Fingerprint of a completion line's prompt (0 for other lines)."""
    completion: int = 0
    """Fingerprint of a completion line's completion (0 for other lines)."""


def text_digest(text: str) -> int:
    """Return a 63-bit fingerprint of one text (never 0)."""
    data = text.encode("utf-8", "surrogatepass")
    raw = hashlib.blake2b(data, digest_size=8).digest()
    return (int.from_bytes(raw, "little") >> 1) or 1


def digest(value: Any) -> int:
    """Return a 63-bit fingerprint of a parsed example (key order does not matter)."""
    try:
        data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):  # e.g. integers orjson cannot hold
        data = json.dumps(value, sort_keys=True, ensure_ascii=False).encode(
            "utf-8", "surrogatepass"
        )
    raw = hashlib.blake2b(data, digest_size=8).digest()
    return (int.from_bytes(raw, "little") >> 1) or 1  # 0 means "not an example"


def _secret_message(shown: str) -> Finding:
    return finding(
        "possible_secret",
        Severity.WARNING,
        f"This example seems to contain a secret (text starting with “{shown[:8]}…” "
        "looks like an API key or private key). Training data can be repeated by "
        "the model: remove the secret or replace it with a made-up value.",
    )


def _secret_finding(raw: bytes) -> Finding | None:
    match = _SECRET.search(raw)
    if match is None:
        return None
    return _secret_message(match.group("kind")[:8].decode("ascii", "replace"))


def _text_secret(text: str) -> str | None:
    """Return the start of a secret in ``text``, or None."""
    match = _SECRET_TEXT.search(text)
    return match.group("kind") if match is not None else None


def _kind_finding(kind: LineKind, error: str) -> Finding:
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


def _memo_count(memo: dict[str, int], text: str, counter: TokenCounter) -> int:
    """Count ``text`` and look for secrets in it once; later calls cost a lookup."""
    n = len(counter.encode_ordinary(text))
    # every pattern holds "-" or "_" or starts with AKIA/AIza: skip the regex
    # (the costlier part) for the many texts that cannot match
    if ("-" in text or "_" in text or "AKIA" in text or "AIza" in text) and (
        _SECRET_TEXT.search(text) is not None
    ):
        n = ~n
    if len(memo) >= _MEMO_MAX:
        memo.clear()  # cheap eviction: repeated strings come back at once
    memo[text] = n
    return n


def _fast_shape(value: dict[str, Any]) -> list[Any] | None:
    """Return the messages of a plain chat example the fast path can take, or None.

    Looks only at keys and types (no tokenizing), so an example the fast path
    cannot take costs almost nothing before it goes through the full rules.
    Plain means: only ``messages``; each message a system, user or assistant
    role with non-blank text content, an optional text ``name`` and, on
    assistant messages, a ``weight`` of 0 or 1; at least one assistant reply
    with weight 1.
    """
    messages = value.get("messages")
    if len(value) != 1 or type(messages) is not list or not messages:
        return None
    trained = False
    for message in messages:
        if type(message) is not dict:
            return None
        role = message.get("role")
        content = message.get("content")
        if (
            type(content) is not str
            or type(role) is not str
            or role not in _FAST_ROLES
            or not content
            or content.isspace()
        ):
            return None
        if len(message) != 2:
            if not _FAST_KEYS.issuperset(message):
                return None
            if "name" in message and type(message["name"]) is not str:
                return None
            if "weight" in message:
                weight = message["weight"]
                if (
                    role != "assistant"
                    or type(weight) is not int
                    or weight not in (0, 1)
                ):
                    return None
                trained = trained or weight == 1
                continue
        trained = trained or role == "assistant"
    return messages if trained else None


def _fast_chat(value: dict[str, Any], counter: TokenCounter) -> LineResult | None:
    """Check the common plain chat example in one pass, or return None.

    Gives the same result as the full path, tokenizing each text once and
    looking for secrets in it. Texts that repeat (system prompts, roles) are
    counted once per run through ``counter.text_memo``; unique texts skip the
    memo (see :func:`_count`).
    """
    messages = _fast_shape(value)
    if messages is None:
        return None
    memo = counter.text_memo
    total = REPLY_TOKENS
    assistant = 0
    secret: str | None = None
    for message in messages:
        role = message["role"]
        content = message["content"]
        n = memo.get(content)
        if n is None:
            n = _count(memo, content, counter, role == "system")
        elif role != "system":
            counter.memo_hits += 1
        if n < 0:
            n = ~n
            secret = content
        r = memo.get(role)
        if r is None:
            r = _memo_count(memo, role, counter)
        tokens = MESSAGE_TOKENS + r + n
        if len(message) != 2:
            name = message.get("name")
            if name is not None:
                m = _count(memo, name, counter, True)
                if m < 0:
                    m, secret = ~m, name
                tokens += NAME_TOKENS + m
            if message.get("weight", 1) == 0:
                total += tokens
                continue
        total += tokens
        if role == "assistant":
            assistant += tokens
    if secret is None:
        found: tuple[Finding, ...] = ()
        rank = NO_SEVERITY
    else:
        found = (_secret_message(_text_secret(secret) or ""),)
        rank = Severity.WARNING.rank
    return LineResult(CHAT, rank, len(messages), total, assistant, digest(value), found)


def _count(
    memo: dict[str, int], text: str, counter: TokenCounter, repeats: bool
) -> int:
    """Count ``text`` (``~tokens`` when it holds a secret), memoised when worth it.

    System prompts and names are memoised always. Other texts only while the
    memo pays: once 2,000 of them were looked up with fewer than 1 in 20
    found, unique texts are counted without storing them (storing costs a
    hash and an insert for nothing when nothing repeats).
    """
    if repeats:
        return _memo_count(memo, text, counter)
    counter.memo_misses += 1
    if counter.memo_pays():
        return _memo_count(memo, text, counter)
    n = len(counter.encode_ordinary(text))
    if ("-" in text or "_" in text or "AKIA" in text or "AIza" in text) and (
        _SECRET_TEXT.search(text) is not None
    ):
        n = ~n
    return n


def _foreign_bits(value: Any) -> int:
    kind = foreign_format(value)
    return 0 if kind is None else (FOREIGN_KINDS.index(kind) + 1) << FOREIGN_SHIFT


def check_line(raw: bytes, counter: TokenCounter) -> LineResult:
    """Check the line ``raw`` (without its terminator). Never raises."""
    parsed = parse_line(raw)
    if parsed.kind is not LineKind.JSON:
        cls = BLANK if parsed.kind is LineKind.BLANK else NOT_OBJECT
        f = _kind_finding(parsed.kind, parsed.error)
        return LineResult(cls, f.severity.rank, 0, 0, 0, 0, (f,))
    value = parsed.value
    if not isinstance(value, dict):
        f = not_object(value)
        return LineResult(NOT_OBJECT, f.severity.rank, 0, 0, 0, 0, (f,))
    fast = _fast_chat(value, counter)
    if fast is not None:
        return fast
    fmt = detect_format(value)
    if fmt is Format.PREFERENCE:
        found = check_preference(value)
    elif fmt is Format.COMPLETION:
        found = check_completion(value)
    else:
        found = check_chat(value)
    secret = _secret_finding(raw)
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
        _CLASS_OF[fmt],
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
