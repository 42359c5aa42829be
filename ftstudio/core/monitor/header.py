"""The Monitor header in words: status, elapsed time, finish estimate, step, epoch."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ftstudio.core.monitor.hints import cost_text, running_cost_text
from ftstudio.core.monitor.metrics import epoch_at

if TYPE_CHECKING:
    from ftstudio.core.models import ModelTable
    from ftstudio.core.monitor.metrics import MetricSeries
    from ftstudio.core.monitor.watch import JobInfo

STATUS_WORDS = {
    "validating_files": "Checking your files",
    "queued": "Waiting in the queue",
    "running": "Training",
    "paused": "Paused",
    "succeeded": "Finished",
    "failed": "Failed",
    "cancelled": "Cancelled",
}


def duration_text(seconds: float) -> str:
    """Return ``seconds`` as "1 h 05 min", "4 min 09 s" or "12 s"."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


@dataclass(frozen=True)
class HeaderFacts:
    """Each header field as the user reads it."""

    status: str
    elapsed: str
    finish: str
    step: str
    epoch: str
    cost: str


def header_facts(
    job: JobInfo,
    series: MetricSeries,
    now: float | None = None,
    table: ModelTable | None = None,
) -> HeaderFacts:
    """Describe ``job`` and its progress for the header."""
    now = time.time() if now is None else now
    status = STATUS_WORDS.get(job.status, job.status.replace("_", " ").capitalize())
    if job.status == "failed" and job.error:
        status = f"Failed: {job.error}"
    end = job.finished_at if job.finished and job.finished_at else now
    elapsed = f"Elapsed {duration_text(end - job.created_at)}"
    total = series.total_steps
    step = series.last_step
    if job.finished:
        finish = "Ended " + time.strftime("%H:%M", time.localtime(end))
    elif job.estimated_finish:
        left = job.estimated_finish - now
        when = time.strftime("%H:%M", time.localtime(job.estimated_finish))
        finish = f"Estimated finish {when} (in about {duration_text(left)})"
    elif step and total and job.status == "running":
        # no estimate from the service: assume the remaining steps go as fast
        left = (now - job.created_at) * (total - step) / step
        finish = f"Estimated finish in about {duration_text(left)}"
    else:
        finish = "Finish time not known yet"
    step_text = f"Step {step:,} of {total:,}" if step and total else "No steps yet"
    epoch = epoch_at(step or 0, total, job.n_epochs)
    epoch_text = f"Epoch {epoch} of {job.n_epochs}" if epoch else "Epoch not known yet"
    return HeaderFacts(
        status, elapsed, finish, step_text, epoch_text, _cost(job, step, total, table)
    )


def _cost(
    job: JobInfo, step: int | None, total: int | None, table: ModelTable | None
) -> str:
    """Return the exact cost once reported, else an estimate for jobs launched here."""
    if job.trained_tokens is not None or job.billing_tokens is None or not job.n_epochs:
        return cost_text(job.model, job.trained_tokens, table)
    whole = job.billing_tokens * job.n_epochs
    so_far = whole * min(step or 0, total) // total if total else 0
    return running_cost_text(job.model, so_far, whole, table)
