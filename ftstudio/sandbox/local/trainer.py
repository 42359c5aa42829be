"""The local trainer: jobs train for real, one at a time, each run in its own process.

The service (this class, in the HTTP server's process) checks and queues jobs; a
supervisor thread starts ``python -m ftstudio.sandbox.local.worker`` for the
next queued job and reads what it leaves in the job's folder. Cancel ends the
process; pause asks it to save a checkpoint and stop; resume starts a new
process from that checkpoint. Jobs whose process was running when the service
stopped continue from their last checkpoint when it starts again.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ftstudio.core.hyperparams import LOCAL_PARAMS
from ftstudio.sandbox.errors import bad_request
from ftstudio.sandbox.job import TERMINAL, Job, JobError, JobStatus, LocalRun, Progress
from ftstudio.sandbox.jobparams import model_unavailable
from ftstudio.sandbox.local import pages
from ftstudio.sandbox.local.catalog import Catalog
from ftstudio.sandbox.local.launch import start_process, write_spec
from ftstudio.sandbox.local.spec import JobFiles
from ftstudio.sandbox.local.supervise import crash_reason, stop_child, stop_process
from ftstudio.sandbox.trainer import Trainer

if TYPE_CHECKING:
    from ftstudio.sandbox.chat import ChatRequest, Reply
    from ftstudio.sandbox.local.chat import ChatEngine
    from ftstudio.sandbox.local.device import Device
    from ftstudio.sandbox.state import State
    from ftstudio.sandbox.training import TrainingFile

log = logging.getLogger(__name__)
BASE_LR_LORA, BASE_LR_FULL = 1e-4, 1e-5


def run_of(job: Job) -> LocalRun:
    """Return the local run state of a job this trainer created."""
    if job.local is None:
        raise ValueError(f"{job.id} is not a local job")
    return job.local


class LocalTrainer(Trainer):
    """Real fine-tuning with TRL and PEFT on this computer's GPU (or CPU)."""

    owner_word = "local"
    extra_params = LOCAL_PARAMS

    def __init__(
        self,
        state: State,
        *,
        models_dir: Path | None,
        device: str = "auto",
        hf_cache: Path | None = None,
        poll_seconds: float = 0.2,
    ) -> None:
        super().__init__(state)
        self.catalog = Catalog(models_dir, hf_cache, device)
        self.poll_seconds = poll_seconds
        self.root = state.data_dir / "local-jobs"
        self.root.mkdir(parents=True, exist_ok=True)
        self._process: subprocess.Popen[bytes] | None = None
        self._running: str | None = None
        self._wake = threading.Event()
        self._closing = threading.Event()
        self._engine: ChatEngine | None = None
        self._recover()
        self._thread = threading.Thread(
            target=self._supervise, name="ftstudio-local-trainer", daemon=True
        )
        self._thread.start()

    # --- helpers ----------------------------------------------------------------
    @property
    def device(self) -> Device:
        """Return the device jobs train on (raises ValueError in plain words)."""
        return self.catalog.device

    def files(self, job: Job) -> JobFiles:
        """Return the paths of ``job``'s folder."""
        return JobFiles(self.root / job.id)

    def base_models(self) -> list[dict[str, Any]]:
        return self.catalog.model_objects()

    def _set(
        self,
        job: Job,
        status: JobStatus,
        message: str | None = None,
        level: str = "info",
    ) -> None:
        with self.state.lock:
            run = run_of(job)
            run.status = status
            if status in TERMINAL:
                run.finished_at = time.time()
            if message:
                self.note(job, time.time(), message, level)
            self.state.save()

    def _recover(self) -> None:
        for job in self.state.jobs.values():
            local = job.local
            if local is None or local.status is not JobStatus.RUNNING:
                continue
            stop_process(local.pid, self.files(job).folder)
            local.status = JobStatus.QUEUED
            local.resume = True
            self.note(
                job,
                time.time(),
                "The service restarted while this job was training; it continues from its last checkpoint.",
            )
        self.state.save()

    # --- Trainer: creating ------------------------------------------------------------
    def check_model(self, model: str) -> None:
        if model.startswith("ft:"):
            raise bad_request(
                "The local trainer fine-tunes base models; continuing from a fine-tuned model is not supported yet.",
                param="model",
                code="model_not_available",
            )
        found = self.catalog.model(model)
        if found is None:
            raise model_unavailable(model)
        fits, reason = self.catalog.fits(found, lora=True)
        if not fits:
            raise bad_request(reason, param="model", code="model_too_large")

    def prepare(self, job: Job) -> None:
        hyper = job.hyperparameters
        if hyper.get("lora") == "auto":
            hyper["lora"] = True
        if hyper.get("lora_r") == "auto":
            hyper["lora_r"] = 16
        if hyper.get("lora_alpha") == "auto":
            hyper["lora_alpha"] = 2 * int(hyper["lora_r"])
        if hyper.get("learning_rate") == "auto":
            base = BASE_LR_LORA if hyper["lora"] else BASE_LR_FULL
            hyper["learning_rate"] = base * float(hyper["learning_rate_multiplier"])
        if not hyper["lora"]:
            model = self.catalog.model(job.model)
            fits, reason = self.catalog.fits(model, lora=False) if model else (True, "")
            if not fits:
                raise bad_request(reason, param="model", code="model_too_large")
        job.local = LocalRun(JobStatus.FAILED if job.failure else JobStatus.QUEUED)

    def start(self, job: Job, data: TrainingFile) -> None:
        now = time.time()
        files = f"training file: {job.training_file}"
        if job.validation_file:
            files += f" and validation file: {job.validation_file}"
        self.note(job, now, f"Created fine-tuning job: {job.id}")
        self.note(job, now, f"Validating {files}")
        if job.failure:
            self._set(job, JobStatus.FAILED, job.failure.message, "error")
            return
        self._set(job, JobStatus.QUEUED, "Files validated, moving job to queued state")
        self._wake.set()

    # --- the supervisor thread -------------------------------------------------------------
    def _supervise(self) -> None:
        while not self._closing.is_set():
            try:
                self._tick()
            except Exception:  # keep supervising; the log says what broke
                log.exception("local trainer supervisor")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def _tick(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                return
            self._finish()
        queued = sorted(
            (
                j
                for j in list(self.state.jobs.values())
                if j.local is not None and j.local.status is JobStatus.QUEUED
            ),
            key=lambda j: j.created_at_f,
        )
        if queued:
            self._launch(queued[0])

    def _launch(self, job: Job) -> None:
        files = self.files(job)
        files.folder.mkdir(parents=True, exist_ok=True)
        files.pause.unlink(missing_ok=True)
        files.outcome.unlink(missing_ok=True)
        model = self.catalog.model(job.model)
        if model is None:
            self._fail(
                job, f"The base model {job.model} is no longer in the models folder."
            )
            return
        validation = job.validation_file
        write_spec(
            job,
            files,
            model_path=model.path,
            training_file=self.state.training_copy(job.id),
            validation_file=self.state.blob(validation) if validation else None,
            device=self.device.kind,
        )
        self._process = start_process(files)
        self._running = job.id
        with self.state.lock:
            run = run_of(job)
            run.pid = self._process.pid
            run.runs += 1
            run.resume = False
            # cancelled (or paused) by a request while the run was starting
            started = run.status is JobStatus.QUEUED
            if started:
                self._set(job, JobStatus.RUNNING)
        if not started:
            stop_child(self._process)

    def _fail(self, job: Job, reason: str) -> None:
        run_of(job).error = JobError("training_failed", reason, None)
        self._set(job, JobStatus.FAILED, reason, "error")

    def _finish(self) -> None:
        job = self.state.jobs[self._running] if self._running else None
        returncode = self._process.returncode if self._process else None
        self._process, self._running = None, None
        if job is None:
            return
        files = self.files(job)
        status = run_of(job).status
        if status is JobStatus.CANCELLED:
            return
        try:
            outcome = orjson.loads(files.outcome.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            self._fail(job, crash_reason(files.log, returncode))
            return
        if outcome["status"] == "failed":
            self._fail(job, outcome["reason"])
        elif outcome["status"] == "paused":
            if status is JobStatus.QUEUED:  # resumed while saving its checkpoint
                run_of(job).resume = True
                self._set(job, JobStatus.QUEUED)
            else:
                self._set(job, JobStatus.PAUSED, "Fine-tuning job paused")
        else:
            self._succeed(job, outcome, files)

    def _succeed(self, job: Job, outcome: dict[str, Any], files: JobFiles) -> None:
        self.state.add_file(
            files.results.read_bytes(),
            "step_metrics.csv",
            "fine-tune-results",
            file_id=job.result_file_id,
            save=False,
        )
        run = run_of(job)
        run.trained_tokens = int(outcome.get("trained_tokens") or 0)
        run.tokens_per_second = outcome.get("tokens_per_second")
        self.note(
            job, time.time(), f"New fine-tuned model created: {self.model_name(job)}"
        )
        self._set(job, JobStatus.SUCCEEDED, "The job has successfully completed")

    def close(self) -> None:
        """Stop supervising and end a running trainer process (it resumes next start)."""
        self._closing.set()
        self._wake.set()
        self._thread.join(5)
        if self._process is not None and self._process.poll() is None:
            stop_child(self._process)

    # --- Trainer: changing -------------------------------------------------------------------
    def _status(self, job_id: str) -> tuple[Job, JobStatus]:
        job = self.record(job_id)
        return job, run_of(job).status

    def cancel(self, job_id: str) -> dict[str, Any]:
        job, status = self._status(job_id)
        if status in TERMINAL:
            raise bad_request(
                f"Job has already completed: {job_id}", param="fine_tuning_job_id"
            )
        self._set(job, JobStatus.CANCELLED)
        process = self._process
        if self._running == job_id and process is not None:
            stop_child(process)
        # said once the trainer is gone: a step it logged meanwhile comes before
        self._note_now(job, "Fine-tuning job cancelled")
        self._wake.set()
        return self.to_json(job)

    def _note_now(self, job: Job, message: str) -> None:
        with self.state.lock:
            self.note(job, time.time(), message, "info")
            self.state.save()

    def pause(self, job_id: str) -> dict[str, Any]:
        job, status = self._status(job_id)
        if status is not JobStatus.RUNNING:
            raise bad_request(
                f"Only a running job can be paused; this one is {status}.",
                param="fine_tuning_job_id",
            )
        self.files(job).pause.touch()
        self._set(job, JobStatus.PAUSED)
        return self.to_json(job)

    def resume(self, job_id: str) -> dict[str, Any]:
        job, status = self._status(job_id)
        if status is not JobStatus.PAUSED:
            raise bad_request(
                f"Only a paused job can be resumed; this one is {status}.",
                param="fine_tuning_job_id",
            )
        run_of(job).resume = True
        self._set(job, JobStatus.QUEUED, "Fine-tuning job resumed")
        self._wake.set()
        return self.to_json(job)

    # --- Trainer: reading ----------------------------------------------------------------------
    def progress(self, job: Job, now: float) -> Progress:
        local = run_of(job)
        status = local.status
        done = status is JobStatus.SUCCEEDED
        error = job.failure or local.error
        finished = local.finished_at
        return Progress(
            status=status,
            error=error if status is JobStatus.FAILED else None,
            fine_tuned_model=self.model_name(job) if done else None,
            finished_at=int(finished) if finished and status in TERMINAL else None,
            result_files=[job.result_file_id] if done else [],
            trained_tokens=local.trained_tokens if done else None,
        )

    def events_page(self, job_id: str, after: str | None, limit: int) -> dict[str, Any]:
        job = self.record(job_id)
        return pages.events_page(job, self.files(job), after, limit)

    def checkpoints_page(
        self, job_id: str, after: str | None, limit: int
    ) -> dict[str, Any]:
        job = self.record(job_id)
        return pages.checkpoints_page(self, job, self.files(job), after, limit)

    # --- models and chat -----------------------------------------------------------------------
    def _usable(self, job: Job) -> bool:
        return (
            job.local is not None
            and job.local.status is JobStatus.SUCCEEDED
            and self.model_name(job) not in self.state.deleted_models
        )

    def tuned_models(self) -> list[dict[str, Any]]:
        return [
            {
                "id": self.model_name(j),
                "object": "model",
                "created": int(run_of(j).finished_at or 0),
                "owned_by": "user",
            }
            for j in self.state.jobs.values()
            if self._usable(j)
        ]

    def find_model(self, name: str) -> tuple[Job, int | None] | None:
        if not name.startswith("ft:") or name in self.state.deleted_models:
            return None
        for job in self.state.jobs.values():
            if job.local is None or not name.startswith(self.model_name(job)):
                continue
            if name == self.model_name(job):
                return (job, None) if self._usable(job) else None
            for ckpt in pages.checkpoints(self, job, self.files(job)):
                if ckpt["fine_tuned_model_checkpoint"] == name:
                    return job, int(ckpt["step_number"])
        return None

    def reply(self, req: ChatRequest) -> Reply:
        from ftstudio.sandbox.local.chat import ChatEngine, reply_of

        if self._engine is None:
            self._engine = ChatEngine(self.device.kind)
        return reply_of(self, self._engine, req)

    def delete_model(self, model_id: str) -> None:
        super().delete_model(model_id)
        found = [
            j
            for j in self.state.jobs.values()
            if j.local is not None and self.model_name(j) == model_id
        ]
        for job in found:  # the weights are the user's disk space
            shutil.rmtree(self.files(job).model_dir, ignore_errors=True)
