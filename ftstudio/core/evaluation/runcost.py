"""What a run costs on a paid service: the questions, and the grader's work, before it starts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ftstudio.core.models import base_model, default_table
from ftstudio.core.tokens.encodings import get_encoding

if TYPE_CHECKING:
    from ftstudio.core.evaluation.judge import Judge
    from ftstudio.core.evaluation.results import Answer, Grade
    from ftstudio.core.evaluation.testfile import Case

PRICES_CHECKED = "2026-11-21"
CHAT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "o4-mini": (1.10, 4.40),
    "gpt-3.5-turbo": (0.50, 1.50),
}
"""USD per 1M input and output tokens of a base model's chat replies."""
TUNED_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4.1-nano": (0.20, 0.80),
    "gpt-4.1-mini": (0.80, 3.20),
    "gpt-4.1": (3.00, 12.00),
    "gpt-4o-mini": (0.30, 1.20),
    "gpt-4o": (3.75, 15.00),
    "gpt-3.5-turbo": (3.00, 6.00),
}
"""USD per 1M input and output tokens of a fine-tuned model's replies."""
GRADE_TOKENS = 40
"""About how long a grade and its one-line reason are."""
_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})


def is_paid_service(base_url: str) -> bool:
    """Whether ``base_url`` is a remote service that bills (the sandbox and local servers do not)."""
    host = urlsplit(base_url).hostname or ""
    return host not in _LOCAL_HOSTS and not host.startswith("127.")


def chat_price(model: str) -> tuple[float, float] | None:
    """Return USD per 1M input and output tokens for ``model``, or None when unknown."""
    table = TUNED_PRICES if model.startswith("ft:") else CHAT_PRICES
    base = base_model(model)
    best = max((p for p in table if base.startswith(p)), key=len, default=None)
    return None if best is None else table[best]


def _count(model: str, text: str) -> int:
    encoding = get_encoding(default_table().lookup(model).encoding)
    return len(encoding.encode_ordinary(text))


@dataclass
class RunCost:
    """Tokens a run will send and receive, and their price where it is known."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    usd: float = 0.0
    unpriced: set[str] = field(default_factory=set)

    def add(self, model: str, sent: int, received: int) -> None:
        """Count one request to ``model``."""
        self.calls += 1
        self.input_tokens += sent
        self.output_tokens += received
        price = chat_price(model)
        if price is None:
            self.unpriced.add(model)
        else:
            self.usd += (sent * price[0] + received * price[1]) / 1_000_000

    def describe(self) -> str:
        """Say the estimate in one or two plain sentences."""
        if not self.calls:
            return "Nothing left to ask: this run costs nothing more."
        text = (
            f"About {self.calls} requests, {self.input_tokens:,} tokens sent and "
            f"{self.output_tokens:,} received: about ${self.usd:.2f}"
        )
        if self.unpriced:
            names = ", ".join(sorted(self.unpriced))
            text += f" plus the requests to {names}, whose price ftstudio does not know"
        return text + f" (prices of {PRICES_CHECKED}; replies' length is guessed)."


def estimate_cost(
    cases: list[Case],
    models: list[str],
    answers: dict[tuple[int, int], Answer],
    judge: Judge | None = None,
    grades: dict[tuple[int, int], Grade] | None = None,
) -> RunCost:
    """Estimate what is still to be asked: missing replies, then missing grades.

    A reply not yet given is guessed as long as the expected answer.
    """
    cost = RunCost()
    grades = grades or {}
    for case in cases:
        prompt = "\n".join(m["content"] for m in case.messages)
        for side, model in enumerate(models):
            answer = answers.get((case.row, side))
            if answer is None:
                sent = _count(model, prompt) + 3 * len(case.messages) + 3
                cost.add(model, sent, _count(model, case.expected))
            if judge is None or (case.row, side) in grades:
                continue
            if answer is not None and answer.error:
                continue  # graded without asking
            reply = case.expected if answer is None else answer.reply
            request = "\n".join(m["content"] for m in judge.messages(case, reply))
            cost.add(judge.model, _count(judge.model, request) + 9, GRADE_TOKENS)
    return cost
