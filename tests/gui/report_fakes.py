"""A stand-in validator with fixed figures, for tab tests that check exact numbers."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

from ftstudio.core.cancel import CancelToken
from ftstudio.core.cost import CostEstimate, auto_epochs
from ftstudio.core.models import default_table
from ftstudio.core.progress import Progress
from ftstudio.core.validation.findings import Finding
from ftstudio.core.validation.report import Distribution, Report, TokenSummary


class FakeValidator:
    """Reports ``examples`` and ``billing`` for whatever model is set."""

    def __init__(
        self,
        examples: int = 42,
        billing: int = 123_456,
        findings: Sequence[Finding] = (),
        tokens: Sequence[int] = (100, 200, 300),
        messages: Sequence[int] = (2, 3, 3),
    ) -> None:
        self.examples = examples
        self.billing = billing
        self.findings = tuple(findings)
        self.tokens = list(tokens)
        self.messages = list(messages)
        self.model = "gpt-4.1-mini"
        self.runs = 0

    def set_model(self, name: str) -> None:
        self.model = name

    def report(self) -> Report:
        info = default_table().lookup(self.model)
        return Report(
            format="chat",
            examples=self.examples,
            model=self.model,
            encoding=info.encoding,
            findings=self.findings,
            tokens=TokenSummary(
                total=self.billing,
                billing=self.billing,
                assistant=self.billing // 3,
                limit=info.training_context,
                per_example=Distribution.of(self.tokens),
                messages_per_example=Distribution.of(self.messages),
            ),
            cost=CostEstimate(
                self.billing, auto_epochs(self.examples), info.price_per_1m
            ),
        )

    def run(self, cancel: CancelToken) -> Generator[Progress, None, Report]:
        self.runs += 1
        yield Progress(0, 1, "Checking")
        return self.report()

    def example_sizes(self) -> tuple[list[int], list[int]]:
        return self.tokens, self.messages

    def row_info(self, row: int) -> Any:
        return None

    def row_findings(self, row: int) -> list[Finding]:
        return []
