"""Advice about a report's counts, worded the way OpenAI's fine-tuning guide puts it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ftstudio.core.validation.report import Report

MIN_EXAMPLES = 10
GOOD_EXAMPLES_LOW, GOOD_EXAMPLES_HIGH = 50, 100

SEPARATE_SETS = (
    "Keep training and validation examples apart: an example in both files makes "
    "the validation score look better than the model really is. "
    "File → Split into training and validation writes two separate files."
)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def guidance(report: Report, errors: int | None = None) -> list[str]:
    """Return short paragraphs of advice for ``report``, most important first.

    ``errors`` saves counting the report's errors again when the caller has.
    """
    notes: list[str] = []
    n = report.examples
    errors = report.errors if errors is None else errors
    if errors:
        notes.append(
            f"Fix the {_plural(errors, 'error')} first: OpenAI rejects a file "
            "that has any. Warnings are worth a look but do not block training."
        )
    if n < MIN_EXAMPLES:
        missing = MIN_EXAMPLES - n
        notes.append(
            f"OpenAI needs at least {MIN_EXAMPLES} examples; this file has {n:,}. "
            f"Add {missing:,} more."
        )
    elif n < GOOD_EXAMPLES_LOW:
        notes.append(
            f"{n:,} examples is enough to start ({MIN_EXAMPLES} is the minimum). "
            f"{GOOD_EXAMPLES_LOW} to {GOOD_EXAMPLES_HIGH} well-made examples usually "
            "show a clear improvement."
        )
    else:
        notes.append(
            f"{n:,} examples: {GOOD_EXAMPLES_LOW} to {GOOD_EXAMPLES_HIGH} well-made "
            "examples usually show a clear improvement; beyond that, quality matters "
            "more than quantity."
        )
    tokens = report.tokens
    if tokens.over_limit_examples and tokens.limit:
        notes.append(
            f"{_plural(tokens.over_limit_examples, 'example')} "
            f"{'is' if tokens.over_limit_examples == 1 else 'are'} longer than the "
            f"{tokens.limit:,} tokens {report.model} trains on. Training cuts "
            "them off at the limit: whatever comes after is not learned. Shorten or "
            "split them."
        )
    notes.append(SEPARATE_SETS)
    return notes
