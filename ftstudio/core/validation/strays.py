"""Fields a message may not have that can be removed safely: one rule for finding and fix.

The validator marks its "unknown field" and "weight on a non-assistant message"
findings fixable exactly when :func:`removable_fields` would remove every field
they name, and the "Remove stray fields" fix removes those fields, so the
advice and the fix can never disagree. A field that looks like a misspelling of
a field the message lacks (``Content`` or ``contnet`` beside no ``content``) is
never removed: it probably holds the text, and the user has to rename it.
"""

from __future__ import annotations

import copy
import difflib
from typing import Any

from ftstudio.core.validation.rolekeys import MESSAGE_KEYS, ROLE_KEYS

PREFERENCE_SIDES = (
    "preferred_output",
    "non_preferred_output",
    "preferred_completion",
    "non_preferred_completion",
)
"""The example keys that hold a preference pair's answers (which take no weight)."""


def misspelling_of(
    key: str, message: dict[str, Any], allowed: frozenset[str]
) -> str | None:
    """Return the allowed field ``key`` probably misspells, when ``message`` lacks it."""
    missing = [name for name in sorted(allowed) if name not in message]
    lowered = key.strip().lower()
    if lowered in missing:
        return lowered
    close = difflib.get_close_matches(lowered, missing, n=1, cutoff=0.8)
    return close[0] if close else None


def unknown_fields(message: dict[str, Any], role: Any) -> list[str]:
    """Return the fields OpenAI does not accept on a message with ``role`` (weight aside)."""
    allowed = (
        ROLE_KEYS.get(role, MESSAGE_KEYS) if isinstance(role, str) else MESSAGE_KEYS
    )
    return [k for k in message if k not in allowed and k != "weight"]


def removable_fields(
    message: dict[str, Any],
    output: bool = False,
    keep: frozenset[str] = frozenset(),
) -> list[str]:
    """Return the fields of ``message`` that the fix removes.

    Parameters
    ----------
    message
        One message of an example.
    output
        The message is a preference answer, which may not have a weight.
    keep
        Fields the chosen trainer reads although OpenAI does not (``thinking``
        for gpt-oss), never removed.

    Returns
    -------
    list of str
        Unknown fields that misspell no missing field, and a ``weight`` on a
        preference answer or on a system, user, tool or function message.
    """
    role = message.get("role")
    allowed = (
        ROLE_KEYS.get(role, MESSAGE_KEYS) if isinstance(role, str) else MESSAGE_KEYS
    )
    out = [
        key
        for key in unknown_fields(message, role)
        if key not in keep and misspelling_of(key, message, allowed) is None
    ]
    known_role = isinstance(role, str) and role in ROLE_KEYS
    if "weight" in message and (output or (known_role and role != "assistant")):
        out.append("weight")
    return out


def _message_lists(value: dict[str, Any]) -> list[tuple[list[Any], bool]]:
    lists: list[tuple[list[Any], bool]] = []
    for holder in (value, value.get("input")):
        if isinstance(holder, dict) and isinstance(holder.get("messages"), list):
            lists.append((holder["messages"], False))
    lists += [
        (value[k], True) for k in PREFERENCE_SIDES if isinstance(value.get(k), list)
    ]
    return lists


def strip_strays(value: Any, keep: frozenset[str] = frozenset()) -> Any | None:
    """Return a copy of the example ``value`` without its removable fields, or None."""
    if not isinstance(value, dict):
        return None
    found = False
    for messages, output in _message_lists(value):
        for message in messages:
            if isinstance(message, dict) and removable_fields(message, output, keep):
                found = True
    if not found:
        return None
    fixed = copy.deepcopy(value)
    for messages, output in _message_lists(fixed):
        for message in messages:
            if isinstance(message, dict):
                for key in removable_fields(message, output, keep):
                    del message[key]
    return fixed
