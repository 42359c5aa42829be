"""Validation profiles: each target's extra rules on top of OpenAI's, with their source.

``ftstudio validate --target T`` runs the usual checks, then these. Every rule
names where it comes from, so a user can check it has not changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ftstudio.core.validation.findings import Finding, Severity

_MB = 1024 * 1024
AZURE_MAX_BYTES = 512 * _MB
HARMONY_TOKENS = (
    "<|start|>",
    "<|end|>",
    "<|message|>",
    "<|channel|>",
    "<|return|>",
    "<|call|>",
    "<|constrain|>",
)


@dataclass(frozen=True)
class Rule:
    """One target rule: its code, what it checks, and where it is written down."""

    code: str
    what: str
    source: str


RULES: dict[str, tuple[Rule, ...]] = {
    "openai": (),
    "azure": (
        Rule(
            "azure.file-size",
            "each training file is at most 512 MB",
            "Microsoft Learn, Azure OpenAI fine-tuning: 'Prepare your data' (file size limit)",
        ),
        Rule(
            "azure.suffix",
            "the model suffix is at most 18 characters (checked by 'ftstudio jobs create --provider azure')",
            "Microsoft Learn, Azure OpenAI REST reference: fine-tuning job 'suffix'",
        ),
    ),
    "together": (
        Rule(
            "together.roles-alternate",
            "after an optional system message, user and assistant take turns",
            "Together AI docs, 'Data preparation': conversational data",
        ),
        Rule(
            "together.dpo-one-assistant",
            "each side of a preference pair is exactly one assistant message",
            "Together AI docs, 'Preference fine-tuning' data format",
        ),
        Rule(
            "together.weight",
            "a message weight is 0 or 1",
            "Together AI docs, 'Data preparation': loss masking with weight",
        ),
    ),
    "fireworks": (
        Rule(
            "fireworks.weight",
            "a weight is a number from 0 to 1 (a float), not true/false or text",
            "Fireworks AI docs, 'Supervised fine-tuning': dataset weight",
        ),
        Rule(
            "fireworks.reasoning",
            "reasoning goes in reasoning_content, as text, on assistant messages only",
            "Fireworks AI docs, 'Fine-tuning reasoning models': reasoning_content",
        ),
    ),
    "gpt-oss": (
        Rule(
            "gpt-oss.thinking",
            "the chain of thought is a text 'thinking' field on assistant messages only",
            "Hugging Face gpt-oss chat template and 'Fine-tuning gpt-oss' cookbook",
        ),
        Rule(
            "gpt-oss.harmony",
            "no text contains Harmony's special tokens (<|start|>, <|channel|>, …), which would break the rendering",
            "OpenAI, 'The Harmony response format' (openai/harmony)",
        ),
    ),
}
"""Every target and its rules, for ``--target`` and the README."""

Check = Callable[[int, dict[str, Any]], Iterator[Finding]]


def _messages(example: dict[str, Any]) -> list[dict[str, Any]]:
    messages = example.get("messages")
    if isinstance(messages, list):
        return [m for m in messages if isinstance(m, dict)]
    return []


def _error(line: int, code: str, message: str) -> Finding:
    return Finding(line, code, Severity.ERROR, message)


def _together(line: int, example: dict[str, Any]) -> Iterator[Finding]:
    roles = [m.get("role") for m in _messages(example)]
    if roles and roles[0] == "system":
        roles = roles[1:]
    expected = ["user", "assistant"] * (len(roles) // 2 + 1)
    if roles and roles != expected[: len(roles)]:
        yield _error(
            line,
            "together.roles-alternate",
            "Together needs user and assistant messages taking turns (after one optional system message), starting with the user.",
        )
    for side in ("preferred_output", "non_preferred_output"):
        if side in example:
            value = example[side]
            if not (
                isinstance(value, list)
                and len(value) == 1
                and isinstance(value[0], dict)
                and value[0].get("role") == "assistant"
            ):
                yield _error(
                    line,
                    "together.dpo-one-assistant",
                    f"Together needs {side} to be exactly one assistant message.",
                )
    for m in _messages(example):
        if "weight" in m and (
            isinstance(m["weight"], bool) or m["weight"] not in (0, 1)
        ):
            yield _error(
                line,
                "together.weight",
                f"Together takes a weight of 0 or 1; this message has {m['weight']!r}.",
            )


def _fireworks(line: int, example: dict[str, Any]) -> Iterator[Finding]:
    weights = [("example", example["weight"])] if "weight" in example else []
    weights += [("message", m["weight"]) for m in _messages(example) if "weight" in m]
    for where, w in weights:
        if isinstance(w, bool) or not isinstance(w, int | float) or not 0 <= w <= 1:
            yield _error(
                line,
                "fireworks.weight",
                f"Fireworks needs the {where} weight as a number from 0 to 1 (like 0.5); it is {w!r}.",
            )
    for m in _messages(example):
        if "reasoning_content" in m and (
            m.get("role") != "assistant" or not isinstance(m["reasoning_content"], str)
        ):
            yield _error(
                line,
                "fireworks.reasoning",
                "Fireworks reads reasoning_content only as text on assistant messages.",
            )
        if "thinking" in m:
            yield Finding(
                line,
                "fireworks.reasoning",
                Severity.WARNING,
                "Fireworks reads reasoning_content, not thinking: export with 'ftstudio convert --to fireworks'.",
            )


def _texts(example: dict[str, Any]) -> Iterator[str]:
    for m in _messages(example):
        for key in ("content", "thinking"):
            if isinstance(m.get(key), str):
                yield m[key]


def _gpt_oss(line: int, example: dict[str, Any]) -> Iterator[Finding]:
    for m in _messages(example):
        if "thinking" in m and (
            m.get("role") != "assistant" or not isinstance(m["thinking"], str)
        ):
            yield _error(
                line,
                "gpt-oss.thinking",
                "gpt-oss takes 'thinking' only as text on assistant messages.",
            )
        if "reasoning_content" in m:
            yield Finding(
                line,
                "gpt-oss.thinking",
                Severity.WARNING,
                "gpt-oss's chat template reads 'thinking', not 'reasoning_content': rename the field.",
            )
    for text in _texts(example):
        at = {text.find(t): t for t in HARMONY_TOKENS if t in text}
        found = at[min(at)] if at else None
        if found:
            yield _error(
                line,
                "gpt-oss.harmony",
                f"The text holds {found}, one of Harmony's special tokens: gpt-oss would read it as the end or start of a message. Remove or reword it.",
            )
            break


CHECKS: dict[str, Check] = {
    "together": _together,
    "fireworks": _fireworks,
    "gpt-oss": _gpt_oss,
}


def check_target(path: Path, target: str) -> list[Finding]:
    """Return ``target``'s findings for the file at ``path`` (lines that do not parse are the validator's)."""
    with path.open("rb") as f:
        return check_lines(f, target, path.stat().st_size)


def check_lines(lines: Iterable[bytes], target: str, size_bytes: int) -> list[Finding]:
    """Return ``target``'s findings for ``lines`` (a file's, or an open dataset's rows).

    ``size_bytes`` is the file's size, for the targets that limit it.
    """
    if target not in RULES:
        from ftstudio.core.errors import ErrorKind, FtError

        raise FtError(
            ErrorKind.INPUT,
            f"Unknown target {target!r}: use one of {', '.join(RULES)}.",
        )
    findings: list[Finding] = []
    if target == "azure" and size_bytes > AZURE_MAX_BYTES:
        size = size_bytes / _MB
        findings.append(
            Finding(
                None,
                "azure.file-size",
                Severity.ERROR,
                f"Azure takes training files up to 512 MB; this one is {size:,.0f} MB. Split it or remove examples.",
            )
        )
    check = CHECKS.get(target)
    if check is None:
        return findings
    for number, raw in enumerate(lines, start=1):
        try:
            example = orjson.loads(raw)
        except orjson.JSONDecodeError:
            continue
        if isinstance(example, dict):
            findings.extend(check(number, example))
    return findings


ACCEPTED_FIELDS: dict[str, frozenset[str]] = {
    "gpt-oss": frozenset({"thinking"}),
    "fireworks": frozenset({"reasoning_content"}),
}
"""Message fields a target reads that OpenAI refuses."""
OWN_WEIGHT_RULE = frozenset({"fireworks"})
"""Targets whose weight rule replaces OpenAI's 0-or-1 rule."""


def relax(findings: Iterable[Finding], target: str) -> tuple[Finding, ...]:
    """Drop OpenAI's findings that ``target`` does not share (a field or weight it reads)."""
    accepted = ACCEPTED_FIELDS.get(target, frozenset())
    kept = []
    for f in findings:
        if f.code == "message_unrecognized_key" and accepted:
            names = set(re.findall(r'"([^"]+)"', f.message))
            if names and names <= accepted:
                continue
        if (
            f.code == "invalid_weight"
            and target in OWN_WEIGHT_RULE
            and "OpenAI accepts only" in f.message
        ):
            continue
        kept.append(f)
    return tuple(kept)


def sources(target: str) -> str:
    """Return the target's rules and their sources, one per line, for the report."""
    return "\n".join(
        f"  {r.code}: {r.what} (source: {r.source})" for r in RULES.get(target, ())
    )
