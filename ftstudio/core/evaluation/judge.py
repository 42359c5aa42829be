"""The model-graded score: a chat model grades each reply against the expected answer."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.retry import with_retries
from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.chat.stream import ChatSettings
from ftstudio.core.drive import drive
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.evaluation.pool import Notify, bounded
from ftstudio.core.evaluation.results import Grade
from ftstudio.core.evaluation.scoring import JUDGE_SCALE
from ftstudio.core.progress import Notice, Progress

if TYPE_CHECKING:
    import openai

    from ftstudio.core.evaluation.results import Answer, ResultsFile
    from ftstudio.core.evaluation.testfile import Case

DEFAULT_RUBRIC = """\
5: says everything the expected answer says, in the same manner; nothing wrong.
4: the same meaning, with small omissions or differences of wording or style.
3: partly right: some key facts or instructions are missing or different.
2: mostly wrong or off the point, with only a little that agrees.
1: wrong, empty, a refusal, or unrelated to the expected answer."""

SYSTEM_TEMPLATE = """\
You grade one answer by comparing it with the expected answer.
Grade from 1 (worst) to {scale} (best) with this rubric:

{rubric}

Reply with JSON only, on one line: {{"score": <1 to {scale}>, "reason": "<one short sentence>"}}"""

USER_TEMPLATE = """\
## Question
{question}

## Expected answer
{expected}

## Answer to grade
{answer}"""

GRADER_SETTINGS = ChatSettings(temperature=0.0, max_tokens=300)
"""Temperature 0: the same answer gets the same grade, so two runs compare."""
READ_TRIES = 2
"""Ask again this often when the grader's answer is not a readable grade."""
ROW_ERRORS = frozenset({ErrorKind.INVALID})


@dataclass(frozen=True)
class Judge:
    """Which model grades, and with which rubric."""

    model: str
    rubric: str = DEFAULT_RUBRIC

    @property
    def system_prompt(self) -> str:
        """Return the instructions the grader receives."""
        return SYSTEM_TEMPLATE.format(rubric=self.rubric.strip(), scale=JUDGE_SCALE)

    @property
    def key(self) -> str:
        """Return a short hash naming this grader: other rubric, other grades."""
        text = "\n\0".join((self.model, self.system_prompt, USER_TEMPLATE))
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def settings(self) -> dict[str, Any]:
        """Return what is saved with the results: model, rubric, prompts, temperature."""
        return {
            "judge_model": self.model,
            "rubric": self.rubric,
            "system_prompt": self.system_prompt,
            "user_template": USER_TEMPLATE,
            "temperature": GRADER_SETTINGS.temperature,
        }

    def messages(self, case: Case, reply: str) -> list[dict[str, str]]:
        """Return the grading request for one reply."""
        user = USER_TEMPLATE.format(
            question=case.question, expected=case.expected, answer=reply
        )
        return [
            {"role": "system", "content": self.system_prompt},
            {"role": "user", "content": user},
        ]


_NUMBER = re.compile(r"(?i)\b(?:score|grade)\b\W{0,5}(\d+(?:\.\d+)?)")
_REASON = re.compile(r"(?i)\breason\b\W{0,5}(.+)")


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def parse_grade(text: str) -> tuple[int, str]:
    """Read ``(grade, reason)`` from a grader's answer.

    JSON (``{"score": 4, "reason": "..."}``, also inside a code fence or prose)
    is read first, then a plain "Score: 4 / Reason: ..." line.

    Raises
    ------
    ValueError
        Saying in plain words why the answer is not a grade.
    """
    value: Any = None
    reason = ""
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        try:
            raw = json.loads(text[start : end + 1])
        except ValueError:
            raw = None
        if isinstance(raw, dict):
            value = raw.get("score", raw.get("grade"))
            reason = str(raw.get("reason") or "")
    if value is None:
        found = _NUMBER.search(text)
        value = found.group(1) if found else None
        said = _REASON.search(text)
        reason = said.group(1) if said else ""
    if value is None or isinstance(value, bool):
        raise ValueError("it gives no score")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"its score {value!r} is not a number") from None
    if not number.is_integer() or not 1 <= number <= JUDGE_SCALE:
        raise ValueError(
            f"its score {value} is not a whole number from 1 to {JUDGE_SCALE}"
        )
    return int(number), _one_line(reason) or "(no reason given)"


def _grade(
    client: openai.OpenAI,
    judge: Judge,
    job: tuple[Case, Answer],
    cancel: CancelToken,
    notify: Notify,
) -> Grade:
    """Grade one reply (on a pool thread); an unreadable grade is recorded, not raised."""
    case, answer = job
    if answer.error:
        return Grade(case.row, answer.side, 1, f"No reply: {answer.error}", judge.key)

    def call() -> str:
        create: Any = client.chat.completions.create
        completion = create(
            model=judge.model,
            messages=judge.messages(case, answer.reply),
            **GRADER_SETTINGS.request_options(),
        )
        return completion.choices[0].message.content or ""

    text = ""
    problem = ""
    for _ in range(READ_TRIES):
        try:
            text = drive(with_retries(call, cancel), cancel, on_notice=notify)
        except FtError as error:
            if error.kind not in ROW_ERRORS:
                raise
            reason = f"The grader refused this answer: {error.message}"
            return Grade(case.row, answer.side, None, reason, judge.key)
        try:
            grade, reason = parse_grade(text)
        except ValueError as exc:
            problem = str(exc)
            continue
        return Grade(case.row, answer.side, grade, reason, judge.key)
    said = _one_line(text, 120) or "(an empty answer)"
    reason = f"The grader's answer could not be read as a grade ({problem}): {said}"
    return Grade(case.row, answer.side, None, reason, judge.key)


def run_grading(
    client: openai.OpenAI,
    cases: list[Case],
    answers: dict[tuple[int, int], Answer],
    judge: Judge,
    cancel: CancelToken = NEVER,
    *,
    results: ResultsFile | None = None,
    concurrency: int = 4,
) -> Generator[Progress | Grade | Notice, None, dict[tuple[int, int], Grade]]:
    """Have ``judge`` grade every answer; yield each :class:`Grade` as it comes.

    Grades this judge already gave (same model, rubric and prompt) are taken
    from ``results`` and not asked again; new ones are recorded there, with the
    judge's settings. A grader answer that cannot be read is asked once more,
    then recorded with the reason, and the run goes on.

    Returns
    -------
    dict
        Every grade by ``(row, side)``.
    """
    if not judge.model:
        raise FtError(ErrorKind.INPUT, "Choose the model that grades the answers.")
    grades: dict[tuple[int, int], Grade] = {}
    if results is not None:
        record = results.load_all()
        grades = dict(record.grades.get(judge.key, {}))
        if judge.key not in record.judges:
            results.add_judge(judge.key, judge.settings())
    by_row = {case.row: case for case in cases}
    todo = [
        (by_row[row], answer)
        for (row, side), answer in sorted(answers.items())
        if (row, side) not in grades and row in by_row
    ]
    total = len(grades) + len(todo)
    yield from grades.values()
    yield Progress(len(grades), total, "Grading the answers")

    def took(grade: Grade) -> Iterator[Grade | Progress]:
        grades[(grade.row, grade.side)] = grade
        if results is not None:
            results.add_grade(grade)
        yield grade
        yield Progress(len(grades), total, "Grading the answers")

    work = partial(_grade, client, judge)
    yield from bounded(work, todo, cancel, concurrency, took)
    return grades
