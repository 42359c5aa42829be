"""Write an OpenAI chat/DPO dataset for other trainers (Together, Fireworks, TRL, …).

The targets: Together, Fireworks, TRL, Hugging Face chat-template text, ShareGPT
and Alpaca.
Each example becomes one line of the target's format, or is left out with the
reason (a DPO pair has no Alpaca form, for instance). Nothing is guessed: a field
the target cannot hold makes the example skipped rather than silently cut.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from ftstudio.core.dataset.importer import SkippedRow
from ftstudio.core.errors import ErrorKind, FtError


class SkipError(ValueError):
    """The example has no form in the target format (the message says why)."""


TARGETS: dict[str, str] = {
    "together": "Together AI: OpenAI-style messages (weight 0 or 1) and DPO pairs",
    "fireworks": "Fireworks AI: messages with a float weight, thinking as reasoning_content, DPO pairs",
    "trl": "Hugging Face TRL: conversational messages, and prompt/chosen/rejected pairs",
    "hf-text": "Hugging Face chat-template text (ChatML) with the character spans that train",
    "sharegpt": "ShareGPT: conversations of from/value turns",
    "alpaca": "Alpaca: instruction, input, output (earlier turns as history)",
}
"""Every export target and what it writes."""

_SHAREGPT_FROM = {
    "user": "human",
    "assistant": "gpt",
    "system": "system",
    "tool": "observation",
}


@dataclass(frozen=True)
class ExportResult:
    """The lines written for the target and the examples left out."""

    data: bytes = field(repr=False)
    examples: int
    skipped: tuple[SkippedRow, ...] = ()


def _messages(example: dict[str, Any]) -> list[dict[str, Any]]:
    messages = example.get("messages")
    if not isinstance(messages, list) or not messages:
        raise SkipError("it has no messages")
    for m in messages:
        if not isinstance(m, dict) or not isinstance(m.get("content"), str):
            raise SkipError("a message has no plain text content (tool calls or parts)")
    return messages


def _is_dpo(example: dict[str, Any]) -> bool:
    return "preferred_output" in example and "input" in example


def _plain(
    messages: list[dict[str, Any]], keep: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    return [
        {
            "role": m["role"],
            "content": m["content"],
            **{k: m[k] for k in keep if k in m},
        }
        for m in messages
    ]


def _dpo_parts(example: dict[str, Any]) -> tuple[list[dict[str, Any]], ...]:
    prompt = _messages(example["input"])
    sides = []
    for key in ("preferred_output", "non_preferred_output"):
        side = example.get(key)
        if (
            not isinstance(side, list)
            or len(side) != 1
            or side[0].get("role") != "assistant"
        ):
            raise SkipError(f"{key} must be exactly one assistant message")
        sides.append(_plain(side))
    return _plain(prompt), sides[0], sides[1]


def to_together(example: dict[str, Any]) -> dict[str, Any]:
    """Return the Together line (chat or preference) of an OpenAI example."""
    if _is_dpo(example):
        prompt, chosen, rejected = _dpo_parts(example)
        return {
            "input": {"messages": prompt},
            "preferred_output": chosen,
            "non_preferred_output": rejected,
        }
    messages = _messages(example)
    for m in messages:
        if "weight" in m and m["weight"] not in (0, 1):
            raise SkipError("Together takes a weight of 0 or 1 only")
    return {"messages": _plain(messages, ("weight",))}


def to_fireworks(example: dict[str, Any]) -> dict[str, Any]:
    """Return the Fireworks line; gpt-oss ``thinking`` becomes ``reasoning_content``."""
    if _is_dpo(example):
        return to_together(example)
    out = []
    for m in _messages(example):
        line: dict[str, Any] = {"role": m["role"], "content": m["content"]}
        if "weight" in m:
            line["weight"] = float(m["weight"])
        if m.get("thinking"):
            line["reasoning_content"] = m["thinking"]
        out.append(line)
    return {"messages": out}


def to_trl(example: dict[str, Any]) -> dict[str, Any]:
    """Return TRL's conversational form: ``messages``, or ``prompt``/``chosen``/``rejected``."""
    if _is_dpo(example):
        prompt, chosen, rejected = _dpo_parts(example)
        return {"prompt": prompt, "chosen": chosen, "rejected": rejected}
    return {"messages": _plain(_messages(example))}


def to_hf_text(example: dict[str, Any]) -> dict[str, Any]:
    """Return the ChatML text and the ``[start, end)`` character spans that train.

    Assistant replies train unless their ``weight`` is 0, as in OpenAI's training.
    """
    if _is_dpo(example):
        raise SkipError("a preference pair has no single text; export it for trl")
    text, spans = "", []
    for m in _messages(example):
        text += f"<|im_start|>{m['role']}\n"
        start = len(text)
        text += m["content"] + "<|im_end|>"
        if m["role"] == "assistant" and m.get("weight", 1) != 0:
            spans.append([start, len(text)])
        text += "\n"
    return {"text": text, "train_spans": spans}


def to_sharegpt(example: dict[str, Any]) -> dict[str, Any]:
    """Return the ShareGPT line (a leading system prompt goes in ``system``)."""
    if _is_dpo(example):
        raise SkipError(
            "ShareGPT has no preference pairs; export it for trl or together"
        )
    messages = _messages(example)
    line: dict[str, Any] = {}
    if messages[0]["role"] == "system":
        line["system"] = messages[0]["content"]
        messages = messages[1:]
    turns = []
    for m in messages:
        speaker = _SHAREGPT_FROM.get(m["role"])
        if speaker is None or speaker == "system":
            raise SkipError(f"ShareGPT has no place for a {m['role']} message here")
        turns.append({"from": speaker, "value": m["content"]})
    return {**line, "conversations": turns}


def to_alpaca(example: dict[str, Any]) -> dict[str, Any]:
    """Return the Alpaca line: the last question and answer, earlier pairs as history."""
    if _is_dpo(example):
        raise SkipError("Alpaca has no preference pairs; export it for trl or together")
    messages = _messages(example)
    line: dict[str, Any] = {}
    if messages[0]["role"] == "system":
        line["system"] = messages[0]["content"]
        messages = messages[1:]
    roles = [m["role"] for m in messages]
    if len(roles) < 2 or roles != ["user", "assistant"] * (len(roles) // 2):
        raise SkipError(
            "Alpaca needs questions and answers taking turns, ending with an answer"
        )
    pairs = [
        [messages[i]["content"], messages[i + 1]["content"]]
        for i in range(0, len(messages), 2)
    ]
    *history, last = pairs
    line.update({"instruction": last[0], "input": "", "output": last[1]})
    if history:
        line["history"] = history
    return line


WRITERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "together": to_together,
    "fireworks": to_fireworks,
    "trl": to_trl,
    "hf-text": to_hf_text,
    "sharegpt": to_sharegpt,
    "alpaca": to_alpaca,
}


def export_lines(lines: Iterable[bytes], target: str) -> ExportResult:
    """Convert OpenAI JSONL ``lines`` for ``target``; blank lines are passed over.

    Raises
    ------
    FtError
        When ``target`` is not one of :data:`TARGETS`.
    """
    writer = WRITERS.get(target)
    if writer is None:
        raise FtError(
            ErrorKind.INPUT,
            f"Unknown export format {target!r}: use one of {', '.join(TARGETS)}.",
        )
    out: list[bytes] = []
    skipped: list[SkippedRow] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            example = orjson.loads(raw)
            if not isinstance(example, dict):
                raise SkipError("it is not a JSON object")
            out.append(orjson.dumps(writer(example)) + b"\n")
        except orjson.JSONDecodeError:
            skipped.append(SkippedRow(number, "it is not valid JSON"))
        except SkipError as exc:
            skipped.append(SkippedRow(number, str(exc)))
    return ExportResult(b"".join(out), len(out), tuple(skipped))
