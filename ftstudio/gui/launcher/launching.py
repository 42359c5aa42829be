"""Upload the files and start the job exactly once (no Qt): the launch task."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.launch import create_job_once
from ftstudio.core.api.upload import upload_file
from ftstudio.core.monitor.launches import record_launch

if TYPE_CHECKING:
    import openai
    from openai.types.fine_tuning import FineTuningJob

    from ftstudio.core.api.retry import RetryNotice
    from ftstudio.core.cancel import CancelToken
    from ftstudio.core.progress import Progress


@dataclass(frozen=True)
class LaunchPlan:
    """Everything a launch needs, fixed when the user confirmed it."""

    training: Path
    validation: Path | None
    params: dict[str, Any] = field(default_factory=dict)
    """``jobs.create`` keywords other than the file ids (model, method, suffix…)."""
    billing_tokens: int | None = None
    """The training file's billing tokens per epoch, for the Monitor's running cost."""


def launch(
    client: openai.OpenAI, plan: LaunchPlan, cancel: CancelToken
) -> Generator[Progress | RetryNotice, None, FineTuningJob]:
    """Upload the training (and validation) file with byte progress; create the job.

    Uploads and the job creation are retried through rate limits, server errors
    and lost answers without duplicates (see :func:`create_job_once`).
    """
    training = yield from upload_file(client, plan.training, cancel=cancel)
    params = {**plan.params, "training_file": training.id}
    if plan.validation is not None:
        validation = yield from upload_file(client, plan.validation, cancel=cancel)
        params["validation_file"] = validation.id
    job: FineTuningJob = yield from create_job_once(
        client, params, cancel, source=str(plan.training.resolve())
    )
    if plan.billing_tokens is not None:
        record_launch(job.id, plan.billing_tokens)
    return job
