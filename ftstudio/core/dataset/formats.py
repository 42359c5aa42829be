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


class Foreign(StrEnum):
    """A training format of other tools that OpenAI does not read as it is."""

    ALPACA = "Alpaca"
    SHAREGPT = "ShareGPT"
    TRL_PREFERENCE = "TRL preference"
    CAPITALISED = "capitalised Prompt/Completion"


PREFERENCE_KEYS = frozenset(
    {
        "preferred_output",
        "non_preferred_output",
        "preferred_completion",
        "non_preferred_completion",
    }
)
_SHAREGPT_LISTS = ("conversations", "conversation")
_CAPITALISED = frozenset({"Prompt", "Completion", "PROMPT", "COMPLETION"})


def foreign_format(value: Any) -> Foreign | None:
    """Name the other tool's format ``value`` is written in, or None (never raises).

    Alpaca (``instruction``/``output``, optional ``input``), ShareGPT
    (``conversations`` of ``from``/``value`` turns), TRL preference
    (``prompt``/``chosen``/``rejected``) and prompt/completion lines whose keys
    are capitalised. A line with OpenAI's own keys is never foreign.
    """
    if not isinstance(value, dict) or "messages" in value:
        return None
    if PREFERENCE_KEYS.intersection(value) or isinstance(value.get("input"), dict):
        return None
    if "chosen" in value and "rejected" in value:
        return Foreign.TRL_PREFERENCE
    asks = "instruction" in value or isinstance(value.get("input"), str)
    if asks and ("output" in value or "response" in value):
        return Foreign.ALPACA
    for key in _SHAREGPT_LISTS:
        turns = value.get(key)
        if isinstance(turns, list) and any(
            isinstance(t, dict) and "from" in t and "value" in t for t in turns
        ):
            return Foreign.SHAREGPT
    if (
        "prompt" not in value
        and "completion" not in value
        and _CAPITALISED.intersection(value)
    ):
        return Foreign.CAPITALISED
    return None


def detect_format(value: Any) -> Format:
    """Guess the OpenAI format of one parsed line from its keys (never raises).

    A line with ``messages`` is chat; one with an ``input`` object or a
    preference output key is a preference example; one with ``prompt`` or
    ``completion`` is a legacy completion example. Lines of other tools'
    formats (see :func:`foreign_format`) get the OpenAI format they would be
    converted to: TRL preference lines are preference, capitalised
    Prompt/Completion lines are completion, Alpaca and ShareGPT lines are chat,
    as is any other object.
    """
    if not isinstance(value, dict):
        return Format.UNKNOWN
    if "messages" in value:
        return Format.CHAT
    if isinstance(value.get("input"), dict) or PREFERENCE_KEYS.intersection(value):
        return Format.PREFERENCE
    if "chosen" in value and "rejected" in value:
        return Format.PREFERENCE
    if "instruction" in value or "input" in value:
        return Format.CHAT
    if "prompt" in value or "completion" in value:
        return Format.COMPLETION
    if _CAPITALISED.intersection(value):
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
