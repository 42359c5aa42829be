"""Everything the summary shows, computed off the GUI thread from a snapshot of a run."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.evaluation.report import bins
from ftstudio.core.evaluation.scoring import Metric
from ftstudio.core.evaluation.stats import Comparison, Summary, distribution, summarize
from ftstudio.core.evaluation.table import EvalTable
from ftstudio.core.progress import Progress


@dataclass(frozen=True)
class Overview:
    """Scores, per-model summaries, one comparison and the chart's counts."""

    metric: Metric
    pair: tuple[int, int]
    scores: dict[tuple[int, int], float | None]
    summaries: list[Summary]
    comparison: Comparison | None
    human: tuple[int, int, int]
    """Blind votes for the pair: first preferred, ties, second preferred."""
    distributions: list[tuple[list[float], list[int]]]


def snapshot(table: EvalTable) -> EvalTable:
    """Return a copy another thread may read while the original keeps growing."""
    return EvalTable(
        table.cases,
        list(table.models),
        dict(table.answers),
        dict(table.grades),
        dict(table.votes),
        table.judge,
    )


def compute_overview(
    table: EvalTable,
    metric: Metric,
    pair: tuple[int, int],
    cancel: CancelToken = NEVER,
) -> Generator[Progress, None, Overview]:
    """Score every answer of ``table`` (a snapshot) and summarize; cancellable per model.

    F1 and especially ROUGE-L take time on thousands of answers (see
    ``bench/eval_bench.py``), and so do the bootstrap intervals.
    """
    models = len(table.models)
    scores: dict[tuple[int, int], float | None] = {}
    summaries = []
    spread = []
    for side in range(models):
        yield Progress(side, models, "Scoring")
        cancel.check()
        column = table.scores(metric, side)
        scores.update(
            {(c.row, side): v for c, v in zip(table.cases, column, strict=True)}
        )
        values = [v for v in column if v is not None]
        summaries.append(summarize(values))
        spread.append(distribution(values, bins(metric)))
    comparison = None
    human = (0, 0, 0)
    if models > 1 and max(pair) < models and pair[0] != pair[1]:
        cancel.check()
        comparison = table.comparison(metric, *pair)
        human = table.human_tally(table.models[pair[0]], table.models[pair[1]])
    return Overview(metric, pair, scores, summaries, comparison, human, spread)
