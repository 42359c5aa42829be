"""Run test cases through any number of models with a bounded number of requests in flight."""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.retry import with_retries
from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.chat.stream import ChatSettings
from ftstudio.core.drive import drive
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.evaluation.pool import Notify, bounded
from ftstudio.core.evaluation.results import Answer
from ftstudio.core.progress import Notice, Progress

if TYPE_CHECKING:
    import openai

    from ftstudio.core.evaluation.results import ResultsFile
    from ftstudio.core.evaluation.testfile import Case

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 4
EVAL_SETTINGS = ChatSettings(temperature=0.0)
"""Temperature 0: the same test gives the same reply, so two runs compare."""
ROW_ERRORS = frozenset({ErrorKind.INVALID})
"""Errors that concern one test only (too long, refused): recorded, the run goes on."""


@dataclass(frozen=True)
class _Asker:
    """Asks one question on a pool thread: the work :func:`bounded` runs."""

    client: openai.OpenAI
    models: list[str]
    settings: ChatSettings

    def __call__(
        self, job: tuple[Case, int], cancel: CancelToken, notify: Notify
    ) -> Answer:
        case, side = job

        def call() -> str:
            create: Any = self.client.chat.completions.create  # options: numbers
            completion = create(
                model=self.models[side],
                messages=list(case.messages),
                **self.settings.request_options(),
            )
            return completion.choices[0].message.content or ""

        try:
            # with_retries turns every failure into an FtError after the retries
            reply = drive(with_retries(call, cancel), cancel, on_notice=notify)
        except FtError as error:
            if error.kind not in ROW_ERRORS:
                raise
            return Answer(case.row, side, "", error.message)
        return Answer(case.row, side, reply)


def run_evaluation(
    client: openai.OpenAI,
    cases: list[Case],
    models: list[str],
    cancel: CancelToken = NEVER,
    *,
    results: ResultsFile | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    settings: ChatSettings = EVAL_SETTINGS,
) -> Generator[Progress | Answer | Notice, None, dict[tuple[int, int], Answer]]:
    """Ask every model every test; yield each :class:`Answer` as it comes.

    Answers already in ``results`` are yielded first and not asked again (resume);
    new ones are recorded there as they arrive, so a run stopped by a cancel, a
    crash or a lost connection loses nothing that was finished. At most
    ``concurrency`` requests are in flight at once. A problem with one test (the
    service refused that request) is recorded as that test's error; anything
    else (no connection, wrong key, unknown model) stops the run with an
    :class:`FtError` after the usual retries.

    Returns
    -------
    dict
        Every answer by ``(row, side)``.
    """
    if not models:
        raise FtError(ErrorKind.INPUT, "Choose at least one model to evaluate.")
    if len(set(models)) != len(models):
        raise FtError(
            ErrorKind.INPUT, "The same model is chosen twice: choose each model once."
        )
    answers = results.load() if results is not None else {}
    total = len(cases) * len(models)
    if answers:
        yield from answers.values()
    yield Progress(len(answers), total, "Asking the models")
    todo = [
        (case, side)
        for case in cases
        for side in range(len(models))
        if (case.row, side) not in answers
    ]

    def took(answer: Answer) -> Iterator[Answer | Progress]:
        answers[(answer.row, answer.side)] = answer
        if results is not None:
            results.append(answer)
        yield answer
        yield Progress(len(answers), total, "Asking the models")

    yield from bounded(
        _Asker(client, models, settings), todo, cancel, concurrency, took
    )
    return answers
