"""Fine-tuning jobs: create, read, list, cancel, pause, resume, events, checkpoints."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from ftstudio.core.models import default_table
from ftstudio.sandbox.curves import results_csv
from ftstudio.sandbox.errors import bad_request, not_found
from ftstudio.sandbox.jobparams import model_unavailable, parse_job_request, resolve
from ftstudio.sandbox.pages import cursor_page
from ftstudio.sandbox.state import new_id
from ftstudio.sandbox.timeline import (
    RUN_END,
    TERMINAL,
    VALIDATE_S,
    Clock,
    Plan,
    checkpoint_name,
    model_name,
    status_at,
    visible_count,
)
from ftstudio.sandbox.training import check_training_file

if TYPE_CHECKING:
    from ftstudio.sandbox.state import State
    from ftstudio.sandbox.training import TrainingFile

ORG = "org-sandbox"
# Every step is an event held in memory; past this a plan would cost seconds
# and hundreds of MB, which a practice service should not spend.
MAX_STEPS = 50_000
_FORMAT_FOR_METHOD = {"supervised": ("chat", "completion"), "dpo": ("preference",)}


def _failure(kind: str, problems: list[str]) -> dict[str, Any]:
    which = "training" if kind == "training_file" else "validation"
    more = f" ({len(problems)} problems in all.)" if len(problems) > 1 else ""
    return {
        "code": f"invalid_{kind}",
        "message": f"The job failed due to an invalid {which} file. {problems[0]}{more}",
        "param": kind,
    }


class Jobs:
    """The fine-tuning jobs of one sandbox (persisted through :class:`State`)."""

    def __init__(self, state: State, speed: float) -> None:
        self.state = state
        self.speed = speed
        self._plans: dict[str, Plan] = {}
        self._plan_lock = threading.Lock()
        self.training_cache: dict[str, TrainingFile] = {}

    # --- reading ---------------------------------------------------------
    def record(self, job_id: str) -> dict[str, Any]:
        """Return the stored job or raise a 404."""
        job = self.state.jobs.get(job_id)
        if job is None:
            raise not_found("fine-tuning job", job_id, param="fine_tuning_job_id")
        return job

    def plan(self, job: dict[str, Any]) -> Plan:
        """Return the job's (cached) plan."""
        with self._plan_lock:
            plan = self._plans.get(job["id"])
            if plan is None:
                plan = self._plans[job["id"]] = Plan(job)
            return plan

    def to_json(self, job: dict[str, Any], now: float | None = None) -> dict[str, Any]:
        """Return the ``fine_tuning.job`` object as it is at ``now``."""
        now = time.time() if now is None else now
        clock = Clock(job)
        status = status_at(job, clock, now)
        finished_at: int | None = None
        if status == "succeeded":
            finished_at = int(clock.wall_at(RUN_END))
        elif status == "failed":
            finished_at = int(clock.wall_at(VALIDATE_S))
        elif status == "cancelled":
            finished_at = int(clock.cancelled_at or now)
        estimated = None
        if status in ("validating_files", "queued", "running") and not job.get(
            "failure"
        ):
            estimated = int(clock.wall_at(RUN_END))
        method = job["method"]
        return {
            "id": job["id"],
            "object": "fine_tuning.job",
            "created_at": int(job["created_at_f"]),
            "error": job["failure"] if status == "failed" else None,
            "fine_tuned_model": model_name(job) if status == "succeeded" else None,
            "finished_at": finished_at,
            "hyperparameters": {
                k: job["hyperparameters"][k]
                for k in ("batch_size", "learning_rate_multiplier", "n_epochs")
            },
            "model": job["model"],
            "organization_id": ORG,
            "result_files": [job["result_file_id"]] if status == "succeeded" else [],
            "seed": job["seed"],
            "status": status,
            "trained_tokens": job["billing_tokens"] * job["epochs"]
            if status == "succeeded"
            else None,
            "training_file": job["training_file"],
            "validation_file": job.get("validation_file"),
            "estimated_finish": estimated,
            "integrations": [],
            "metadata": job.get("metadata"),
            "method": {
                "type": method,
                method: {"hyperparameters": job["hyperparameters"]},
            },
            "user_provided_suffix": job.get("suffix"),
        }

    def list_page(
        self, after: str | None, limit: int, metadata: dict[str, str]
    ) -> dict[str, Any]:
        """Return one page of jobs, newest first, filtered by metadata."""
        jobs = sorted(
            self.state.jobs.values(), key=lambda j: j["created_at_f"], reverse=True
        )
        if metadata:
            jobs = [
                j
                for j in jobs
                if all(
                    (j.get("metadata") or {}).get(k) == v for k, v in metadata.items()
                )
            ]
        now = time.time()
        return cursor_page(jobs, after, limit, lambda j: self.to_json(j, now), "job")

    # --- creating --------------------------------------------------------
    def _check_file(self, file_id: str, param: str) -> dict[str, Any]:
        record = self.state.files.get(file_id)
        if record is None or record["purpose"] != "fine-tune":
            raise bad_request(f"invalid {param}: {file_id}", param=param)
        return record

    def _check_model(self, model: str) -> None:
        if model.startswith("ft:"):
            if self.find_model(model) is None:
                raise model_unavailable(model)
        elif not default_table().lookup(model).known:
            raise model_unavailable(model)

    def create(self, body: Any) -> dict[str, Any]:
        """Create a job from a request body (validates files: call off the loop)."""
        req = parse_job_request(body)
        self._check_model(req.model)
        self._check_file(req.training_file, "training_file")
        if req.validation_file:
            self._check_file(req.validation_file, "validation_file")
        data, problems = check_training_file(
            self.state.blob(req.training_file), req.model
        )
        failure = _failure("training_file", problems) if problems else None
        allowed = _FORMAT_FOR_METHOD[req.method]
        if failure is None and data.format.value not in allowed:
            failure = _failure(
                "training_file",
                [
                    f"The examples are in the {data.format.value} format, but the {req.method} method needs {' or '.join(allowed)} examples."
                ],
            )
        if failure is None and req.validation_file:
            _, vproblems = check_training_file(
                self.state.blob(req.validation_file), req.model
            )
            if vproblems:
                failure = _failure("validation_file", vproblems)
        hyper = resolve(req, data.examples)
        steps_per_epoch = -(-max(1, data.examples) // int(hyper["batch_size"]))
        if steps_per_epoch * int(hyper["n_epochs"]) > MAX_STEPS:
            raise bad_request(
                f"The sandbox simulates at most {MAX_STEPS:,} training steps "
                f"(examples ÷ batch size × epochs); raise batch_size or lower n_epochs.",
                param=f"method.{req.method}.hyperparameters.n_epochs",
            )
        job_id = new_id("ftjob-")
        job: dict[str, Any] = {
            "id": job_id,
            "created_at_f": time.time(),
            "speed": self.speed,
            "model": req.model,
            "training_file": req.training_file,
            "validation_file": req.validation_file,
            "method": req.method,
            "hyperparameters": hyper,
            "learning_rate_multiplier": hyper["learning_rate_multiplier"],
            "epochs": hyper["n_epochs"],
            "steps_per_epoch": steps_per_epoch,
            "examples": data.examples,
            "billing_tokens": data.billing_tokens,
            "suffix": req.suffix,
            "seed": req.seed,
            "metadata": req.metadata,
            "failure": failure,
            "pauses": [],
            "cancelled_at": None,
            "notes": [],
            "result_file_id": new_id("file-"),
            "finalized": False,
        }
        if failure is None:
            self.state.keep_training_copy(job_id, req.training_file)
        self.plan(job)  # built here, in a worker thread, not on the first poll
        with self.state.lock:
            self.state.jobs[job_id] = job
            self.training_cache[job_id] = data
            self.state.save()
        return self.to_json(job)

    # --- changing --------------------------------------------------------
    def _note(self, job: dict[str, Any], now: float, message: str) -> None:
        job["notes"].append({"t": now, "level": "info", "message": message})

    def cancel(self, job_id: str) -> dict[str, Any]:
        """Cancel a job that has not finished."""
        with self.state.lock:
            job = self.record(job_id)
            now = time.time()
            status = status_at(job, Clock(job), now)
            if status in TERMINAL:
                raise bad_request(
                    f"Job has already completed: {job_id}", param="fine_tuning_job_id"
                )
            if job["pauses"] and job["pauses"][-1][1] is None:
                job["pauses"][-1][1] = now
            job["cancelled_at"] = now
            self._note(job, now, "Fine-tuning job cancelled")
            self.state.save()
            return self.to_json(job, now)

    def pause(self, job_id: str) -> dict[str, Any]:
        """Pause a running job (its progress stops until resumed)."""
        with self.state.lock:
            job = self.record(job_id)
            now = time.time()
            status = status_at(job, Clock(job), now)
            if status != "running":
                raise bad_request(
                    f"Only a running job can be paused; this one is {status}.",
                    param="fine_tuning_job_id",
                )
            job["pauses"].append([now, None])
            self._note(job, now, "Fine-tuning job paused")
            self.state.save()
            return self.to_json(job, now)

    def resume(self, job_id: str) -> dict[str, Any]:
        """Resume a paused job where it stopped."""
        with self.state.lock:
            job = self.record(job_id)
            now = time.time()
            status = status_at(job, Clock(job), now)
            if status != "paused":
                raise bad_request(
                    f"Only a paused job can be resumed; this one is {status}.",
                    param="fine_tuning_job_id",
                )
            job["pauses"][-1][1] = now
            self._note(job, now, "Fine-tuning job resumed")
            self.state.save()
            return self.to_json(job, now)

    def refresh(self) -> None:
        """Store the results of jobs that have succeeded since the last look."""
        now = time.time()
        done = []
        for job in list(self.state.jobs.values()):
            if job["finalized"]:
                continue
            status = status_at(job, Clock(job), now)
            if status == "succeeded":
                csv = results_csv(self.plan(job).curve)
                self.state.add_file(
                    csv,
                    "step_metrics.csv",
                    "fine-tune-results",
                    file_id=job["result_file_id"],
                    save=False,
                )
                done.append(job)
            elif status in TERMINAL:
                done.append(job)
        if done:
            with self.state.lock:
                for job in done:
                    job["finalized"] = True
                self.state.save()

    # --- models ------------------------------------------------------------
    def find_model(self, name: str) -> tuple[dict[str, Any], int | None] | None:
        """Return ``(job, checkpoint step or None)`` for a usable fine-tuned model."""
        if not name.startswith("ft:") or name in self.state.deleted_models:
            return None
        now = time.time()
        for job in self.state.jobs.values():
            base = model_name(job)
            if not name.startswith(base):
                continue
            clock = Clock(job)
            if name == base:
                return (
                    (job, None) if status_at(job, clock, now) == "succeeded" else None
                )
            plan = self.plan(job)
            for step in plan.checkpoint_steps:
                if name == checkpoint_name(job, step) and not job.get("failure"):
                    reached = clock.active_at(
                        clock.effective_now(now)
                    ) >= plan.step_offset(step)
                    return (job, step) if reached else None
        return None

    def succeeded(self) -> list[dict[str, Any]]:
        """Return the jobs whose fine-tuned model exists and was not deleted."""
        now = time.time()
        return [
            j
            for j in self.state.jobs.values()
            if status_at(j, Clock(j), now) == "succeeded"
            and model_name(j) not in self.state.deleted_models
        ]

    def visible(self, job: dict[str, Any], now: float) -> int:
        """Return how many planned events of ``job`` have happened."""
        return visible_count(self.plan(job), Clock(job), now)


def check_limit(raw: str | None, default: int, highest: int) -> int:
    """Parse a ``limit`` query value."""
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= highest:
        raise bad_request(
            f"Invalid 'limit': an integer from 1 to {highest}.", param="limit"
        )
    return value
