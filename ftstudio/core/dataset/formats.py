"""Which of OpenAI's three training formats one line is written in."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Format(StrEnum):
    """A line's (or a file's) training format."""

    CHAT = "chat"
    PREFERENCE = "preference"
    COMPLETION = "completion"
    MIXED = "mixed"
    UNKNOWN = "unknown"


PREFERENCE_KEYS = frozenset(
    {
        "preferred_output",
        "non_preferred_output",
        "preferred_completion",
        "non_preferred_completion",
    }
)


def detect_format(value: Any) -> Format:
    """Guess the format of one parsed line from its keys (never raises).

    A line with ``input`` or any preference output key is a preference example, a
    line with ``prompt`` or ``completion`` is a legacy completion example, and a
    line with ``messages`` (or anything else that is an object) is chat.
    """
    if not isinstance(value, dict):
        return Format.UNKNOWN
    if "messages" in value:
        return Format.CHAT
    if "input" in value or PREFERENCE_KEYS.intersection(value):
        return Format.PREFERENCE
    if "prompt" in value or "completion" in value:
        return Format.COMPLETION
    return Format.CHAT


def file_format(counts: dict[Format, int]) -> Format:
    """Return the file's format from per-format example counts."""
    present = [f for f, n in counts.items() if n and f is not Format.UNKNOWN]
    if not present:
        return Format.UNKNOWN
    if len(present) > 1:
        return Format.MIXED
    return present[0]
