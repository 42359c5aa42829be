"""Read an uploaded training file: check it the way OpenAI does, and learn its replies.

The check is one call, :func:`check_training_file`, which runs the core validator.
:func:`read_training_file` extracts the prompt/reply pairs a fine-tuned sandbox
model answers from (with its own structural checks, used where the full
validator is not needed).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ftstudio.core.dataset.formats import Format, detect_format
from ftstudio.core.dataset.parse import LineKind, parse_line
from ftstudio.core.models import default_table
from ftstudio.core.tokens.encodings import get_encoding
from ftstudio.core.validation.findings import Severity

log = logging.getLogger(__name__)

MIN_EXAMPLES = 10
_WORD = re.compile(r"\w+", re.UNICODE)
_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})


def words(text: str) -> frozenset[str]:
    """Return the lower-cased words of ``text`` (for similarity)."""
    return frozenset(w.lower() for w in _WORD.findall(text))


def content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts: keep the text ones
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


@dataclass(frozen=True, slots=True)
class Pair:
    """One training example reduced to what the chat answer needs."""

    prompt: str
    reply: str
    prompt_words: frozenset[str]


@dataclass(frozen=True)
class TrainingFile:
    """What the job simulation needs to know about a training file."""

    format: Format
    pairs: tuple[Pair, ...]
    billing_tokens: int

    @property
    def examples(self) -> int:
        """Return how many examples the file holds."""
        return len(self.pairs)


def _pair(value: Any, fmt: Format) -> Pair | None:
    prompt, reply = "", ""
    if fmt is Format.CHAT:
        messages = value.get("messages")
        if isinstance(messages, list):
            users = [
                content_text(m.get("content"))
                for m in messages
                if isinstance(m, dict) and m.get("role") == "user"
            ]
            replies = [
                content_text(m.get("content"))
                for m in messages
                if isinstance(m, dict) and m.get("role") == "assistant"
            ]
            prompt, reply = " ".join(users), (replies[-1] if replies else "")
    elif fmt is Format.PREFERENCE:
        inp = value.get("input")
        msgs = inp.get("messages") if isinstance(inp, dict) else None
        if isinstance(msgs, list):
            prompt = " ".join(
                content_text(m.get("content")) for m in msgs if isinstance(m, dict)
            )
        preferred = value.get("preferred_output")
        if isinstance(preferred, list) and preferred:
            last = preferred[-1]
            reply = content_text(last.get("content")) if isinstance(last, dict) else ""
    elif fmt is Format.COMPLETION:
        prompt = str(value.get("prompt", ""))
        reply = str(value.get("completion", ""))
    if not reply:
        return None
    return Pair(prompt, reply, words(prompt))


def _structural_problem(value: Any, fmt: Format) -> str | None:
    if not isinstance(value, dict):
        return "the line is not a JSON object"
    if fmt is Format.CHAT:
        messages = value.get("messages")
        if not isinstance(messages, list) or not messages:
            return "'messages' must be a non-empty list"
        for i, m in enumerate(messages, 1):
            if not isinstance(m, dict) or m.get("role") not in _ROLES:
                return f"message {i} has no valid 'role'"
        if not any(m.get("role") == "assistant" for m in messages):
            return "there is no assistant message to learn from"
    return None


def read_training_file(path: Path, model: str) -> tuple[TrainingFile, list[str]]:
    """Read ``path``; return its examples and the problems that block training.

    Problems are OpenAI-style sentences such as ``"Line 3: the line is not valid
    JSON"``; an empty list means the file can be trained on.
    """
    encoding = get_encoding(default_table().lookup(model).encoding)
    problems: list[str] = []
    pairs: list[Pair] = []
    formats: set[Format] = set()
    billing = 0
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            parsed = parse_line(raw.rstrip(b"\r\n"))
            if parsed.kind is LineKind.BLANK:
                continue
            if parsed.kind is not LineKind.JSON:
                problems.append(f"Line {number}: {parsed.error}.")
                continue
            fmt = detect_format(parsed.value)
            formats.add(fmt)
            problem = _structural_problem(parsed.value, fmt)
            if problem:
                problems.append(f"Line {number}: {problem}.")
                continue
            pair = _pair(parsed.value, fmt)
            if pair is None:
                problems.append(f"Line {number}: the example has no reply to learn.")
                continue
            pairs.append(pair)
            # Per-message overhead as in OpenAI's cookbook token counting.
            billing += 3 + len(encoding.encode_ordinary(pair.prompt)) + 4
            billing += len(encoding.encode_ordinary(pair.reply)) + 4
    fmt = formats.pop() if len(formats) == 1 else Format.MIXED
    if len(pairs) < MIN_EXAMPLES and not problems:
        problems.append(
            f"The file has {len(pairs)} example(s); at least {MIN_EXAMPLES} are required."
        )
    return TrainingFile(fmt, tuple(pairs), billing), problems


def check_training_file(path: Path, model: str) -> tuple[TrainingFile, list[str]]:
    """Validate a training file for ``model`` the way OpenAI's file check does.

    Returns the file's examples and the blocking problems (empty when valid):
    the core validator's error findings, with its billing tokens.
    """
    from ftstudio.core.validation.validator import validate_file

    data, _ = read_training_file(path, model)
    report = validate_file(path, model)
    problems = [
        f"Line {f.line}: {f.message}" if f.line else f.message
        for f in report.findings
        if f.severity is Severity.ERROR
    ]
    billing = report.tokens.billing or data.billing_tokens
    return TrainingFile(data.format, data.pairs, billing), problems
