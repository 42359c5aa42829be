"""Tool definitions and tool calls counted by OpenAI's published method.

The method is the cookbook's ``num_tokens_for_tools`` (see
:mod:`ftstudio.core.tokens.counting` for the source and the constants'
meaning); :class:`ToolCounting` is the part of the token counter that
applies it.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# num_tokens_for_tools constants (gpt-4o family; func_init is 10 for cl100k)
FUNC_INIT, PROP_INIT, PROP_KEY, ENUM_INIT, ENUM_ITEM, FUNC_END = 7, 3, 3, -3, 3, 12
FUNC_INIT_CL100K = 10
CALL_TOKENS = 3
_TOOLS_MEMO_MAX = 1_000


def compact_json(value: Any) -> str:
    """Serialise ``value`` compactly (nested tool parameters, odd tool values)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


class ToolCounting:
    """Counting of tools and tool calls; the counter provides ``count_text``."""

    def __init__(self, encoding_name: str) -> None:
        self._tools_memo: dict[bytes, tuple[int, bool]] = {}
        self._func_init = (
            FUNC_INIT_CL100K if encoding_name == "cl100k_base" else FUNC_INIT
        )

    def count_text(self, text: str) -> int:  # pragma: no cover - TokenCounter's
        """Return the number of tokens of ``text``."""
        raise NotImplementedError

    def count_json(self, value: Any) -> int:
        """Return the tokens of ``value``'s compact JSON."""
        return self.count_text(compact_json(value))

    def count_tools(self, tools: Any, legacy: bool = False) -> tuple[int, bool]:
        """Return (tokens, exact) of a ``tools`` (or legacy ``functions``) list.

        OpenAI's published method (see the module docstring); a definition it
        cannot read (not the documented shape, nested parameters) is counted
        by its compact JSON and the count marked as not exact. Most datasets
        repeat a few tool lists on every line: each distinct list is counted
        once (keyed by its serialised form, which costs far less than a walk).
        """
        try:
            key = orjson.dumps(tools) + (b"L" if legacy else b"T")
        except TypeError:  # orjson.JSONEncodeError: odd values, count them as they come
            return self._count_tools(tools, legacy)
        memo = self._tools_memo
        hit = memo.get(key)
        if hit is None:
            hit = self._count_tools(tools, legacy)
            if len(memo) >= _TOOLS_MEMO_MAX:
                memo.clear()
            memo[key] = hit
        return hit

    def _count_tools(self, tools: Any, legacy: bool) -> tuple[int, bool]:
        if not isinstance(tools, list):
            return self.count_json(tools), False
        if not tools:
            return 0, True
        exact = True
        total = FUNC_END
        for tool in tools:
            function = (
                tool
                if legacy
                else (tool.get("function") if isinstance(tool, dict) else None)
            )
            if not isinstance(function, dict):
                total += self.count_json(tool)
                exact = False
                continue
            total += self._func_init
            desc = _text(function.get("description"))
            total += self.count_text(f"{_text(function.get('name'))}:{_no_stop(desc)}")
            params = function.get("parameters")
            props = params.get("properties") if isinstance(params, dict) else None
            if isinstance(props, dict) and props:
                total += PROP_INIT
                for key, prop in props.items():
                    n, ok = self._count_property(str(key), prop)
                    total += n
                    exact = exact and ok
        return total, exact

    def _count_property(self, key: str, prop: Any) -> tuple[int, bool]:
        total = PROP_KEY
        if not isinstance(prop, dict):
            return total + self.count_json(prop), False
        exact = True
        enum = prop.get("enum")
        if isinstance(enum, list):
            total += ENUM_INIT
            for item in enum:
                total += ENUM_ITEM + self.count_text(_text(item))
        kind = prop.get("type")
        total += self.count_text(
            f"{key}:{_text(kind)}:{_no_stop(_text(prop.get('description')))}"
        )
        nested = {k: prop[k] for k in ("properties", "items", "anyOf") if k in prop}
        if nested:
            total += self.count_json(nested)
            exact = False
        return total, exact

    def count_calls(self, calls: Any) -> int:
        if not isinstance(calls, list):
            calls = [calls]
        total = 0
        for call in calls:
            function = call.get("function", call) if isinstance(call, dict) else None
            if not isinstance(function, dict):
                total += self.count_json(call)
                continue
            total += CALL_TOKENS + self.count_text(_text(function.get("name")))
            args = function.get("arguments")
            total += self.count_text(
                args if isinstance(args, str) else compact_json(args)
            )
        return total


def _text(value: Any) -> str:
    return (
        value
        if isinstance(value, str)
        else ""
        if value is None
        else compact_json(value)
    )


def _no_stop(text: str) -> str:
    return text[:-1] if text.endswith(".") else text
