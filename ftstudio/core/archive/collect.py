"""Archive every job of the account into a folder; a second run adds only what is new."""

from __future__ import annotations

import json
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.jobs import new_events
from ftstudio.core.api.results import decode_result_file
from ftstudio.core.api.retry import RetryNotice, with_retries
from ftstudio.core.archive.inventory import ModelEntry, fetch_inventory
from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.dataset.atomic import write_atomic
from ftstudio.core.errors import FtError
from ftstudio.core.progress import Progress

if TYPE_CHECKING:
    import openai


@dataclass
class ArchiveSummary:
    """What one run added, and what could not be kept (with why)."""

    folder: Path
    jobs: int = 0
    new_jobs: int = 0
    new_events: int = 0
    new_files: int = 0
    models: list[ModelEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def words(self) -> str:
        """Return one plain sentence for the user."""
        added = (
            f"added {self.new_jobs} new job(s), {self.new_events} event(s) and "
            f"{self.new_files} file(s)"
            if self.new_jobs or self.new_events or self.new_files
            else "nothing was new"
        )
        return f"Archived {self.jobs} job(s) and {len(self.models)} fine-tuned model(s) in {self.folder}: {added}."


def _dump(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True


def _last_event_id(path: Path) -> str | None:
    try:
        lines = path.read_bytes().splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        if line.strip():
            return str(json.loads(line)["id"])
    return None


def _append_events(
    client: openai.OpenAI, job_id: str, folder: Path, cancel: CancelToken
) -> Generator[RetryNotice, None, int]:
    path = folder / "events.jsonl"
    events = yield from new_events(client, job_id, _last_event_id(path), cancel)
    if events:
        old = path.read_bytes() if path.is_file() else b""
        lines = b"".join(e.model_dump_json().encode() + b"\n" for e in events)
        write_atomic(path, old + lines)
    return len(events)


def _checkpoints(client: openai.OpenAI, job_id: str) -> list[dict[str, Any]]:
    return [
        c.model_dump(mode="json")
        for c in client.fine_tuning.jobs.checkpoints.list(job_id, limit=100)
    ]


def _keep_file(
    client: openai.OpenAI,
    file_id: str,
    target: Path,
    cancel: CancelToken,
    problems: list[str],
) -> Generator[RetryNotice, None, int]:
    """Download an uploaded file byte for byte unless it is already archived whole."""
    try:
        meta = yield from with_retries(lambda: client.files.retrieve(file_id), cancel)
        if target.is_file() and target.stat().st_size == meta.bytes:
            return 0
        data = yield from with_retries(
            lambda: client.files.content(file_id).read(), cancel
        )
    except FtError as error:
        problems.append(
            f"{target.parent.name}/{target.name} ({file_id}) could not be downloaded: "
            f"{error.message} Keep your own copy of the file you uploaded."
        )
        return 0
    write_atomic(target, data)
    return 1


def _archive_job(
    client: openai.OpenAI,
    job: Any,
    out: Path,
    cancel: CancelToken,
    summary: ArchiveSummary,
) -> Generator[RetryNotice, None, None]:
    folder = out / job.id
    summary.new_jobs += not folder.is_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _write_if_changed(folder / "job.json", _dump(job.model_dump(mode="json")))
    summary.new_events += yield from _append_events(client, job.id, folder, cancel)
    checkpoints = yield from with_retries(lambda: _checkpoints(client, job.id), cancel)
    _write_if_changed(folder / "checkpoints.json", _dump(checkpoints))
    for file_id, name in (
        (job.training_file, "training.jsonl"),
        (job.validation_file, "validation.jsonl"),
    ):
        if file_id:
            summary.new_files += yield from _keep_file(
                client, file_id, folder / name, cancel, summary.problems
            )
    results = folder / "results.csv"
    if job.result_files and not results.is_file():
        result_id = job.result_files[0]
        try:
            raw = yield from with_retries(
                lambda: client.files.content(result_id).read(), cancel
            )
        except FtError as error:
            summary.problems.append(f"{job.id}/results.csv: {error.message}")
        else:
            write_atomic(results, decode_result_file(raw))
            summary.new_files += 1


def archive_account(
    client: openai.OpenAI,
    out: Path,
    provider: str = "openai",
    cancel: CancelToken = NEVER,
) -> Generator[Progress | RetryNotice, None, ArchiveSummary]:
    """Archive the account's jobs, files, events and models into ``out``.

    Each job gets a folder named by its id with ``job.json``, ``events.jsonl``
    (every event, oldest first), ``checkpoints.json``, ``results.csv`` (decoded)
    and the training and validation files as uploaded. ``models.json`` holds the
    inventory and ``index.html`` shows it all with the loss curves. Events and
    files already archived are not fetched again.

    Raises
    ------
    FtError
        When the service cannot be reached or the folder cannot be written.
    """
    from ftstudio.core.archive.page import write_index

    out.mkdir(parents=True, exist_ok=True)
    yield Progress(0, None, "Listing models and jobs…")
    models, jobs = yield from fetch_inventory(client, provider, cancel)
    summary = ArchiveSummary(out, jobs=len(jobs), models=models)
    for done, job in enumerate(jobs):
        cancel.check()
        yield Progress(done, len(jobs), f"Archiving {job.id}")
        yield from _archive_job(client, job, out, cancel, summary)
    _write_if_changed(out / "models.json", _dump([m.as_dict() for m in models]))
    write_index(out, models, provider)
    yield Progress(len(jobs), len(jobs), "Archive complete")
    return summary
