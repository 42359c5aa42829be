"""The sandbox as a grader: a grading request gets a deterministic, well-formed grade.

ftstudio's judge asks a chat model to compare an answer with the expected one
(see ``ftstudio.core.evaluation.judge``). The sandbox has no language model, so
it grades by word overlap: token F1 between the answer and the expected text,
mapped to 1-5. Self-contained on purpose: the sandbox must not depend on how
the studio scores.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

EXPECTED = "## Expected answer\n"
ANSWER = "## Answer to grade\n"
_WORD = re.compile(r"[^\W_]+")


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def _f1(expected: str, answer: str) -> float:
    want = Counter(_WORD.findall(expected.casefold()))
    got = Counter(_WORD.findall(answer.casefold()))
    common = sum((want & got).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def grade_reply(messages: list[dict[str, Any]]) -> str | None:
    """Return a grade as JSON when the last user message is a grading request, else None."""
    users = [m for m in messages if m.get("role") == "user"]
    if not users:
        return None
    text = _text(users[-1].get("content"))
    at_expected, at_answer = text.find(EXPECTED), text.find(ANSWER)
    if at_expected < 0 or at_answer < at_expected:
        return None
    expected = text[at_expected + len(EXPECTED) : at_answer]
    answer = text[at_answer + len(ANSWER) :]
    overlap = _f1(expected, answer)
    grade = 1 + round(4 * overlap)
    reason = f"The answer shares {overlap:.0%} of its words with the expected answer."
    return json.dumps({"score": grade, "reason": reason})
