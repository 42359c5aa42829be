"""Score a reply against the expected answer: pass/fail checks, word overlap, or a grader."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any


class Metric(StrEnum):
    """How a reply is compared with the expected answer.

    Every metric scores from 0 (nothing right) to 1 (all right). Exact, contains
    and JSON pass or fail (1 or 0); F1 and ROUGE-L measure how much of the
    wording agrees; the judge is a chat model's grade from 1 to 5, scaled.
    """

    EXACT = "exact"
    CONTAINS = "contains"
    JSON = "json"
    F1 = "f1"
    ROUGE = "rouge"
    JUDGE = "judge"

    @property
    def description(self) -> str:
        """Return the plain explanation a picker shows."""
        return _DESCRIPTIONS[self]

    @property
    def label(self) -> str:
        """Return the short name a picker shows."""
        return self.description.split(":")[0]

    @property
    def pass_fail(self) -> bool:
        """Whether every score is a plain pass (1) or fail (0)."""
        return self in (Metric.EXACT, Metric.CONTAINS, Metric.JSON)


_DESCRIPTIONS = {
    Metric.EXACT: "Exact match: the reply equals the expected answer (ignoring case and spaces at the ends).",
    Metric.CONTAINS: "Contains: the expected answer appears somewhere in the reply (ignoring case).",
    Metric.JSON: "JSON: the reply is valid JSON with the same keys as the expected answer.",
    Metric.F1: "Word overlap (F1): how many words the reply shares with the expected answer, from 0 to 1.",
    Metric.ROUGE: "ROUGE-L: the longest run of words in the same order as the expected answer, from 0 to 1.",
    Metric.JUDGE: "Graded by a model: a chat model compares each reply with the expected answer using your rubric and gives 1 to 5 with a reason.",
}

JUDGE_SCALE = 5
"""The judge grades from 1 to this."""


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _json(text: str) -> Any:
    stripped = text.strip()
    if stripped.startswith("```"):  # models often fence JSON in a code block
        stripped = stripped.strip("`")
        if stripped.lower().startswith("json"):
            stripped = stripped[4:]
    return json.loads(stripped)


def _json_passes(expected: str, reply: str) -> bool:
    try:
        got = _json(reply)
    except ValueError:
        return False
    try:
        wanted = _json(expected)
    except ValueError:
        return True  # nothing to compare the shape with: valid JSON is enough
    if isinstance(wanted, dict):
        return isinstance(got, dict) and set(got) == set(wanted)
    return True


def score(metric: Metric, expected: str, reply: str) -> float:
    """Return the score of ``reply`` against ``expected``, from 0 to 1.

    For :attr:`Metric.JSON` the reply must parse as JSON; when the expected
    answer is a JSON object, the reply must be an object with exactly its keys
    (values may differ: the test is about the shape the model learned).
    :attr:`Metric.JUDGE` needs a grader: see :mod:`ftstudio.core.evaluation.judge`.

    Raises
    ------
    ValueError
        For :attr:`Metric.JUDGE`, which this function cannot compute.
    """
    if metric is Metric.EXACT:
        return float(_normal(reply) == _normal(expected))
    if metric is Metric.CONTAINS:
        return float(_normal(expected) in _normal(reply))
    if metric is Metric.JSON:
        return float(_json_passes(expected, reply))
    from ftstudio.core.evaluation.text_metrics import rouge_l, token_f1

    if metric is Metric.F1:
        return token_f1(expected, reply)
    if metric is Metric.ROUGE:
        return rouge_l(expected, reply)
    raise ValueError("the judge's scores come from its grades")


def grade_to_score(grade: int) -> float:
    """Return a judge's grade (1 to 5) on the 0-to-1 scale of every metric."""
    return (grade - 1) / (JUDGE_SCALE - 1)


def format_score(metric: Metric, value: float | None) -> str:
    """Return a score as a user reads it: "✓ pass", "0.67" or "4 / 5"."""
    if value is None:
        return "…"
    if metric.pass_fail:
        return "✓ pass" if value >= 1 else "✗ fail"
    if metric is Metric.JUDGE:
        return f"{round(value * (JUDGE_SCALE - 1)) + 1} / {JUDGE_SCALE}"
    return f"{value:.2f}"
