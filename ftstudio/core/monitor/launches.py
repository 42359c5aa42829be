"""What the studio knew about the jobs it launched, for a running cost estimate.

OpenAI reports a job's ``trained_tokens`` only when training ends, so while a
job runs its cost can only be estimated: the training file's billing tokens
(counted before the launch) × epochs × the share of steps done. This small
ledger keeps those billing tokens per job id in the user's data folder. Jobs
launched elsewhere are not in it; their cost appears when the service reports it.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from ftstudio.core.dataset.atomic import write_atomic
from ftstudio.core.errors import FtError
from ftstudio.core.paths import user_data_dir

log = logging.getLogger(__name__)

KEEP = 500
"""The newest launches kept; older entries are dropped when a new one is added."""

_lock = threading.Lock()


def ledger_path() -> Path:
    """Return the ledger's file (JSON: job id → billing tokens per epoch)."""
    return user_data_dir() / "launches.json"


def _read(path: Path) -> dict[str, int]:
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring an unreadable launch ledger %s: %s", path, exc)
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        str(k): v
        for k, v in data.items()
        if isinstance(v, int) and not isinstance(v, bool) and v >= 0
    }


def record_launch(job_id: str, billing_tokens: int) -> None:
    """Remember the billing tokens of the file ``job_id`` trains on.

    A failure to write is logged, never raised: the job runs regardless, and
    only the running estimate is lost.
    """
    path = ledger_path()
    with _lock:
        entries = _read(path)
        entries.pop(job_id, None)
        entries[job_id] = billing_tokens  # insertion order: newest last
        kept = dict(list(entries.items())[-KEEP:])
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps(kept, indent=0).encode())
        except (OSError, FtError) as exc:
            log.warning("could not record the launch of %s: %s", job_id, exc)


def launched_billing_tokens(job_id: str) -> int | None:
    """Return the billing tokens recorded for ``job_id``, or None if not launched here."""
    with _lock:
        return _read(ledger_path()).get(job_id)
