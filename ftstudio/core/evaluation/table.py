"""The results of a run as a table: scores per model, summaries, comparisons, CSV."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftstudio.core.dataset.atomic import atomic_file
from ftstudio.core.evaluation.scoring import Metric, grade_to_score, score
from ftstudio.core.evaluation.stats import Comparison, Summary, compare, summarize

if TYPE_CHECKING:
    from ftstudio.core.evaluation.results import Answer, Grade, Vote
    from ftstudio.core.evaluation.testfile import Case


@dataclass
class EvalTable:
    """Test cases, models, and the answers, grades and votes so far."""

    cases: list[Case]
    models: list[str]
    answers: dict[tuple[int, int], Answer]
    grades: dict[tuple[int, int], Grade] = field(default_factory=dict)
    votes: dict[tuple[int, tuple[str, str]], Vote] = field(default_factory=dict)
    judge: dict[str, Any] | None = None
    """The grader's settings (model, rubric, prompt) when the judge scored."""
    _cache: dict[tuple[Metric, int, int], float] = field(
        default_factory=dict, repr=False
    )

    def score_of(self, metric: Metric, row: int, side: int) -> float | None:
        """Return model ``side``'s score on test ``row`` from 0 to 1.

        None while there is no answer yet (or, for the judge, no readable grade).
        A test the service refused scores 0.
        """
        answer = self.answers.get((row, side))
        if answer is None:
            return None
        if metric is Metric.JUDGE:
            grade = self.grades.get((row, side))
            if grade is None or grade.grade is None:
                return None
            return grade_to_score(grade.grade)
        if answer.error:
            return 0.0
        key = (metric, row, side)
        if key not in self._cache:  # F1 and ROUGE are worth computing once
            self._cache[key] = score(metric, self.cases[row].expected, answer.reply)
        return self._cache[key]

    def adopt_scores(
        self,
        metric: Metric,
        scores: dict[tuple[int, int], float | None],
        source: EvalTable,
    ) -> None:
        """Keep scores computed elsewhere on ``source`` (a snapshot of this table).

        Only those whose answer is still the same one are kept.
        """
        if metric is Metric.JUDGE:
            return  # read from the grades, nothing to compute
        for (row, side), value in scores.items():
            answer = self.answers.get((row, side))
            if value is not None and answer is source.answers.get((row, side)):
                self._cache[(metric, row, side)] = value

    def forget_scores(self) -> None:
        """Drop cached scores (after an answer was replaced)."""
        self._cache.clear()

    def scores(self, metric: Metric, side: int) -> list[float | None]:
        """Return model ``side``'s score on every test, in test order."""
        return [self.score_of(metric, c.row, side) for c in self.cases]

    def totals(self, metric: Metric) -> list[tuple[int, int]]:
        """Return ``(passed, scored)`` for each model (pass means a full score)."""
        out = []
        for side in range(len(self.models)):
            got = [s for s in self.scores(metric, side) if s is not None]
            out.append((sum(s >= 1 for s in got), len(got)))
        return out

    def summary(self, metric: Metric, side: int) -> Summary:
        """Return model ``side``'s mean score with its 95% bootstrap interval."""
        return summarize([s for s in self.scores(metric, side) if s is not None])

    def comparison(self, metric: Metric, first: int, second: int) -> Comparison:
        """Return wins, ties and losses of model ``second`` against ``first``."""
        return compare(
            self.models[first],
            self.models[second],
            self.scores(metric, first),
            self.scores(metric, second),
        )

    def human_tally(self, first: str, second: str) -> tuple[int, int, int]:
        """Return ``(first preferred, ties, second preferred)`` from the blind votes."""
        pair = {first, second}
        wins = ties = losses = 0
        for vote in self.votes.values():
            if set(vote.models) != pair:
                continue
            if not vote.winner:
                ties += 1
            elif vote.winner == first:
                wins += 1
            else:
                losses += 1
        return wins, ties, losses

    def reason(self, row: int, side: int) -> str:
        """Return the judge's one-line reason for a grade ("" when none)."""
        grade = self.grades.get((row, side))
        return grade.reason if grade is not None else ""

    def export_csv(self, path: Path, metric: Metric) -> Path:
        """Write one row per test: input, expected, each model's reply and score.

        Scores are 1/0 for pass/fail metrics, 0 to 1 for F1 and ROUGE-L, and the
        grade 1 to 5 for the judge, whose reasons get a column per model; the
        grader's settings go beside the CSV in ``NAME.grader.json``.
        """
        judged = metric is Metric.JUDGE
        header: list[str] = ["row", "input", "expected"]
        for model in self.models:
            header += [f"reply: {model}", f"score: {model}"]
            if judged:
                header.append(f"reason: {model}")
        with atomic_file(path) as raw:
            writer = csv.writer(_TextOut(raw))
            writer.writerow(header)
            for case in self.cases:
                line: list[Any] = [case.row + 1, case.question, case.expected]
                for side in range(len(self.models)):
                    line += self._cells(metric, case.row, side)
                writer.writerow(line)
        if judged and self.judge is not None:
            sidecar = path.with_name(path.stem + ".grader.json")
            with atomic_file(sidecar) as out:
                out.write(json.dumps(self.judge, indent=2, ensure_ascii=False).encode())
        return path

    def _cells(self, metric: Metric, row: int, side: int) -> list[Any]:
        answer = self.answers.get((row, side))
        reply = "" if answer is None else answer.error or answer.reply
        value = self.score_of(metric, row, side)
        if value is None:
            shown: Any = ""
        elif metric.pass_fail:
            shown = int(value)
        elif metric is Metric.JUDGE:
            grade = self.grades[(row, side)].grade
            shown = grade
        else:
            shown = round(value, 4)
        cells = [reply, shown]
        if metric is Metric.JUDGE:
            cells.append(self.reason(row, side))
        return cells


class _TextOut:
    """A text sink over a binary file for the csv module (UTF-8 with a BOM for Excel)."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        raw.write("\ufeff".encode())

    def write(self, text: str) -> int:
        self._raw.write(text.encode("utf-8"))
        return len(text)
