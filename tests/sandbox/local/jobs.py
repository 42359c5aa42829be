"""Helpers that drive local jobs through the SDK and wait for them."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

TERMINAL = {"succeeded", "failed", "cancelled"}


def create(
    client: Any,
    path: Path,
    *,
    method: str = "supervised",
    validation: Path | None = None,
    **hyper: Any,
) -> Any:
    """Upload ``path`` and create a job on ``tiny-llama`` with ``hyper``."""
    with path.open("rb") as fh:
        training = client.files.create(file=fh, purpose="fine-tune")
    extra = {}
    if validation is not None:
        with validation.open("rb") as fh:
            extra["validation_file"] = client.files.create(
                file=fh, purpose="fine-tune"
            ).id
    return client.fine_tuning.jobs.create(
        model="tiny-llama",
        training_file=training.id,
        suffix="t",
        seed=7,
        method={"type": method, method: {"hyperparameters": hyper}},
        **extra,
    )


def wait(
    client: Any, job_id: str, until: set[str] = TERMINAL, timeout: float = 240
) -> Any:
    """Poll the job until its status is in ``until``."""
    deadline = time.monotonic() + timeout
    while True:
        job = client.fine_tuning.jobs.retrieve(job_id)
        if job.status in until:
            return job
        assert time.monotonic() < deadline, f"job still {job.status}"
        time.sleep(0.2)


def metrics(client: Any, job_id: str) -> list[dict[str, Any]]:
    """Return the job's metrics event data, oldest first."""
    events = list(client.fine_tuning.jobs.list_events(job_id, limit=100))
    return [e.data for e in reversed(events) if e.type == "metrics"]


def wait_for_metrics(
    client: Any, job_id: str, count: int = 1, timeout: float = 120
) -> list[dict[str, Any]]:
    """Wait until the job has written ``count`` metrics events."""
    deadline = time.monotonic() + timeout
    while len(found := metrics(client, job_id)) < count:
        assert time.monotonic() < deadline, "no training step was reported"
        time.sleep(0.2)
    return found


def ask(client: Any, model: str, question: str) -> str:
    """Return the model's greedy answer to ``question``."""
    reply = client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": question}],
        temperature=0,
        max_tokens=16,
    )
    return str(reply.choices[0].message.content)
