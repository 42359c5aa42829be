"""Run test cases through one or two models with a bounded number of requests in flight."""

from __future__ import annotations

import logging
import queue
from collections.abc import Generator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.errors import to_ft_error
from ftstudio.core.api.retry import RetryNotice, run_to_end, with_retries
from ftstudio.core.cancel import NEVER, Cancelled, CancelToken
from ftstudio.core.chat.stream import ChatSettings
from ftstudio.core.errors import FtError
from ftstudio.core.evaluation.results import Answer
from ftstudio.core.progress import Progress

if TYPE_CHECKING:
    import openai

    from ftstudio.core.evaluation.results import ResultsFile
    from ftstudio.core.evaluation.testfile import Case

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 4
EVAL_SETTINGS = ChatSettings(temperature=0.0)
"""Temperature 0: the same test gives the same reply, so two runs compare."""
POLL_SECONDS = 0.05
ROW_ERRORS = frozenset({"invalid"})
"""Errors that concern one test only (too long, refused): recorded, the run goes on."""


def _ask(
    client: openai.OpenAI,
    model: str,
    case: Case,
    side: int,
    *,
    settings: ChatSettings,
    cancel: CancelToken,
    out: queue.Queue[Any],
) -> None:
    """Ask one question (on a pool thread); put notices and the outcome on ``out``."""
    if cancel.cancelled:
        return

    def call() -> str:
        create: Any = client.chat.completions.create  # options hold only numbers
        completion = create(
            model=model,
            messages=list(case.messages),
            **settings.request_options(),
        )
        return completion.choices[0].message.content or ""

    try:
        reply = run_to_end(with_retries(call, cancel), out.put)
    except Cancelled:
        return
    except Exception as exc:
        error = to_ft_error(exc)
        if error.kind in ROW_ERRORS:
            out.put(Answer(case.row, side, "", error.message))
        else:
            out.put(error)
        return
    out.put(Answer(case.row, side, reply))


def run_evaluation(
    client: openai.OpenAI,
    cases: list[Case],
    models: list[str],
    cancel: CancelToken = NEVER,
    *,
    results: ResultsFile | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    settings: ChatSettings = EVAL_SETTINGS,
) -> Generator[Progress | Answer | RetryNotice, None, dict[tuple[int, int], Answer]]:
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
    if not 1 <= len(models) <= 2:
        raise FtError("input", "Choose one or two models to evaluate.")
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
    if not todo:
        return answers
    inner = CancelToken()  # stops the pool's retries when the run ends early
    out: queue.Queue[Any] = queue.Queue()
    pool = ThreadPoolExecutor(max(1, concurrency), thread_name_prefix="eval")
    futures: list[Future[None]] = []
    stopped = False
    try:
        for case, side in todo:
            futures.append(
                pool.submit(
                    _ask,
                    client,
                    models[side],
                    case,
                    side,
                    settings=settings,
                    cancel=inner,
                    out=out,
                )
            )
        while len(answers) < total:
            cancel.check()
            try:
                item = out.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            if isinstance(item, FtError):
                raise item
            if isinstance(item, RetryNotice):
                yield item
                continue
            answers[(item.row, item.side)] = item
            if results is not None:
                results.append(item)
            yield item
            yield Progress(len(answers), total, "Asking the models")
    except (Cancelled, GeneratorExit):
        stopped = True
        raise
    finally:
        inner.cancel()
        pool.shutdown(wait=False, cancel_futures=True)
        if not stopped:
            # ended by an error: let the requests on the wire finish, so none
            # outlives the run and uses its client after the caller closed it
            # (a future cancelled in the queue never counts as done for wait())
            wait([f for f in futures if not f.cancelled()])
        # after Cancel they finish on their own and are dropped: waiting would
        # make Cancel as slow as the slowest reply
    return answers
