"""Bulk actions over many examples (Qt-free); each returns one edit (one undo step) or None."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ftstudio.core.dataset.edits import SetKeys, delete_rows, map_values
from ftstudio.core.dataset.parse import LineKind, parse_line

if TYPE_CHECKING:
    from ftstudio.core.dataset.store import DatasetStore

_INSTRUCTION_ROLES = ("system", "developer")


def _conversation(value: dict[str, Any]) -> list[Any] | None:
    """Return the message list a system prompt belongs to (chat or preference input)."""
    if isinstance(value.get("messages"), list):
        messages: list[Any] = value["messages"]
        return messages
    source = value.get("input")
    if isinstance(source, dict) and isinstance(source.get("messages"), list):
        inner: list[Any] = source["messages"]
        return inner
    return None


def set_system_prompt(
    store: DatasetStore, rows: Sequence[int], text: str
) -> SetKeys | None:
    """Give every example in ``rows`` the system prompt ``text`` (replacing the first one)."""

    def change(value: dict[str, Any]) -> dict[str, Any] | None:
        messages = _conversation(value)
        if messages is None:
            return None
        first = messages[0] if messages else None
        if isinstance(first, dict) and first.get("role") in _INSTRUCTION_ROLES:
            first["content"] = text
        else:
            messages.insert(0, {"role": "system", "content": text})
        return value

    return map_values(store, rows, change, "Set system prompt")


def remove_system_prompt(store: DatasetStore, rows: Sequence[int]) -> SetKeys | None:
    """Remove the system (and developer) messages from every example in ``rows``."""

    def change(value: dict[str, Any]) -> dict[str, Any] | None:
        messages = _conversation(value)
        if messages is None:
            return None
        messages[:] = [
            m
            for m in messages
            if not (isinstance(m, dict) and m.get("role") in _INSTRUCTION_ROLES)
        ]
        return value

    return map_values(store, rows, change, "Remove system prompt")


def train_only_last_reply(store: DatasetStore, rows: Sequence[int]) -> SetKeys | None:
    """Train on each example's last assistant reply only (earlier replies: weight 0)."""

    def change(value: dict[str, Any]) -> dict[str, Any] | None:
        messages = value.get("messages")
        if not isinstance(messages, list):
            return None
        replies = [
            m for m in messages if isinstance(m, dict) and m.get("role") == "assistant"
        ]
        for reply in replies:
            reply["weight"] = 0
        if replies:
            replies[-1]["weight"] = 1
        return value

    return map_values(store, rows, change, "Train only on the last reply")


def delete_duplicates(store: DatasetStore, rows: Sequence[int]) -> SetKeys | None:
    """Delete each example in ``rows`` that repeats an earlier one (the first stays).

    The Validator's rule, so the two never disagree: examples are the same when
    they parse to the same JSON object (layout and key order aside). A line that
    is not a JSON object is no example yet: it is left for the user to fix, as
    the Validator's "Remove duplicates" leaves it.
    """
    from ftstudio.core.validation.linecheck import digest

    seen: set[int] = set()
    doomed = []
    for row in sorted(rows):
        parsed = parse_line(store.raw(row))
        if parsed.kind is not LineKind.JSON or not isinstance(parsed.value, dict):
            continue
        ident = digest(parsed.value)
        if ident in seen:
            doomed.append(row)
        else:
            seen.add(ident)
    if not doomed:
        return None
    return delete_rows(store, doomed, f"Delete {len(doomed):,} duplicate(s)")
