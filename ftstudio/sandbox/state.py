"""The sandbox's persistent state: files, uploads, jobs and deleted models.

Everything lives in one JSON document (``state.json``, written atomically after
every change) plus one blob per file under ``files/``, so a restart keeps it all.
Job progress is not stored: it is computed from the job's timestamps.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import string
import threading
import time
from pathlib import Path
from typing import Any

from ftstudio.sandbox.job import Job
from ftstudio.sandbox.jsonio import read_json, write_json_atomic

log = logging.getLogger(__name__)

_ALPHABET = string.ascii_letters + string.digits
SCHEMA = 1


def new_id(prefix: str, length: int = 24) -> str:
    """Return an OpenAI-looking id such as ``file-AbC…``."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


class State:
    """Files, uploads, jobs and deleted models, persisted in ``data_dir``.

    All access goes through one lock: handlers run on the server's event loop,
    but slow work (validation, writing blobs) runs in worker threads.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.blob_dir = data_dir / "files"
        self.parts_dir = data_dir / "upload-parts"
        self.blob_dir.mkdir(parents=True, exist_ok=True)
        self.parts_dir.mkdir(parents=True, exist_ok=True)
        self.lock = threading.RLock()
        self.files: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, dict[str, Any]] = {}
        self.jobs: dict[str, Job] = {}
        # job records this version cannot read: written back untouched
        self._unreadable_jobs: dict[str, Any] = {}
        self.deleted_models: set[str] = set()
        self._load()

    @property
    def path(self) -> Path:
        """Return where the state document lives."""
        return self.data_dir / "state.json"

    def _load(self) -> None:
        if not self.path.is_file():
            return
        try:
            doc = read_json(self.path)
        except (OSError, ValueError) as exc:
            # Keep the damaged file for inspection and start empty rather than
            # refusing to start: the sandbox is a practice tool.
            backup = self.path.with_name(f"state.damaged-{int(time.time())}.json")
            self.path.replace(backup)
            log.warning("sandbox state was unreadable (%s); kept it as %s", exc, backup)
            return
        self.files = dict(doc.get("files", {}))
        self.uploads = dict(doc.get("uploads", {}))
        for job_id, raw in dict(doc.get("jobs", {})).items():
            try:
                self.jobs[job_id] = Job.from_record(raw)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                log.warning(
                    "sandbox job %s is unreadable (%r); it is left out", job_id, exc
                )
                self._unreadable_jobs[job_id] = raw
        self.deleted_models = set(doc.get("deleted_models", []))

    def save(self) -> None:
        """Write the state document atomically (call after every change)."""
        with self.lock:
            doc = {
                "schema": SCHEMA,
                "files": self.files,
                "uploads": self.uploads,
                "jobs": {
                    **self._unreadable_jobs,
                    **{k: job.to_record() for k, job in self.jobs.items()},
                },
                "deleted_models": sorted(self.deleted_models),
            }
            write_json_atomic(self.path, doc)

    def blob(self, file_id: str) -> Path:
        """Return the path of a file's content."""
        return self.blob_dir / file_id

    def training_copy(self, job_id: str) -> Path:
        """Return where a job keeps its own copy of its training data."""
        return self.data_dir / "trained-on" / job_id

    def keep_training_copy(self, job_id: str, file_id: str) -> None:
        """Keep the job's training data even if the user deletes the file.

        A fine-tuned model answers from it; OpenAI's models, likewise, do not
        forget when their training file is deleted. A hard link costs no space.
        """
        target = self.training_copy(job_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            target.hardlink_to(self.blob(file_id))
        except OSError:
            shutil.copyfile(self.blob(file_id), target)

    def add_file(
        self,
        content: bytes | Path,
        filename: str,
        purpose: str,
        *,
        file_id: str | None = None,
        save: bool = True,
    ) -> dict[str, Any]:
        """Store a new file (bytes, or a finished temporary file to move in)."""
        file_id = file_id or new_id("file-")
        target = self.blob(file_id)
        if isinstance(content, Path):
            content.replace(target)
        else:
            target.write_bytes(content)
        record = {
            "id": file_id,
            "object": "file",
            "bytes": target.stat().st_size,
            "created_at": int(time.time()),
            "filename": filename,
            "purpose": purpose,
            "status": "processed",
            "expires_at": None,
            "status_details": None,
        }
        with self.lock:
            self.files[file_id] = record
            if save:
                self.save()
        return record
