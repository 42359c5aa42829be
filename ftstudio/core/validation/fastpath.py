"""The fast path for plain chat examples.

Most lines of most datasets are plain chat examples: system, user and
assistant messages with text. msgspec reads such a line straight into typed
structs, checking its keys and types while it parses (in compiled code, faster
than orjson builds dictionaries); what the types cannot say (text not blank,
weights only on assistant replies, something to train on) is checked here, and
each text is tokenized once. Anything else goes through the full rules in
:mod:`ftstudio.core.validation.linecheck`, so findings are only worded there;
a property test checks that both paths give the same result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

from ftstudio.core.tokens.counting import (
    MESSAGE_TOKENS,
    NAME_TOKENS,
    REPLY_TOKENS,
    TokenCounter,
)
from ftstudio.core.validation.findings import Finding, Severity
from ftstudio.core.validation.lineresult import (
    CHAT,
    NO_SEVERITY,
    LineResult,
    bytes_digest,
)
from ftstudio.core.validation.secrets import (
    SECRET_TEXT,
    may_hold_secret,
    secret_message,
    text_secret,
)

_MEMO_MAX = 50_000  # bounded: a 1 GB file must not keep every string it ever saw


class _Message(
    msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    # Fields in sorted order: the struct then encodes exactly as orjson writes
    # the same message with sorted keys, which is what lineresult.digest hashes.
    content: str
    name: str | UnsetType = UNSET
    role: Literal["system", "user", "assistant"]
    weight: Literal[0, 1] | UnsetType = UNSET


class _Example(msgspec.Struct, forbid_unknown_fields=True):
    messages: list[_Message]


_decode = msgspec.json.Decoder(_Example).decode
_encode = msgspec.json.Encoder().encode


def plain_line(raw: bytes, counter: TokenCounter) -> LineResult | None:
    """Check the line ``raw`` if it is a plain chat example, else return None.

    ``raw`` must not hold ``-0``: msgspec, like orjson, reads it as 0, while
    the full rules keep the number as written.
    """
    try:
        example = _decode(raw)
    except msgspec.MsgspecError:  # not JSON, or not a plain chat example
        return None
    return _plain(example, counter)


def plain_value(value: dict[str, Any], counter: TokenCounter) -> LineResult | None:
    """Check a parsed line if it is a plain chat example, else return None."""
    try:
        example = msgspec.convert(value, _Example)
    except msgspec.MsgspecError:
        return None
    return _plain(example, counter)


def _plain(example: _Example, counter: TokenCounter) -> LineResult | None:
    messages = example.messages
    if not messages:
        return None
    trained = False
    for message in messages:
        content = message.content
        if not content or content.isspace():
            return None
        if message.weight is UNSET:
            trained = trained or message.role == "assistant"
        elif message.role != "assistant":
            return None
        else:
            trained = trained or message.weight == 1
    if not trained:
        return None
    try:
        data = _encode(example)
    except (msgspec.EncodeError, UnicodeEncodeError):  # a lone surrogate: the
        return None  # stdlib reads it, and the full rules count it as tiktoken does
    return _count(messages, bytes_digest(data), counter, counter.raw_count)


def _memo_count(memo: dict[str, int], text: str, count: Callable[[str], int]) -> int:
    """Count ``text`` and look for secrets in it once; later calls cost a lookup."""
    n = count(text)
    if may_hold_secret(text) and SECRET_TEXT.search(text) is not None:
        n = ~n
    if len(memo) >= _MEMO_MAX:
        memo.clear()  # cheap eviction: repeated strings come back at once
    memo[text] = n
    return n


def _count(
    messages: list[_Message],
    fingerprint: int,
    counter: TokenCounter,
    count: Callable[[str], int],
) -> LineResult:
    """Count the tokens of checked plain messages and look for secrets in them.

    Texts that repeat (system prompts, roles) are counted once per run through
    ``counter.text_memo``. System prompts, roles and names are memoised
    always; other texts only while the memo pays: once 2,000 of them were
    looked up with fewer than 1 in 20 found, they are counted without storing
    them (storing costs a hash and an insert for nothing when nothing repeats),
    and looked up only on the lines :meth:`TokenCounter.memo_probe` samples.
    """
    memo = counter.text_memo
    pays = counter.memo_pays()  # decided once per line: it changes slowly
    look = pays or counter.memo_probe()
    search = SECRET_TEXT.search
    hits = misses = 0
    total = REPLY_TOKENS
    assistant = 0
    secret: str | None = None
    for message in messages:
        role = message.role
        content = message.content
        n = memo.get(content) if look or role == "system" else None
        if n is None:
            if role == "system" or pays:
                misses += role != "system"
                n = _memo_count(memo, content, count)
            else:
                misses += look
                n = count(content)
                if may_hold_secret(content) and search(content):
                    n = ~n
        elif role != "system":
            hits += 1
        if n < 0:
            n = ~n
            secret = content
        r = memo.get(role)
        if r is None:
            r = _memo_count(memo, role, count)
        tokens = MESSAGE_TOKENS + r + n
        name = message.name
        if name is not UNSET:
            m = memo.get(name)
            if m is None:
                m = _memo_count(memo, name, count)
            if m < 0:
                m, secret = ~m, name
            tokens += NAME_TOKENS + m
        total += tokens
        if role == "assistant" and message.weight != 0:
            assistant += tokens
    counter.memo_hits += hits
    counter.memo_misses += misses
    if secret is None:
        found: tuple[Finding, ...] = ()
        rank = NO_SEVERITY
    else:
        found = (secret_message(text_secret(secret) or ""),)
        rank = Severity.WARNING.rank
    return LineResult(CHAT, rank, len(messages), total, assistant, fingerprint, found)
