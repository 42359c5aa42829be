"""The result of validating a dataset: findings, token statistics and cost."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ftstudio.core.cost import CostEstimate
from ftstudio.core.validation.findings import Finding, Severity


@dataclass(frozen=True)
class Distribution:
    """Summary of a list of numbers (all zero when the list is empty)."""

    min: float = 0
    max: float = 0
    mean: float = 0
    median: float = 0
    p10: float = 0
    p90: float = 0

    @classmethod
    def of(cls, values: Sequence[int] | np.ndarray[Any, Any]) -> Distribution:
        """Summarise ``values``."""
        arr = np.asarray(values, dtype=np.float64)
        if arr.size == 0:
            return cls()
        p10, median, p90 = np.percentile(arr, [10, 50, 90])
        return cls(
            min=float(arr.min()),
            max=float(arr.max()),
            mean=round(float(arr.mean()), 2),
            median=float(median),
            p10=float(p10),
            p90=float(p90),
        )

    def to_json(self) -> dict[str, float]:
        """Return the distribution as a plain dict."""
        return {
            "min": self.min,
            "max": self.max,
            "mean": self.mean,
            "median": self.median,
            "p10": self.p10,
            "p90": self.p90,
        }


@dataclass(frozen=True)
class TokenSummary:
    """Token figures of a dataset for one model."""

    total: int = 0
    billing: int = 0
    assistant: int = 0
    over_limit_examples: int = 0
    limit: int | None = None
    estimated_examples: int = 0
    """Examples whose count is an estimate (tools, tool calls, some images)."""
    per_example: Distribution = field(default_factory=Distribution)
    messages_per_example: Distribution = field(default_factory=Distribution)

    def to_json(self) -> dict[str, Any]:
        """Return the figures as the CLI's ``--json`` ``tokens`` object."""
        return {
            "total": self.total,
            "billing": self.billing,
            "assistant": self.assistant,
            "over_limit_examples": self.over_limit_examples,
            "limit": self.limit,
            "estimated_examples": self.estimated_examples,
            "distribution": self.per_example.to_json(),
            "messages_distribution": self.messages_per_example.to_json(),
        }


@dataclass(frozen=True)
class Report:
    """Everything one validation run found."""

    format: str
    examples: int
    model: str
    encoding: str
    findings: tuple[Finding, ...]
    tokens: TokenSummary
    cost: CostEstimate
    file: str = ""

    @property
    def errors(self) -> int:
        """Return how many findings are errors."""
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """Return how many findings are warnings."""
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def epochs(self) -> int:
        """Return the auto epochs for this many examples."""
        return self.cost.epochs

    def to_json(self) -> dict[str, Any]:
        """Return the report as ``ftstudio validate --json`` prints it."""
        return {
            "file": self.file,
            "format": self.format,
            "examples": self.examples,
            "model": self.model,
            "encoding": self.encoding,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.to_json() for f in self.findings],
            "tokens": self.tokens.to_json(),
            "epochs": self.epochs,
            "price_per_1m_training_tokens": self.cost.price_per_1m,
            "estimated_cost_usd": self.cost.usd,
        }
