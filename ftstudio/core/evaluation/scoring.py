"""Score a reply against the expected answer: exact match, contains, or JSON keys."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any


class Metric(StrEnum):
    """How a reply is compared with the expected answer."""

    EXACT = "exact"
    CONTAINS = "contains"
    JSON = "json"

    @property
    def description(self) -> str:
        """Return the plain explanation a picker shows."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    Metric.EXACT: "Exact match: the reply equals the expected answer (ignoring case and spaces at the ends).",
    Metric.CONTAINS: "Contains: the expected answer appears somewhere in the reply (ignoring case).",
    Metric.JSON: "JSON: the reply is valid JSON with the same keys as the expected answer.",
}


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _json(text: str) -> Any:
    stripped = text.strip()
    if stripped.startswith("```"):  # models often fence JSON in a code block
        stripped = stripped.strip("`")
        if stripped.lower().startswith("json"):
            stripped = stripped[4:]
    return json.loads(stripped)


def score(metric: Metric, expected: str, reply: str) -> bool:
    """Return whether ``reply`` passes ``metric`` against ``expected``.

    For :attr:`Metric.JSON` the reply must parse as JSON; when the expected
    answer is a JSON object, the reply must be an object with exactly its keys
    (values may differ: the test is about the shape the model learned).
    """
    if metric is Metric.EXACT:
        return _normal(reply) == _normal(expected)
    if metric is Metric.CONTAINS:
        return _normal(expected) in _normal(reply)
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
