"""The fast path for well-formed tool-calling chat examples.

Datasets that teach tool use repeat one shape on every line: a ``tools``
list, assistant messages with ``tool_calls``, ``tool`` messages answering
them. The full rules (:mod:`ftstudio.core.validation.messages`,
:mod:`.tools`, :mod:`.tooldefs`) walk such a line three times (parse check,
rules, counting). Here one walk checks what those rules check and counts the
tokens as :meth:`TokenCounter.count_example` does; anything it does not
recognise as clean returns None and goes through the full rules, so findings
are only ever worded there. A property test
(``tests/core/test_fastpath_properties.py``) checks that both give the same
result.

Each distinct ``tools`` list is checked and counted once per run (most
datasets repeat one or a few on every line).
"""

from __future__ import annotations

from typing import Any

import orjson

from ftstudio.core.dataset.parse import read_exactly
from ftstudio.core.tokens.counting import (
    MESSAGE_TOKENS,
    NAME_TOKENS,
    REPLY_TOKENS,
    TokenCounter,
)
from ftstudio.core.tokens.toolcount import CALL_TOKENS
from ftstudio.core.validation.findings import Finding
from ftstudio.core.validation.lineresult import (
    CHAT,
    ESTIMATED,
    NO_SEVERITY,
    LineResult,
    digest,
)
from ftstudio.core.validation.secrets import secret_finding
from ftstudio.core.validation.tooldefs import definition_problem
from ftstudio.core.validation.tools import is_json

_TOP = frozenset({"messages", "tools", "parallel_tool_calls"})
_PLAIN_ROLES = frozenset({"system", "user"})
_PLAIN_KEYS = frozenset({"role", "content", "name"})
_ASSISTANT_KEYS = frozenset({"role", "content", "name", "weight", "tool_calls"})
_TOOL_KEYS = frozenset({"role", "content", "tool_call_id"})
_UNUSABLE = (-1, frozenset[str]())
"""Memo entry of a ``tools`` list the full rules must see."""
_MEMO_MAX = 1_000


def _text(value: Any) -> bool:
    """Whether ``value`` is text that is not blank (what content must be)."""
    return type(value) is str and bool(value) and not value.isspace()


def tools_entry(tools: Any, counter: TokenCounter) -> tuple[int, frozenset[str]]:
    """Return (tokens, declared names) of a clean ``tools`` list, or ``_UNUSABLE``.

    Clean: a list of definitions the rules accept, read exactly (no floats,
    which orjson may have rounded, and not nested too deeply). Memoised on
    ``counter`` by the list's serialised form.
    """
    if type(tools) is not list:
        return _UNUSABLE
    try:
        key = orjson.dumps(tools)
    except TypeError:  # numbers read exactly by the stdlib: let the rules see them
        return _UNUSABLE
    memo = counter.tools_check_memo
    entry = memo.get(key)
    if entry is None:
        entry = _check_tools(tools, counter)
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        memo[key] = entry
    return entry


def _check_tools(tools: list[Any], counter: TokenCounter) -> tuple[int, frozenset[str]]:
    names = set()
    for tool in tools:
        problem, name = definition_problem(tool, legacy=False)
        if problem is not None or name is None:
            return _UNUSABLE
        names.add(name)
    if not read_exactly(tools, 2):
        return _UNUSABLE
    return counter.count_tools(tools)[0], frozenset(names)


def _calls_tokens(
    calls: Any,
    declared: frozenset[str] | None,
    ids: set[str],
    counter: TokenCounter,
) -> int:
    """Return the tokens of a clean, non-empty ``tool_calls`` list, or -1."""
    if type(calls) is not list or not calls or declared is None:
        return -1
    count = counter.count_text
    tokens = 0
    for call in calls:
        if type(call) is not dict or call.get("type") != "function":
            return -1
        call_id, function = call.get("id"), call.get("function")
        if type(call_id) is not str or type(function) is not dict:
            return -1
        name, args = function.get("name"), function.get("arguments")
        if (
            type(name) is not str
            or name not in declared  # declared names are never blank
            or type(args) is not str
            or not is_json(args)
        ):
            return -1
        ids.add(call_id)
        tokens += CALL_TOKENS + count(name) + counter.count_ordinary(args)
    return tokens


def _message_tokens(message: dict[str, Any], role: str, counter: TokenCounter) -> int:
    """Return what :meth:`TokenCounter.count_message` gives for the text fields."""
    tokens = MESSAGE_TOKENS + counter.count_text(role)
    content = message.get("content")
    if type(content) is str:
        tokens += (
            counter.count_text(content)
            if role == "system"
            else counter.count_text_once(content)
        )
    name = message.get("name")
    if name is not None:
        tokens += NAME_TOKENS + counter.count_text(name)
    call_id = message.get("tool_call_id")
    if call_id is not None:
        tokens += counter.count_ordinary(call_id)
    return tokens


def fast_tools(
    value: dict[str, Any], raw: bytes, counter: TokenCounter
) -> LineResult | None:
    """Check a clean tool-calling chat example in one walk, or return None.

    ``value`` is ``raw`` as orjson read it, from a line without ``-0``, or as
    the stdlib read it exactly. Gives the same result as the full path.
    """
    messages = value.get("messages")
    if type(messages) is not list or not messages or not _TOP.issuperset(value):
        return None
    parallel = value.get("parallel_tool_calls", True)
    if type(parallel) is not bool:
        return None
    declared: frozenset[str] | None = None
    total = REPLY_TOKENS
    estimated = "tools" in value
    if estimated:
        tools, declared = tools_entry(value["tools"], counter)
        if tools < 0:
            return None
        total += tools
    ids: set[str] = set()
    assistant = 0
    trained = False
    for message in messages:
        if type(message) is not dict:
            return None
        role = message.get("role")
        name = message.get("name")
        if name is not None and type(name) is not str:
            return None
        if role == "assistant":
            if not _ASSISTANT_KEYS.issuperset(message):
                return None
            calls = message.get("tool_calls")
            content = message.get("content")
            if calls is None:
                if not _text(content):
                    return None
                tokens = 0
            else:
                if content is not None and type(content) is not str:
                    return None
                if not parallel and type(calls) is list and len(calls) > 1:
                    return None  # the full rules warn about it
                tokens = _calls_tokens(calls, declared, ids, counter)
                if tokens < 0:
                    return None
                estimated = True
            weight = message.get("weight", 1)
            if type(weight) is not int or weight not in (0, 1):
                return None
            tokens += _message_tokens(message, role, counter)
            total += tokens
            if weight:
                assistant += tokens
                trained = True
            continue
        if role == "tool":
            call_id = message.get("tool_call_id")
            if (
                not _TOOL_KEYS.issuperset(message)
                or type(call_id) is not str
                or call_id not in ids
            ):
                return None
        elif (
            type(role) is not str  # a list or object would not even hash
            or role not in _PLAIN_ROLES
            or not _PLAIN_KEYS.issuperset(message)
        ):
            return None
        if not _text(message.get("content")):
            return None
        total += _message_tokens(message, role, counter)
    if not trained:
        return None
    secret = secret_finding(raw)
    found: tuple[Finding, ...] = () if secret is None else (secret,)
    rank = NO_SEVERITY if secret is None else secret.severity.rank
    flags = ESTIMATED if estimated else 0
    return LineResult(
        CHAT, rank, len(messages), total, assistant, digest(value), found, flags
    )
