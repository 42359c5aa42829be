"""Watch fine-tuning jobs: only new events each poll, retried through network loss."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.retry import RetryNotice, with_retries
from ftstudio.core.cancel import NEVER, CancelToken

if TYPE_CHECKING:
    import openai
    from openai.types.fine_tuning import FineTuningJob, FineTuningJobEvent

TERMINAL_STATUSES = frozenset({"succeeded", "failed", "cancelled"})
PAGE_SIZE = 100
POLL_SECONDS = 2.0


def _page(client: openai.OpenAI, job_id: str, cursor: str | None) -> Any:
    if cursor is None:
        return client.fine_tuning.jobs.list_events(job_id, limit=PAGE_SIZE)
    return client.fine_tuning.jobs.list_events(job_id, limit=PAGE_SIZE, after=cursor)


def new_events(
    client: openai.OpenAI,
    job_id: str,
    last_seen: str | None,
    cancel: CancelToken = NEVER,
) -> Generator[RetryNotice, None, list[FineTuningJobEvent]]:
    """Return the job's events newer than ``last_seen``, oldest first.

    The service lists events newest first; pages are followed back until the
    last seen event (or, with ``last_seen`` None, to the very first event), so a
    long gap in polling loses nothing and nothing comes twice. Each page is
    retried on its own, so a flaky network does not restart a long walk.
    """
    collected: list[FineTuningJobEvent] = []
    cursor: str | None = None
    while True:
        page = yield from with_retries(partial(_page, client, job_id, cursor), cancel)
        for event in page.data:
            if event.id == last_seen:
                collected.reverse()
                return collected
            collected.append(event)
        if not page.data or not page.has_more or page.data[-1].id == cursor:
            break  # the last page, or a service whose cursor does not move on
        cursor = page.data[-1].id
    collected.reverse()
    return collected


@dataclass(frozen=True)
class JobUpdate:
    """One poll's news: the job as it is now and the events since the last poll."""

    job: FineTuningJob
    events: list[FineTuningJobEvent] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        """Whether the job reached succeeded, failed or cancelled."""
        return self.job.status in TERMINAL_STATUSES


def follow_job(
    client: openai.OpenAI,
    job_id: str,
    cancel: CancelToken = NEVER,
    *,
    interval: float = POLL_SECONDS,
    last_seen: str | None = None,
) -> Generator[JobUpdate | RetryNotice, None, FineTuningJob]:
    """Poll ``job_id`` until it ends, yielding each update; return the final job.

    Network loss and busy answers are retried (yielding :class:`RetryNotice`);
    polling resumes from the last event seen, so there are no gaps or repeats.
    """
    while True:
        job = yield from with_retries(
            lambda: client.fine_tuning.jobs.retrieve(job_id), cancel
        )
        events = yield from new_events(client, job_id, last_seen, cancel)
        if events:
            last_seen = events[-1].id
        update = JobUpdate(job, events)
        yield update
        if update.finished:
            return job
        if cancel.wait(interval):
            cancel.check()
