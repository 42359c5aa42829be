"""The service calls behind the jobs table, as cancellable core generators (no Qt)."""

from __future__ import annotations

from collections.abc import Callable, Generator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.retry import RetryNotice, with_retries
from ftstudio.core.cancel import CancelToken
from ftstudio.core.errors import ErrorKind, FtError

if TYPE_CHECKING:
    import openai
    from openai.types.fine_tuning import FineTuningJob

MAX_JOBS = 500
"""At most this many jobs are listed (newest first): older ones are rarely wanted."""
PAGE = 100

Call = Callable[[CancelToken], Generator[RetryNotice, None, Any]]
"""A task function: takes a cancel token, yields retry notices, returns a result."""


def _page(client: openai.OpenAI, after: str | None) -> Any:
    if after is None:
        return client.fine_tuning.jobs.list(limit=PAGE)
    return client.fine_tuning.jobs.list(limit=PAGE, after=after)


def list_jobs(client: openai.OpenAI) -> Call:
    """Return a task listing the jobs, newest first (each page retried on its own)."""

    def run(cancel: CancelToken) -> Generator[RetryNotice, None, list[FineTuningJob]]:
        jobs: list[FineTuningJob] = []
        after: str | None = None
        while len(jobs) < MAX_JOBS:
            page = yield from with_retries(partial(_page, client, after), cancel)
            jobs.extend(page.data)
            if not page.data or not page.has_more:
                break
            after = page.data[-1].id
        return jobs[:MAX_JOBS]

    return run


def job_action(client: openai.OpenAI, action: str, job_id: str) -> Call:
    """Return a task that cancels, pauses or resumes ``job_id``; it returns the job."""
    jobs = client.fine_tuning.jobs
    calls = {"cancel": jobs.cancel, "pause": jobs.pause, "resume": jobs.resume}

    def run(cancel: CancelToken) -> Generator[RetryNotice, None, FineTuningJob]:
        job: FineTuningJob = yield from with_retries(
            partial(calls[action], job_id), cancel
        )
        return job

    return run


def delete_model(client: openai.OpenAI, model: str) -> Call:
    """Return a task that deletes the fine-tuned ``model``; it returns the model name."""

    def run(cancel: CancelToken) -> Generator[RetryNotice, None, str]:
        yield from with_retries(partial(client.models.delete, model), cancel)
        return model

    return run


def download_results(client: openai.OpenAI, job_id: str, target: Path) -> Call:
    """Return a task that saves the job's step-metrics CSV to ``target`` (decoded).

    The service sometimes sends the CSV base64-encoded; it is decoded so the
    saved file opens in a spreadsheet. Returns the saved path.
    """

    def run(cancel: CancelToken) -> Generator[RetryNotice, None, Path]:
        from ftstudio.core.api.results import decode_result_file
        from ftstudio.core.dataset.atomic import write_atomic

        job = yield from with_retries(
            partial(client.fine_tuning.jobs.retrieve, job_id), cancel
        )
        if not job.result_files:
            msg = "This job has no results file yet: it appears when training ends."
            raise FtError(ErrorKind.NOT_FOUND, msg)
        file_id = job.result_files[0]
        content = yield from with_retries(
            lambda: client.files.content(file_id).read(), cancel
        )
        return write_atomic(target, decode_result_file(content))

    return run
