"""Evaluation results: the replies so far, kept in a file so a stopped run can resume."""

from __future__ import annotations

import csv
import hashlib
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftstudio.core.dataset.atomic import atomic_file
from ftstudio.core.errors import FtError
from ftstudio.core.evaluation.scoring import Metric, score

if TYPE_CHECKING:
    from ftstudio.core.evaluation.testfile import Case

FORMAT = "ftstudio-eval-results"
VERSION = 1


@dataclass(frozen=True)
class Answer:
    """Model ``side``'s reply to test ``row``; ``error`` says why there is none."""

    row: int
    side: int
    reply: str
    error: str = ""


def fingerprint(cases: Iterable[Case]) -> str:
    """Return a short hash of the test cases (a results file belongs to one test file)."""
    digest = hashlib.sha256()
    for case in cases:
        digest.update(json.dumps([case.messages, case.expected]).encode())
    return digest.hexdigest()[:16]


def default_results_path(cases: list[Case], models: list[str]) -> Path:
    """Return where the replies of this test and these models are kept until a run ends.

    The command line and the window use the same place, so a run stopped in
    one resumes in the other.
    """
    from ftstudio.core.paths import user_data_dir

    key = hashlib.sha256("\n".join(models).encode()).hexdigest()[:12]
    return user_data_dir() / "evaluations" / f"{fingerprint(cases)}-{key}.jsonl"


class ResultsFile:
    """An append-only JSON-lines record of finished replies (the resume checkpoint).

    The first line names the test (its fingerprint) and the models; each later
    line is one :class:`Answer`. Scores are not stored: they are computed from
    the replies, so changing the metric never needs the models again.
    """

    def __init__(self, path: Path, cases: list[Case], models: list[str]) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._header = {
            "format": FORMAT,
            "version": VERSION,
            "test": fingerprint(cases),
            "rows": len(cases),
            "models": list(models),
        }

    def load(self) -> dict[tuple[int, int], Answer]:
        """Return the answers already recorded; start the file when there is none.

        Raises
        ------
        FtError
            When the file holds results of another test file or other models.
        """
        if not self.path.exists() or self.path.stat().st_size == 0:
            self.start_over()
            return {}
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
            header = json.loads(lines[0])
        except (OSError, ValueError, IndexError) as exc:
            raise FtError(
                "io", f"The results file {self.path.name} cannot be read.", str(exc)
            ) from exc
        wanted = {k: v for k, v in self._header.items() if k != "version"}
        if not isinstance(header, dict) or any(
            header.get(k) != v for k, v in wanted.items()
        ):
            raise FtError(
                "input",
                f"The results file {self.path.name} belongs to another test file or other "
                "models. Start over, or choose another results file.",
            )
        answers: dict[tuple[int, int], Answer] = {}
        for line in lines[1:]:
            try:
                raw = json.loads(line)
                answer = Answer(
                    int(raw["row"]),
                    int(raw["side"]),
                    str(raw["reply"]),
                    str(raw["error"]),
                )
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a crash: that reply is asked again
            answers[(answer.row, answer.side)] = answer
        return answers

    def start_over(self) -> None:
        """Forget every recorded answer."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(self.path) as out:
            out.write(json.dumps(self._header).encode() + b"\n")

    def append(self, answer: Answer) -> None:
        """Record one finished answer (thread-safe; flushed at once)."""
        line = json.dumps(
            {
                "row": answer.row,
                "side": answer.side,
                "reply": answer.reply,
                "error": answer.error,
            },
            ensure_ascii=False,
        )
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")


@dataclass
class EvalTable:
    """Test cases, models and the answers so far: what the table and the CSV show."""

    cases: list[Case]
    models: list[str]
    answers: dict[tuple[int, int], Answer]

    def passed(self, metric: Metric, row: int, side: int) -> bool | None:
        """Return whether model ``side`` passed test ``row`` (None: not answered yet)."""
        answer = self.answers.get((row, side))
        if answer is None:
            return None
        if answer.error:
            return False
        return score(metric, self.cases[row].expected, answer.reply)

    def totals(self, metric: Metric) -> list[tuple[int, int]]:
        """Return ``(passed, answered)`` for each model."""
        out = []
        for side in range(len(self.models)):
            results = [self.passed(metric, r, side) for r in range(len(self.cases))]
            answered = [r for r in results if r is not None]
            out.append((sum(answered), len(answered)))
        return out

    def export_csv(self, path: Path, metric: Metric) -> Path:
        """Write one row per test: input, expected, each model's reply and score."""
        header: list[str] = ["row", "input", "expected"]
        for model in self.models:
            header += [f"reply: {model}", f"score: {model}"]
        with atomic_file(path) as raw:
            text = _TextOut(raw)
            writer = csv.writer(text)
            writer.writerow(header)
            for case in self.cases:
                line: list[Any] = [case.row + 1, case.question, case.expected]
                for side in range(len(self.models)):
                    answer = self.answers.get((case.row, side))
                    passed = self.passed(metric, case.row, side)
                    reply = "" if answer is None else answer.error or answer.reply
                    line += [reply, "" if passed is None else int(passed)]
                writer.writerow(line)
        return path


class _TextOut:
    """A text sink over a binary file for the csv module (UTF-8 with a BOM for Excel)."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        raw.write("\ufeff".encode())

    def write(self, text: str) -> int:
        self._raw.write(text.encode("utf-8"))
        return len(text)
