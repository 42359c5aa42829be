"""Small helpers shared by the sandbox tests."""

from __future__ import annotations

import time
from typing import Any

TERMINAL = {"succeeded", "failed", "cancelled"}


def wait_for(client: Any, job_id: str, statuses: set[str], timeout: float = 15) -> Any:
    """Poll the job until its status is one of ``statuses``; fail on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        job = client.fine_tuning.jobs.retrieve(job_id)
        if job.status in statuses:
            return job
        if time.monotonic() > deadline:
            msg = f"job {job_id} still {job.status} after {timeout} s"
            raise AssertionError(msg)
        time.sleep(0.05)
