"""Create a fine-tuning job exactly once, even when an answer is lost on the way back.

Each launch is tagged with a unique id in the job's ``metadata``. Before any
retry, and after the last attempt failed in a way the service may still have
acted on, the service is asked for a job with that tag. When even that cannot
be answered, the launch is remembered per training file, and the next launch of
the same file first looks for the job the lost one may have started.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Generator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.retry import RetryNotice, with_retries
from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.dataset.atomic import write_atomic
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.paths import user_data_dir

if TYPE_CHECKING:
    import openai
    from openai.types.fine_tuning import FineTuningJob

log = logging.getLogger(__name__)

LAUNCH_TAG = "ftstudio_launch_id"
"""Metadata key that marks each launch, so a retry can find a job already created."""
MAY_HAVE_STARTED = (
    "The job may have started: check the jobs list before launching again."
)
_LOOKUP_ATTEMPTS = 3
_lock = threading.Lock()


def find_launched(client: openai.OpenAI, launch_id: str) -> FineTuningJob | None:
    """Return the job created by launch ``launch_id``, if the service has one."""
    page = client.fine_tuning.jobs.list(metadata={LAUNCH_TAG: launch_id}, limit=10)
    for job in page.data:
        if (job.metadata or {}).get(LAUNCH_TAG) == launch_id:
            return job
    return None


# launches whose outcome is unknown, per training file ---------------------------
def unsure_path() -> Path:
    """Return the file that remembers launches whose outcome could not be known."""
    return user_data_dir() / "unsure_launches.json"


def _read_unsure() -> dict[str, str]:
    try:
        data = json.loads(unsure_path().read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)}


def _set_unsure(source: str, launch_id: str | None) -> None:
    with _lock:
        entries = _read_unsure()
        if launch_id is None:
            if entries.pop(source, None) is None:
                return
        else:
            entries[source] = launch_id
        try:
            unsure_path().parent.mkdir(parents=True, exist_ok=True)
            write_atomic(unsure_path(), json.dumps(entries).encode("utf-8"))
        except (OSError, FtError) as exc:
            log.warning("could not remember the launch of %s: %s", source, exc)


def unsure_launch(source: str) -> str | None:
    """Return the tag of the last launch of ``source`` whose outcome is unknown."""
    with _lock:
        return _read_unsure().get(source)


def _look_up(
    client: openai.OpenAI, launch_id: str, cancel: CancelToken
) -> Generator[RetryNotice, None, FineTuningJob | None]:
    found: FineTuningJob | None = yield from with_retries(
        lambda: find_launched(client, launch_id),
        cancel,
        max_attempts=_LOOKUP_ATTEMPTS,
    )
    return found


def check_last_launch(
    client: openai.OpenAI, source: str, cancel: CancelToken = NEVER
) -> Generator[RetryNotice, None, None]:
    """Stop a launch of ``source`` if its last, unanswered launch did start a job.

    Raises
    ------
    FtError
        Kind ``"duplicate"`` naming the job when it exists (the next launch
        then goes ahead: the user has been told); the look-up's own error when
        the service cannot say.
    """
    launch_id = unsure_launch(source)
    if launch_id is None:
        return
    job = yield from _look_up(client, launch_id, cancel)
    _set_unsure(source, None)
    if job is not None:
        msg = (
            f"Your last launch of {Path(source).name} did start a job: {job.id} "
            f"({job.status}). ftstudio did not start another; launch again to "
            "start one more."
        )
        raise FtError(ErrorKind.DUPLICATE, msg)


def create_job_once(
    client: openai.OpenAI,
    params: Mapping[str, Any],
    cancel: CancelToken = NEVER,
    launch_id: str | None = None,
    source: str | None = None,
) -> Generator[RetryNotice, None, FineTuningJob]:
    """Create a job with ``params`` (``jobs.create`` keywords), retrying safely.

    ``source`` names the training file (its resolved path): a launch whose
    outcome cannot be known is remembered under it, and the next launch of
    the same file runs :func:`check_last_launch` first.

    Raises
    ------
    FtError
        When the job was not created, or, with :data:`MAY_HAVE_STARTED` in
        its message, when the service may have created it but cannot say.
    """
    if source is not None:
        yield from check_last_launch(client, source, cancel)
    launch_id = launch_id or uuid.uuid4().hex
    metadata = {**dict(params.get("metadata") or {}), LAUNCH_TAG: launch_id}
    kwargs = {**params, "metadata": metadata}

    def create() -> FineTuningJob:
        return client.fine_tuning.jobs.create(**kwargs)

    def already_created() -> FineTuningJob | None:
        return find_launched(client, launch_id)

    try:
        job: FineTuningJob = yield from with_retries(
            create, cancel, before_retry=already_created
        )
    except FtError as error:
        if not error.retryable:
            raise  # the service refused the request: no job was made
        # attempts ran out: the last one may have reached the service anyway
        try:
            found = yield from _look_up(client, launch_id, cancel)
        except FtError:
            if source is not None:
                _set_unsure(source, launch_id)
            raise FtError(
                error.kind, f"{error.message} {MAY_HAVE_STARTED}", error.detail
            ) from error
        if found is None:
            raise
        return found
    return job
