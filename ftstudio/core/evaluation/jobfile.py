"""After training: fetch a finished job's validation file to evaluate it on."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ftstudio.core.api.retry import RetryNotice, with_retries
from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.errors import ErrorKind, FtError

if TYPE_CHECKING:
    import openai


@dataclass(frozen=True)
class JobToEvaluate:
    """A finished job: its base model, the fine-tuned model, and its validation file."""

    job_id: str
    base_model: str
    tuned_model: str
    test_file: Path | None
    """The job's validation file, downloaded; None when the job had none."""


def job_to_evaluate(
    client: openai.OpenAI, job_id: str, folder: Path, cancel: CancelToken = NEVER
) -> Generator[RetryNotice, None, JobToEvaluate]:
    """Look up ``job_id`` and download its validation file into ``folder``.

    Raises
    ------
    FtError
        When the job has not produced a fine-tuned model (yet), or the service
        cannot be reached.
    """
    job = yield from with_retries(
        lambda: client.fine_tuning.jobs.retrieve(job_id), cancel
    )
    if not job.fine_tuned_model:
        raise FtError(
            ErrorKind.INPUT,
            f"The job {job_id} has no fine-tuned model yet ({job.status}): "
            "evaluate it when it has succeeded.",
        )
    path: Path | None = None
    file_id = job.validation_file
    if file_id:
        content = yield from with_retries(
            lambda: client.files.content(file_id).read(), cancel
        )
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"validation-{file_id}.jsonl"
        path.write_bytes(content)
    return JobToEvaluate(job_id, job.model, job.fine_tuned_model, path)
