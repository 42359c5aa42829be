"""What an example holds that the editor's form cannot show (Qt-free).

The Validator may say "remove it" of a field the form has no box for: an
unknown key, or a weight on a user message. Listed here, the editor names each
one with a Remove button and offers the example as JSON.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from ftstudio.core.dataset.formats import Format, detect_format

Path = tuple[str | int, ...]

_TOP_KEYS = {
    Format.CHAT: frozenset({"messages", "tools", "functions"}),
    Format.PREFERENCE: frozenset({"input", "preferred_output", "non_preferred_output"}),
    Format.COMPLETION: frozenset({"prompt", "completion"}),
}
_MESSAGE_KEYS = frozenset({"role", "content", "tool_calls"})
_REPLY_KEYS = frozenset({"role", "content"})


@dataclass(frozen=True)
class Hidden:
    """One field the form does not show: where it is and how to say it."""

    path: Path
    """Keys and list indexes from the example down to the field."""
    text: str
    """Where it is, in words ("weight" on message 1, from the user)."""


def _messages(value: dict[str, Any], where: Path) -> list[Hidden]:
    out: list[Hidden] = []
    messages = value.get("messages")
    if not isinstance(messages, list):
        return out
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        role = message.get("role")
        for key in message:
            shown = key in _MESSAGE_KEYS or (key == "weight" and role == "assistant")
            if not shown:
                kind = f", from the {role}" if isinstance(role, str) else ""
                out.append(
                    Hidden(
                        (*where, "messages", i, key),
                        f'"{key}" on message {i + 1}{kind}',
                    )
                )
    return out


def hidden_parts(value: Any) -> list[Hidden]:
    """Return the fields of ``value`` (one parsed line) the form does not show."""
    if not isinstance(value, dict):
        return []
    fmt = detect_format(value)
    top = _TOP_KEYS.get(fmt, _TOP_KEYS[Format.CHAT])
    out = [
        Hidden((key,), f'"{key}" at the top of the example')
        for key in value
        if key not in top
    ]
    if fmt is Format.PREFERENCE:
        given = value.get("input")
        if isinstance(given, dict):
            out += _messages(given, ("input",))
            out += [
                Hidden(("input", key), f'"{key}" in the input')
                for key in given
                if key != "messages"
            ]
        for key in ("preferred_output", "non_preferred_output"):
            replies = value.get(key)
            if isinstance(replies, list) and replies and isinstance(replies[0], dict):
                out += [
                    Hidden((key, 0, name), f'"{name}" on the {key.replace("_", " ")}')
                    for name in replies[0]
                    if name not in _REPLY_KEYS
                ]
    elif fmt is Format.CHAT:
        out += _messages(value, ())
    return out


def without(value: Any, path: Path) -> Any:
    """Return a copy of ``value`` with the field at ``path`` removed."""
    result = copy.deepcopy(value)
    parent = result
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    return result
