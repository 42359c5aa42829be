"""Read other trainers' dataset formats (ShareGPT, Alpaca, TRL preference) as OpenAI's.

Each record becomes an OpenAI chat example (``{"messages": [...]}``) or, for a
preference pair, an OpenAI DPO example (``input`` / ``preferred_output`` /
``non_preferred_output``). A record that cannot be read says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

SHAREGPT_ROLES = {
    "system": "system",
    "human": "user",
    "user": "user",
    "gpt": "assistant",
    "assistant": "assistant",
    "chatgpt": "assistant",
    "bing": "assistant",
    "bard": "assistant",
    "function_call": "assistant",
    "observation": "tool",
    "tool": "tool",
}
"""ShareGPT's ``from`` values and the OpenAI role each becomes."""


class UnreadableRecordError(ValueError):
    """A record that looks like the format but cannot be converted (the reason)."""


def kind_of(record: Any) -> str | None:
    """Return ``sharegpt``, ``alpaca`` or ``trl-preference`` for a foreign record, else None."""
    if not isinstance(record, dict):
        return None
    if "messages" in record or "preferred_output" in record:
        return None  # already OpenAI's
    if isinstance(record.get("conversations"), list):
        return "sharegpt"
    if "instruction" in record and "output" in record:
        return "alpaca"
    if "chosen" in record and "rejected" in record:
        return "trl-preference"
    return None


def _text(value: Any, what: str) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    raise UnreadableRecordError(f"{what} is not text")


def from_sharegpt(record: dict[str, Any]) -> dict[str, Any]:
    """Return the OpenAI chat example of a ShareGPT record."""
    messages: list[dict[str, Any]] = []
    if record.get("system"):
        messages.append(
            {"role": "system", "content": _text(record["system"], "system")}
        )
    for n, turn in enumerate(record["conversations"], start=1):
        if not isinstance(turn, dict):
            raise UnreadableRecordError(f"turn {n} is not an object")
        speaker = str(turn.get("from", turn.get("role", ""))).lower()
        role = SHAREGPT_ROLES.get(speaker)
        if role is None:
            raise UnreadableRecordError(
                f"turn {n} is from {speaker!r}, which is not a known speaker"
            )
        value = turn.get("value", turn.get("content"))
        messages.append({"role": role, "content": _text(value, f"turn {n}")})
    if not any(m["role"] == "assistant" for m in messages):
        raise UnreadableRecordError("it has no reply from the assistant")
    return {"messages": messages}


def from_alpaca(record: dict[str, Any]) -> dict[str, Any]:
    """Return the OpenAI chat example of an Alpaca record (with its history, if any)."""
    instruction = _text(record.get("instruction"), "instruction").strip()
    extra = _text(record.get("input"), "input").strip()
    output = _text(record.get("output"), "output")
    if not instruction and not extra:
        raise UnreadableRecordError("the instruction is empty")
    messages: list[dict[str, Any]] = []
    if record.get("system"):
        messages.append(
            {"role": "system", "content": _text(record["system"], "system")}
        )
    for n, pair in enumerate(record.get("history") or [], start=1):
        if not (isinstance(pair, Sequence) and len(pair) == 2):
            raise UnreadableRecordError(
                f"history entry {n} is not a [question, answer] pair"
            )
        messages.append({"role": "user", "content": _text(pair[0], "history")})
        messages.append({"role": "assistant", "content": _text(pair[1], "history")})
    user = (
        f"{instruction}\n\n{extra}" if instruction and extra else instruction or extra
    )
    messages.append({"role": "user", "content": user})
    messages.append({"role": "assistant", "content": output})
    return {"messages": messages}


def _turns(value: Any, what: str) -> list[dict[str, Any]]:
    if isinstance(value, str):
        return (
            [{"role": "user", "content": value}]
            if what == "prompt"
            else [{"role": "assistant", "content": value}]
        )
    if isinstance(value, list) and all(
        isinstance(m, dict) and "role" in m for m in value
    ):
        return [
            {"role": m["role"], "content": _text(m.get("content"), what)} for m in value
        ]
    raise UnreadableRecordError(f"{what} is neither text nor a list of messages")


def from_trl_preference(record: dict[str, Any]) -> dict[str, Any]:
    """Return the OpenAI DPO example of a TRL preference record.

    TRL's explicit-prompt form (``prompt``, ``chosen``, ``rejected``) and its
    implicit form (whole conversations in ``chosen`` and ``rejected`` that share
    a beginning) are both read.
    """
    chosen = _turns(record["chosen"], "chosen")
    rejected = _turns(record["rejected"], "rejected")
    if "prompt" in record:
        prompt = _turns(record["prompt"], "prompt")
    else:
        shared = 0
        while (
            shared < min(len(chosen), len(rejected)) - 1
            and chosen[shared] == rejected[shared]
        ):
            shared += 1
        if shared == 0:
            raise UnreadableRecordError(
                "chosen and rejected share no prompt, and there is no 'prompt'"
            )
        prompt, chosen, rejected = chosen[:shared], chosen[shared:], rejected[shared:]
    for side, turns in (("chosen", chosen), ("rejected", rejected)):
        if len(turns) != 1 or turns[0]["role"] != "assistant":
            raise UnreadableRecordError(f"{side} must be one reply from the assistant")
    return {
        "input": {"messages": prompt},
        "preferred_output": chosen,
        "non_preferred_output": rejected,
    }


READERS = {
    "sharegpt": from_sharegpt,
    "alpaca": from_alpaca,
    "trl-preference": from_trl_preference,
}


def convert_record(record: Any) -> dict[str, Any] | None:
    """Return ``record`` in OpenAI's shape, or None when it is not a foreign record.

    Raises
    ------
    UnreadableRecordError
        When it is a foreign record that cannot be converted, with the reason.
    """
    kind = kind_of(record)
    if kind is None:
        return None
    return READERS[kind](record)
