"""The fast path for plain chat examples, and the secret scan of texts.

Most lines of most datasets are plain chat examples: system, user and
assistant messages with text. They are checked here in one pass with no rule
machinery, tokenizing each text once; anything else goes through the full
rules in :mod:`ftstudio.core.validation.linecheck`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ftstudio.core.tokens.counting import (
    MESSAGE_TOKENS,
    NAME_TOKENS,
    REPLY_TOKENS,
    TokenCounter,
)
from ftstudio.core.validation.findings import Finding, Severity
from ftstudio.core.validation.lineresult import CHAT, NO_SEVERITY, LineResult, digest
from ftstudio.core.validation.words import finding

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


def secret_message(shown: str) -> Finding:
    return finding(
        "possible_secret",
        Severity.WARNING,
        f"This example seems to contain a secret (text starting with “{shown[:8]}…” "
        "looks like an API key or private key). Training data can be repeated by "
        "the model: remove the secret or replace it with a made-up value.",
    )


def secret_finding(raw: bytes) -> Finding | None:
    match = _SECRET.search(raw)
    if match is None:
        return None
    return secret_message(match.group("kind")[:8].decode("ascii", "replace"))


def text_secret(text: str) -> str | None:
    """Return the start of a secret in ``text``, or None."""
    match = _SECRET_TEXT.search(text)
    return match.group("kind") if match is not None else None


def _memo_count(memo: dict[str, int], text: str, count: Callable[[str], int]) -> int:
    """Count ``text`` and look for secrets in it once; later calls cost a lookup."""
    n = count(text)
    if _may_hold_secret(text) and _SECRET_TEXT.search(text) is not None:
        n = ~n
    if len(memo) >= _MEMO_MAX:
        memo.clear()  # cheap eviction: repeated strings come back at once
    memo[text] = n
    return n


def fast_shape(value: dict[str, Any]) -> list[Any] | None:
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


def fast_chat(value: dict[str, Any], counter: TokenCounter) -> LineResult | None:
    """Check the common plain chat example in one pass, or return None.

    Gives the same result as the full path, tokenizing each text once and
    looking for secrets in it. Texts that repeat (system prompts, roles) are
    counted once per run through ``counter.text_memo``. System prompts, roles
    and names are memoised always; other texts only while the memo pays: once
    2,000 of them were looked up with fewer than 1 in 20 found, they are
    counted without storing them (storing costs a hash and an insert for
    nothing when nothing repeats).
    """
    messages = fast_shape(value)
    if messages is None:
        return None
    try:
        return _fast_chat(value, messages, counter, counter.raw_count)
    except UnicodeEncodeError:  # a lone surrogate: count as count_ordinary does
        return _fast_chat(value, messages, counter, counter.count_ordinary)


def _fast_chat(
    value: dict[str, Any],
    messages: list[Any],
    counter: TokenCounter,
    count: Callable[[str], int],
) -> LineResult:
    memo = counter.text_memo
    pays = counter.memo_pays()  # decided once per line: it changes slowly
    search = _SECRET_TEXT.search
    hits = misses = 0
    total = REPLY_TOKENS
    assistant = 0
    secret: str | None = None
    for message in messages:
        role = message["role"]
        content = message["content"]
        n = memo.get(content)
        if n is None:
            if role == "system" or pays:
                misses += role != "system"
                n = _memo_count(memo, content, count)
            else:
                misses += 1
                n = count(content)
                # each secret pattern holds "-" or "_" or starts with AKIA or
                # AIza: the regex runs only on texts that could match
                if (
                    "-" in content
                    or "_" in content
                    or ("A" in content and ("AKIA" in content or "AIza" in content))
                ) and search(content):
                    n = ~n
        elif role != "system":
            hits += 1
        if n < 0:
            n = ~n
            secret = content
        r = memo.get(role)
        if r is None:
            r = _memo_count(memo, role, count)
        if len(message) == 2:
            total += MESSAGE_TOKENS + r + n
            if role == "assistant":
                assistant += MESSAGE_TOKENS + r + n
            continue
        tokens = MESSAGE_TOKENS + r + n
        name = message.get("name")
        if name is not None:
            m = memo.get(name)
            if m is None:
                m = _memo_count(memo, name, count)
            if m < 0:
                m, secret = ~m, name
            tokens += NAME_TOKENS + m
        total += tokens
        if role == "assistant" and message.get("weight", 1) != 0:
            assistant += tokens
    counter.memo_hits += hits
    counter.memo_misses += misses
    if secret is None:
        found: tuple[Finding, ...] = ()
        rank = NO_SEVERITY
    else:
        found = (secret_message(text_secret(secret) or ""),)
        rank = Severity.WARNING.rank
    return LineResult(CHAT, rank, len(messages), total, assistant, digest(value), found)


def _may_hold_secret(text: str) -> bool:
    """Whether ``text`` could match a secret pattern (a cheap test first).

    Each pattern holds "-" or "_" or starts with AKIA or AIza, so the regex
    (the costlier test) is skipped for the many texts that cannot match.
    """
    return (
        "-" in text
        or "_" in text
        or ("A" in text and ("AKIA" in text or "AIza" in text))  # "A": memchr, quick
    )
