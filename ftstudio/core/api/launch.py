"""Create a fine-tuning job exactly once, even when an answer is lost on the way back."""

from __future__ import annotations

import uuid
from collections.abc import Generator, Mapping
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.retry import RetryNotice, with_retries
from ftstudio.core.cancel import NEVER, CancelToken

if TYPE_CHECKING:
    import openai
    from openai.types.fine_tuning import FineTuningJob

LAUNCH_TAG = "ftstudio_launch_id"
"""Metadata key that marks each launch, so a retry can find a job already created."""


def find_launched(client: openai.OpenAI, launch_id: str) -> FineTuningJob | None:
    """Return the job created by launch ``launch_id``, if the service has one."""
    page = client.fine_tuning.jobs.list(metadata={LAUNCH_TAG: launch_id}, limit=10)
    for job in page.data:
        if (job.metadata or {}).get(LAUNCH_TAG) == launch_id:
            return job
    return None


def create_job_once(
    client: openai.OpenAI,
    params: Mapping[str, Any],
    cancel: CancelToken = NEVER,
    launch_id: str | None = None,
) -> Generator[RetryNotice, None, FineTuningJob]:
    """Create a job with ``params`` (``jobs.create`` keywords), retrying safely.

    Each launch is tagged with a unique id in ``metadata``. Before every retry the
    service is asked for a job with that tag: if the first request was processed
    but its answer lost, that job is returned instead of creating a second one.
    """
    launch_id = launch_id or uuid.uuid4().hex
    metadata = {**dict(params.get("metadata") or {}), LAUNCH_TAG: launch_id}
    kwargs = {**params, "metadata": metadata}

    def create() -> FineTuningJob:
        return client.fine_tuning.jobs.create(**kwargs)

    def already_created() -> FineTuningJob | None:
        return find_launched(client, launch_id)

    job: FineTuningJob = yield from with_retries(
        create, cancel, before_retry=already_created
    )
    return job
