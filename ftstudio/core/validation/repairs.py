"""Safe repairs of one example's fields, for the "Repair fields" fix.

Only repairs whose result is certain: the ``developer`` role renamed
``system`` (supervised and preference data have no developer role, and the
two mean the same), tool-call arguments given as a JSON object written as
the JSON text OpenAI requires, and capitalised ``Prompt``/``Completion`` keys
in lower case. Everything else in the example stays as it was.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from ftstudio.core.dataset.formats import Foreign, foreign_format

HINTS = (b'"developer"', b'"arguments"', b"Prompt", b"Completion", b"PROMPT")
"""Bytes one of which a line must hold for a repair to apply (a cheap pre-filter)."""


def _messages_of(value: dict[str, Any]) -> list[list[Any]]:
    lists = []
    for holder in (value, value.get("input")):
        if isinstance(holder, dict) and isinstance(holder.get("messages"), list):
            lists.append(holder["messages"])
    for key in ("preferred_output", "non_preferred_output"):
        for alias in (key, key.replace("output", "completion")):
            if isinstance(value.get(alias), list):
                lists.append(value[alias])
    return lists


def _arguments_text(function: Any) -> bool:
    if isinstance(function, dict) and isinstance(
        function.get("arguments"), dict | list
    ):
        function["arguments"] = json.dumps(function["arguments"], ensure_ascii=False)
        return True
    return False


def _repair_message(message: Any) -> bool:
    if not isinstance(message, dict):
        return False
    changed = False
    if message.get("role") == "developer":
        message["role"] = "system"
        changed = True
    calls = message.get("tool_calls")
    if isinstance(calls, list):
        for call in calls:
            if isinstance(call, dict):
                changed = _arguments_text(call.get("function")) or changed
    return _arguments_text(message.get("function_call")) or changed


def _lower_keys(value: dict[str, Any]) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    for key, item in value.items():
        lower = key.lower() if key.lower() in ("prompt", "completion") else key
        if lower in out:
            return None  # both spellings present: which one is meant is unclear
        out[lower] = item
    return out


def repair(value: Any) -> Any | None:
    """Return a repaired copy of ``value``, or None when nothing needs repairing."""
    if not isinstance(value, dict):
        return None
    if foreign_format(value) is Foreign.CAPITALISED:
        return _lower_keys(value)
    fixed = copy.deepcopy(value)
    changed = False
    for messages in _messages_of(fixed):
        for message in messages:
            changed = _repair_message(message) or changed
    return fixed if changed else None
