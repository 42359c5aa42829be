"""Watch one job for the Monitor tab: status, new events, metrics, checkpoints, results."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.jobs import POLL_SECONDS, JobUpdate, follow_job
from ftstudio.core.api.results import decode_result_file
from ftstudio.core.api.retry import RetryNotice, with_retries
from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.monitor.launches import launched_billing_tokens
from ftstudio.core.monitor.metrics import MetricBlock, metric_block

if TYPE_CHECKING:
    import openai
    from openai.types.fine_tuning import FineTuningJob, FineTuningJobEvent

RECENT_JOBS = 20
"""How many jobs the job picker lists."""
_CHECKPOINT_PAGE = 100


@dataclass(frozen=True)
class JobInfo:
    """What the Monitor header shows about a job (a plain snapshot)."""

    id: str
    model: str
    status: str
    created_at: int
    finished_at: int | None = None
    estimated_finish: int | None = None
    n_epochs: int | None = None
    trained_tokens: int | None = None
    fine_tuned_model: str | None = None
    result_file: str | None = None
    error: str | None = None
    suffix: str | None = None
    billing_tokens: int | None = None
    """The training file's billing tokens per epoch, if this studio launched the job."""

    @property
    def finished(self) -> bool:
        """Whether the job reached succeeded, failed or cancelled."""
        return self.status in ("succeeded", "failed", "cancelled")

    @property
    def title(self) -> str:
        """Return a short line for the job picker."""
        name = f"{self.model} · {self.suffix}" if self.suffix else self.model
        return f"{name} · {self.status} · {self.id}"


def _n_epochs(job: FineTuningJob) -> int | None:
    # The method's hyperparameters are the newer place; plain ones the older.
    candidates: list[Any] = []
    method = getattr(job, "method", None)
    if method is not None:
        for kind in ("supervised", "dpo", "reinforcement"):
            section = getattr(method, kind, None)
            hyper = getattr(section, "hyperparameters", None)
            candidates.append(getattr(hyper, "n_epochs", None))
    candidates.append(getattr(job.hyperparameters, "n_epochs", None))
    for value in candidates:
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def job_info(job: FineTuningJob) -> JobInfo:
    """Return the plain snapshot of an SDK job (status kept as a plain string)."""
    error = getattr(job.error, "message", None) if job.error else None
    return JobInfo(
        id=job.id,
        model=job.model,
        status=str(job.status),
        created_at=int(job.created_at),
        finished_at=job.finished_at,
        estimated_finish=job.estimated_finish,
        n_epochs=_n_epochs(job),
        trained_tokens=job.trained_tokens,
        fine_tuned_model=job.fine_tuned_model,
        result_file=job.result_files[0] if job.result_files else None,
        error=error,
        suffix=getattr(job, "user_provided_suffix", None),
    )


@dataclass(frozen=True)
class EventRow:
    """One line of the events log."""

    id: str
    created_at: int
    level: str
    message: str
    type: str
    data: Mapping[str, Any] | None = None


def event_row(event: FineTuningJobEvent) -> EventRow:
    """Return the plain row of an SDK event."""
    data = event.data if isinstance(event.data, Mapping) else None
    return EventRow(
        event.id,
        int(event.created_at),
        str(event.level),
        event.message,
        str(event.type or "message"),
        data,
    )


@dataclass(frozen=True)
class Checkpoint:
    """A saved checkpoint that can be chatted with."""

    step: int
    model: str
    metrics: Mapping[str, float | None]


@dataclass(frozen=True)
class WatchUpdate:
    """One poll's news for the Monitor tab."""

    job: JobInfo
    events: list[EventRow] = field(default_factory=list)
    checkpoints: list[Checkpoint] | None = None
    """The full checkpoint list when it was fetched this time, else None."""
    results_csv: bytes | None = None
    """The decoded results CSV, once, after the job succeeded."""
    metrics: MetricBlock = field(default_factory=lambda: metric_block([]))
    """The metrics of ``events`` as arrays (built here, off the GUI thread)."""


def recent_jobs(
    client: openai.OpenAI, cancel: CancelToken = NEVER, limit: int = RECENT_JOBS
) -> Generator[RetryNotice, None, list[JobInfo]]:
    """Return the newest ``limit`` jobs, newest first."""
    page = yield from with_retries(
        partial(client.fine_tuning.jobs.list, limit=limit), cancel
    )
    return [job_info(job) for job in page.data]


def fetch_checkpoints(
    client: openai.OpenAI, job_id: str, cancel: CancelToken = NEVER
) -> Generator[RetryNotice, None, list[Checkpoint]]:
    """Return every checkpoint of ``job_id``, lowest step first."""
    found: list[Checkpoint] = []
    after: str | None = None
    api = client.fine_tuning.jobs.checkpoints
    while True:
        call = (
            partial(api.list, job_id, limit=_CHECKPOINT_PAGE)
            if after is None
            else partial(api.list, job_id, limit=_CHECKPOINT_PAGE, after=after)
        )
        page = yield from with_retries(call, cancel)
        for item in page.data:
            metrics = item.metrics.model_dump() if item.metrics else {}
            found.append(
                Checkpoint(item.step_number, item.fine_tuned_model_checkpoint, metrics)
            )
        if not page.data or not page.has_more:
            break
        after = page.data[-1].id
    return sorted(found, key=lambda c: c.step)


def fetch_results_csv(
    client: openai.OpenAI, file_id: str, cancel: CancelToken = NEVER
) -> Generator[RetryNotice, None, bytes]:
    """Return the job's results CSV, decoded from base64 when it came that way."""
    response = yield from with_retries(partial(client.files.content, file_id), cancel)
    return decode_result_file(response.read())


def _mentions_checkpoint(events: list[EventRow]) -> bool:
    return any("checkpoint" in e.message.lower() for e in events)


def watch_job(
    client: openai.OpenAI,
    job_id: str,
    cancel: CancelToken = NEVER,
    *,
    interval: float = POLL_SECONDS,
    last_seen: str | None = None,
) -> Generator[WatchUpdate | RetryNotice, None, JobInfo]:
    """Follow ``job_id`` to its end, yielding a :class:`WatchUpdate` per poll.

    With ``last_seen`` None the first update carries the whole history
    (paginated to the start); afterwards only newer events. Pass the id of the
    last event received to resume after a failure without gaps or repeats.
    Checkpoints are fetched on the first poll and whenever an event mentions
    one; the results CSV once the job has succeeded.
    """
    first = True
    billing = launched_billing_tokens(job_id)
    followed = follow_job(
        client, job_id, cancel, interval=interval, last_seen=last_seen
    )
    while True:
        try:
            item = next(followed)
        except StopIteration as stop:
            final: FineTuningJob = stop.value
            return replace(job_info(final), billing_tokens=billing)
        if isinstance(item, RetryNotice):
            yield item
            continue
        assert isinstance(item, JobUpdate)
        info = replace(job_info(item.job), billing_tokens=billing)
        rows = [event_row(e) for e in item.events]
        checkpoints = None
        if first or info.finished or _mentions_checkpoint(rows):
            checkpoints = yield from fetch_checkpoints(client, job_id, cancel)
        results = None
        if info.status == "succeeded" and info.result_file:
            results = yield from fetch_results_csv(client, info.result_file, cancel)
        first = False
        yield WatchUpdate(info, rows, checkpoints, results, metric_block(rows))
