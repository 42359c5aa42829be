"""The run record: replies, grades and human votes, kept in a file so a run resumes."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftstudio.core.dataset.atomic import atomic_file
from ftstudio.core.errors import ErrorKind, FtError

if TYPE_CHECKING:
    from ftstudio.core.evaluation.testfile import Case

FORMAT = "ftstudio-eval-results"
VERSION = 2


@dataclass(frozen=True)
class Answer:
    """Model ``side``'s reply to test ``row``; ``error`` says why there is none."""

    row: int
    side: int
    reply: str
    error: str = ""


@dataclass(frozen=True)
class Grade:
    """The judge's grade of model ``side``'s reply to test ``row``.

    ``grade`` is 1 to 5, or None when the grader's answer could not be read;
    ``reason`` is the grader's one line, or why there is no grade.
    """

    row: int
    side: int
    grade: int | None
    reason: str
    judge: str = ""
    """The key of the judge (model, rubric and prompt) that gave it."""


@dataclass(frozen=True)
class Vote:
    """A person's blind choice between two models' replies to test ``row``.

    ``winner`` is one of ``models``, or "" for a tie.
    """

    row: int
    models: tuple[str, str]
    winner: str


@dataclass
class RunRecord:
    """Everything a results file holds."""

    answers: dict[tuple[int, int], Answer] = field(default_factory=dict)
    grades: dict[str, dict[tuple[int, int], Grade]] = field(default_factory=dict)
    judges: dict[str, dict[str, Any]] = field(default_factory=dict)
    votes: dict[tuple[int, tuple[str, str]], Vote] = field(default_factory=dict)


def fingerprint(cases: Iterable[Case]) -> str:
    """Return a short hash of the test cases (a results file belongs to one test file)."""
    digest = hashlib.sha256()
    for case in cases:
        digest.update(json.dumps([case.messages, case.expected]).encode())
    return digest.hexdigest()[:16]


def default_results_path(cases: list[Case], models: list[str]) -> Path:
    """Return where the run of this test and these models is kept.

    The command line and the window use the same place, so a run stopped in
    one resumes in the other.
    """
    from ftstudio.core.paths import user_data_dir

    key = hashlib.sha256("\n".join(models).encode()).hexdigest()[:12]
    return user_data_dir() / "evaluations" / f"{fingerprint(cases)}-{key}.jsonl"


def _parse(raw: Any, record: RunRecord) -> None:
    kind = raw.get("kind", "answer")
    if kind == "answer":
        a = Answer(
            int(raw["row"]), int(raw["side"]), str(raw["reply"]), str(raw["error"])
        )
        record.answers[(a.row, a.side)] = a
    elif kind == "grade":
        value = raw["grade"]
        g = Grade(
            int(raw["row"]),
            int(raw["side"]),
            None if value is None else int(value),
            str(raw["reason"]),
            str(raw["judge"]),
        )
        record.grades.setdefault(g.judge, {})[(g.row, g.side)] = g
    elif kind == "judge":
        record.judges[str(raw["key"])] = dict(raw)
    elif kind == "vote":
        first, second = (str(m) for m in raw["models"])
        v = Vote(int(raw["row"]), (first, second), str(raw["winner"]))
        record.votes[(v.row, v.models)] = v


class ResultsFile:
    """An append-only JSON-lines record of a run: the resume checkpoint.

    The first line names the test (its fingerprint) and the models; each later
    line is an :class:`Answer`, a :class:`Grade`, a judge's settings or a
    :class:`Vote`. Scores are not stored: they are computed from the replies,
    so changing the metric never needs the models again.
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
        """Return the answers already recorded (see :meth:`load_all`)."""
        return self.load_all().answers

    def load_all(self) -> RunRecord:
        """Return everything recorded; start the file when there is none.

        Raises
        ------
        FtError
            When the file holds results of another test file or other models.
        """
        if not self.path.exists() or self.path.stat().st_size == 0:
            self.start_over()
            return RunRecord()
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
            header = json.loads(lines[0])
        except (OSError, ValueError, IndexError) as exc:
            raise FtError(
                ErrorKind.IO,
                f"The results file {self.path.name} cannot be read.",
                str(exc),
            ) from exc
        wanted = {k: v for k, v in self._header.items() if k != "version"}
        if not isinstance(header, dict) or any(
            header.get(k) != v for k, v in wanted.items()
        ):
            raise FtError(
                ErrorKind.INPUT,
                f"The results file {self.path.name} belongs to another test file or other "
                "models. Start over, or choose another results file.",
            )
        record = RunRecord()
        for line in lines[1:]:
            try:
                _parse(json.loads(line), record)
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # a line cut short by a crash: that item is done again
        return record

    def start_over(self) -> None:
        """Forget every recorded answer, grade and vote."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(self.path) as out:
            out.write(json.dumps(self._header).encode() + b"\n")

    def _write(self, raw: dict[str, Any]) -> None:
        line = json.dumps(raw, ensure_ascii=False)
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")

    def append(self, answer: Answer) -> None:
        """Record one finished answer (thread-safe; flushed at once)."""
        self._write(asdict(answer))

    def add_grade(self, grade: Grade) -> None:
        """Record one grade."""
        self._write({"kind": "grade", **asdict(grade)})

    def add_judge(self, key: str, settings: dict[str, Any]) -> None:
        """Record a judge's model, rubric and prompt (kept with its grades)."""
        self._write({"kind": "judge", **settings, "key": key})

    def add_vote(self, vote: Vote) -> None:
        """Record one blind human choice (a later one for the same pair replaces it)."""
        self._write({"kind": "vote", **asdict(vote)})
