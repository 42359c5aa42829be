"""Read a held-out test file: chat examples, or ``{"input": ..., "ideal": ...}`` lines."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ftstudio.core.dataset.parse import LineKind, parse_line
from ftstudio.core.errors import ErrorKind, FtError


@dataclass(frozen=True)
class Case:
    """One test: what is sent to the model and the answer expected back."""

    row: int
    messages: tuple[dict[str, str], ...]
    expected: str

    @property
    def question(self) -> str:
        """Return the last user message (what a results table shows as the input)."""
        for message in reversed(self.messages):
            if message["role"] == "user":
                return message["content"]
        return ""


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts: keep the text ones
        return " ".join(
            str(p.get("text", "")) for p in content if isinstance(p, dict)
        ).strip()
    if content is None:
        return ""
    return json.dumps(content, ensure_ascii=False)


def _messages(raw: Any) -> list[dict[str, str]]:
    if isinstance(raw, str):
        return [{"role": "user", "content": raw}]
    if isinstance(raw, list) and all(isinstance(m, dict) for m in raw):
        return [
            {"role": str(m.get("role") or "user"), "content": _text(m.get("content"))}
            for m in raw
        ]
    if isinstance(raw, dict) and "messages" in raw:
        return _messages(raw["messages"])
    raise ValueError("input")


def parse_case(row: int, value: Any) -> Case:
    """Return the test case of one parsed line; raise ValueError when it is not one."""
    if not isinstance(value, dict):
        raise ValueError("not an object")
    if "messages" in value:
        messages = _messages(value["messages"])
        if len(messages) < 2 or messages[-1]["role"] != "assistant":
            raise ValueError("no final assistant reply")
        *prompt, answer = messages
        return Case(row, tuple(prompt), answer["content"])
    if "input" in value and "ideal" in value:
        ideal = value["ideal"]
        if isinstance(ideal, list):  # the old evals format allows several ideals
            ideal = ideal[0] if ideal else ""
        return Case(row, tuple(_messages(value["input"])), _text(ideal))
    raise ValueError("unknown shape")


def read_cases(path: Path) -> list[Case]:
    """Read every test case of ``path`` (blank lines are skipped).

    Raises
    ------
    FtError
        When the file cannot be read, or a line is neither a chat example ending
        with the expected assistant reply nor an ``input``/``ideal`` pair.
    """
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise FtError(
            ErrorKind.IO, f"The test file {path.name} could not be read.", str(exc)
        ) from exc
    except UnicodeDecodeError as exc:
        raise FtError(
            ErrorKind.FORMAT, f"The test file {path.name} is not UTF-8 text.", str(exc)
        ) from exc
    cases: list[Case] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parsed = parse_line(line.encode("utf-8"))
        if parsed.kind is not LineKind.JSON:  # bad JSON, or nested too deeply
            msg = f"Line {number} of {path.name} is not valid JSON: {parsed.error}."
            raise FtError(ErrorKind.FORMAT, msg)
        try:
            cases.append(parse_case(len(cases), parsed.value))
        except ValueError as exc:
            msg = (
                f"Line {number} of {path.name} is not a test example: each line must be a "
                'chat example whose last message is the expected assistant reply, or {"input": ..., "ideal": ...}.'
            )
            raise FtError(ErrorKind.FORMAT, msg, str(exc)) from exc
    if not cases:
        raise FtError(ErrorKind.FORMAT, f"The test file {path.name} has no examples.")
    return cases
