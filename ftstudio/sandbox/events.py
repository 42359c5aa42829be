"""Listing a job's events (newest first) and checkpoints, paginated.

The event poll is the sandbox's hot path (the studio asks every second per job,
the load bench 500 times a second): a page costs a binary search plus ``limit``
events, whatever the length of the job.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ftstudio.sandbox.errors import bad_request
from ftstudio.sandbox.pages import page
from ftstudio.sandbox.timeline import Clock

if TYPE_CHECKING:
    from ftstudio.sandbox.simulated import SimulatedTrainer as Jobs

# Sort key of an event: (wall time, 0 for planned / 1 for notes, index).
_Key = tuple[float, int, int]


def _event_id(job_id: str, kind: str, index: int) -> str:
    return f"ftevent-{job_id[6:]}-{kind}{index:06d}"


def _parse_event_id(job_id: str, event_id: str) -> tuple[int, int]:
    prefix = f"ftevent-{job_id[6:]}-"
    tail = event_id.removeprefix(prefix)
    if (
        tail == event_id
        or len(tail) < 2
        or tail[0] not in "pn"
        or not tail[1:].isdigit()
    ):
        raise bad_request(
            f"Invalid 'after': no event with id '{event_id}'.", param="after"
        )
    return (0 if tail[0] == "p" else 1), int(tail[1:])


def list_events(
    jobs: Jobs, job_id: str, after: str | None, limit: int
) -> dict[str, Any]:
    """Return one page of the job's events, newest first."""
    job = jobs.record(job_id)
    plan = jobs.plan(job)
    clock = Clock(job)
    now = time.time()
    visible = jobs.visible(job, now)
    notes = [(n.t, 1, i) for i, n in enumerate(job.notes) if n.t <= now]

    def planned_key(index: int) -> _Key:
        return (clock.wall_at(plan.offsets[index]), 0, index)

    hi = visible  # planned events [0, hi) are candidates
    if after:
        kind, index = _parse_event_id(job_id, after)
        if kind == 0:
            if index >= visible:
                raise bad_request(
                    f"Invalid 'after': no event with id '{after}'.", param="after"
                )
            cursor = planned_key(index)
        else:
            if index >= len(job.notes):
                raise bad_request(
                    f"Invalid 'after': no event with id '{after}'.", param="after"
                )
            cursor = (job.notes[index].t, 1, index)
        lo = 0
        while lo < hi:  # first planned event whose key is not below the cursor
            mid = (lo + hi) // 2
            if planned_key(mid) < cursor:
                lo = mid + 1
            else:
                hi = mid
        notes = [n for n in notes if n < cursor]
    notes.sort(reverse=True)
    out: list[dict[str, Any]] = []
    i, n = hi - 1, 0
    while len(out) <= limit and (i >= 0 or n < len(notes)):
        pk = planned_key(i) if i >= 0 else None
        if pk is not None and (n >= len(notes) or pk > notes[n]):
            ev = plan.events[i]
            out.append(
                {
                    "id": _event_id(job_id, "p", i),
                    "created_at": int(pk[0]),
                    "level": ev.level,
                    "message": ev.message,
                    "object": "fine_tuning.job.event",
                    "type": ev.type,
                    "data": ev.data or {},
                }
            )
            i -= 1
        else:
            t, _, index = notes[n]
            note = job.notes[index]
            out.append(
                {
                    "id": _event_id(job_id, "n", index),
                    "created_at": int(t),
                    "level": note.level,
                    "message": note.message,
                    "object": "fine_tuning.job.event",
                    "type": "message",
                    "data": {},
                }
            )
            n += 1
    return page(out[:limit], len(out) > limit)


def list_checkpoints(
    jobs: Jobs, job_id: str, after: str | None, limit: int
) -> dict[str, Any]:
    """Return one page of the job's checkpoints, newest first."""
    job = jobs.record(job_id)
    plan = jobs.plan(job)
    clock = Clock(job)
    reached = clock.active_at(clock.effective_now(time.time()))
    items: list[dict[str, Any]] = []
    if not job.failure:
        for step in reversed(plan.checkpoint_steps):
            if plan.step_offset(step) > reached:
                continue
            m = plan.curve[step - 1]
            items.append(
                {
                    "id": f"ftckpt_{job_id[6:]}{step}",
                    "object": "fine_tuning.job.checkpoint",
                    "created_at": int(clock.wall_at(plan.step_offset(step))),
                    "fine_tuned_model_checkpoint": jobs.checkpoint_name(job, step),
                    "fine_tuning_job_id": job_id,
                    "step_number": step,
                    "metrics": {
                        "step": step,
                        "train_loss": m.train_loss,
                        "train_mean_token_accuracy": m.train_accuracy,
                        "valid_loss": m.valid_loss,
                        "valid_mean_token_accuracy": m.valid_accuracy,
                        "full_valid_loss": m.full_valid_loss,
                        "full_valid_mean_token_accuracy": m.full_valid_accuracy,
                    },
                }
            )
    start = 0
    if after:
        ids = [c["id"] for c in items]
        if after not in ids:
            raise bad_request(
                f"Invalid 'after': no checkpoint with id '{after}'.", param="after"
            )
        start = ids.index(after) + 1
    return page(items[start : start + limit], start + limit < len(items))
