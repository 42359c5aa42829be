"""A local job's events and checkpoints as OpenAI pages, newest first.

Events are the service's own notes (kept in the job record) merged with what the
trainer process wrote to ``events.jsonl``, ordered by time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftstudio.sandbox.local.spec import JobFiles, read_lines
from ftstudio.sandbox.pages import cursor_page, dict_id

if TYPE_CHECKING:
    from ftstudio.sandbox.job import Job
    from ftstudio.sandbox.trainer import Trainer


def _same(item: dict[str, Any]) -> dict[str, Any]:
    return item


def all_events(job: Job, files: JobFiles) -> list[dict[str, Any]]:
    """Return every event of the job, oldest first, with stable ids."""
    short = job.id[6:]
    items: list[tuple[Any, ...]] = [
        (n.t, 0, i, n.level, n.message, "message", {}) for i, n in enumerate(job.notes)
    ]
    items += [
        (
            e["t"],
            1,
            i,
            e["level"],
            e["message"],
            e.get("type", "message"),
            e.get("data") or {},
        )
        for i, e in enumerate(read_lines(files.events))
    ]
    items.sort(key=lambda x: (x[0], x[1], x[2]))
    return [
        {
            "id": f"ftevent-{short}-{'nw'[src]}{i:06d}",
            "created_at": int(t),
            "level": level,
            "message": message,
            "object": "fine_tuning.job.event",
            "type": kind,
            "data": data,
        }
        for t, src, i, level, message, kind, data in items
    ]


def events_page(
    job: Job, files: JobFiles, after: str | None, limit: int
) -> dict[str, Any]:
    """Return one page of events, newest first, after the event ``after``."""
    events = all_events(job, files)
    events.reverse()
    return cursor_page(events, after, limit, _same, "event", id_of=dict_id)


def checkpoints(trainer: Trainer, job: Job, files: JobFiles) -> list[dict[str, Any]]:
    """Return the job's epoch-end checkpoints that still exist, newest first."""
    out = []
    for line in read_lines(files.checkpoints):
        step = int(line["step"])
        if not checkpoint_dir(files, step).is_dir():
            continue
        metrics = {
            k: line["metrics"].get(k)
            for k in (
                "step",
                "train_loss",
                "train_mean_token_accuracy",
                "valid_loss",
                "valid_mean_token_accuracy",
                "full_valid_loss",
                "full_valid_mean_token_accuracy",
            )
        }
        out.append(
            {
                "id": f"ftckpt_{job.id[6:]}_{step}",
                "object": "fine_tuning.job.checkpoint",
                "created_at": int(line["t"]),
                "fine_tuned_model_checkpoint": trainer.checkpoint_name(job, step),
                "fine_tuning_job_id": job.id,
                "step_number": step,
                "metrics": metrics,
            }
        )
    out.reverse()
    return out


def checkpoint_dir(files: JobFiles, step: int) -> Path:
    """Return where ``transformers`` saved the checkpoint of ``step``."""
    return files.run_dir / f"checkpoint-{step}"


def checkpoints_page(
    trainer: Trainer,
    job: Job,
    files: JobFiles,
    after: str | None,
    limit: int,
) -> dict[str, Any]:
    """Return one page of checkpoints, newest first."""
    items = checkpoints(trainer, job, files)
    return cursor_page(items, after, limit, _same, "checkpoint", id_of=dict_id)
