"""The sandbox's trainer: a plausible run computed from timestamps, nothing trained.

A job's status, events and checkpoints follow from when it was created, paused
and cancelled (see :mod:`ftstudio.sandbox.timeline`); its fine-tuned model
answers with the reply of the most similar training example.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from ftstudio.core.models import default_table
from ftstudio.sandbox.chat import Answer, answer_text, model_not_found
from ftstudio.sandbox.curves import results_csv
from ftstudio.sandbox.errors import bad_request
from ftstudio.sandbox.events import list_checkpoints, list_events
from ftstudio.sandbox.job import ORG, TERMINAL, Job, JobStatus, Pause, Progress
from ftstudio.sandbox.jobparams import model_unavailable
from ftstudio.sandbox.speed import MAX_SPEED, MIN_SPEED
from ftstudio.sandbox.timeline import (
    RUN_END,
    VALIDATE_S,
    Clock,
    Plan,
    status_at,
    visible_count,
)
from ftstudio.sandbox.trainer import Trainer
from ftstudio.sandbox.training import read_training_file

if TYPE_CHECKING:
    from ftstudio.sandbox.chat import ChatRequest
    from ftstudio.sandbox.state import State
    from ftstudio.sandbox.training import Pair, TrainingFile

# Every step is an event held in memory; past this a plan would cost seconds
# and hundreds of MB, which a practice service should not spend.
MAX_STEPS = 50_000
BASE_CREATED = 1_700_000_000  # a fixed date for built-in models
_UNDERWAY = frozenset({JobStatus.VALIDATING_FILES, JobStatus.QUEUED, JobStatus.RUNNING})


def model_object(model_id: str, created: int, owner: str) -> dict[str, Any]:
    """Return one ``model`` object."""
    return {"id": model_id, "object": "model", "created": created, "owned_by": owner}


class SimulatedTrainer(Trainer):
    """Jobs whose course is computed, at ``speed`` times a one-minute run."""

    def __init__(self, state: State, speed: float) -> None:
        super().__init__(state)
        self.speed = speed
        self._plans: dict[str, Plan] = {}
        self._plan_lock = threading.Lock()
        for job in state.jobs.values():
            # A speed stored by an older version without bounds (nan, 1e-320)
            # made every later request about the job fail; run it at speed 1.
            if job.speed is None or not MIN_SPEED <= job.speed <= MAX_SPEED:
                job.speed = 1.0

    def plan(self, job: Job) -> Plan:
        """Return the job's (cached) plan."""
        with self._plan_lock:
            plan = self._plans.get(job.id)
            if plan is None:
                plan = self._plans[job.id] = Plan(job)
            return plan

    # --- Trainer -------------------------------------------------------------------
    def check_model(self, model: str) -> None:
        if model.startswith("ft:"):
            if self.find_model(model) is None:
                raise model_unavailable(model)
        elif not default_table().lookup(model).known:
            raise model_unavailable(model)

    def prepare(self, job: Job) -> None:
        steps = job.steps_per_epoch * job.epochs
        if steps > MAX_STEPS:
            raise bad_request(
                f"The sandbox simulates at most {MAX_STEPS:,} training steps "
                f"(examples ÷ batch size × epochs); raise batch_size or lower n_epochs.",
                param=f"method.{job.method}.hyperparameters.n_epochs",
            )
        job.speed = self.speed

    def start(self, job: Job, data: TrainingFile) -> None:
        self.plan(job)  # built here, in a worker thread, not on the first poll

    def progress(self, job: Job, now: float) -> Progress:
        clock = Clock(job)
        status = status_at(job, clock, now)
        finished_at: int | None = None
        if status is JobStatus.SUCCEEDED:
            finished_at = int(clock.wall_at(RUN_END))
        elif status is JobStatus.FAILED:
            finished_at = int(clock.wall_at(VALIDATE_S))
        elif status is JobStatus.CANCELLED:
            finished_at = int(clock.cancelled_at or now)
        estimated = None
        if status in _UNDERWAY and not job.failure:
            estimated = int(clock.wall_at(RUN_END))
        done = status is JobStatus.SUCCEEDED
        return Progress(
            status=status,
            error=job.failure if status is JobStatus.FAILED else None,
            fine_tuned_model=self.model_name(job) if done else None,
            finished_at=finished_at,
            result_files=[job.result_file_id] if done else [],
            trained_tokens=job.billing_tokens * job.epochs if done else None,
            estimated_finish=estimated,
        )

    def _change(self, job_id: str, allowed: str, verb: str) -> tuple[Job, float]:
        job = self.record(job_id)
        now = time.time()
        status = status_at(job, Clock(job), now)
        if allowed == "unfinished" and status in TERMINAL:
            raise bad_request(
                f"Job has already completed: {job_id}", param="fine_tuning_job_id"
            )
        if allowed not in ("unfinished", status):
            raise bad_request(
                f"Only a {allowed} job can be {verb}; this one is {status}.",
                param="fine_tuning_job_id",
            )
        return job, now

    def cancel(self, job_id: str) -> dict[str, Any]:
        with self.state.lock:
            job, now = self._change(job_id, "unfinished", "cancelled")
            if job.pauses and job.pauses[-1].end is None:
                job.pauses[-1].end = now
            job.cancelled_at = now
            self.note(job, now, "Fine-tuning job cancelled")
            self.state.save()
            return self.to_json(job, now)

    def pause(self, job_id: str) -> dict[str, Any]:
        with self.state.lock:
            job, now = self._change(job_id, "running", "paused")
            job.pauses.append(Pause(now))
            self.note(job, now, "Fine-tuning job paused")
            self.state.save()
            return self.to_json(job, now)

    def resume(self, job_id: str) -> dict[str, Any]:
        with self.state.lock:
            job, now = self._change(job_id, "paused", "resumed")
            job.pauses[-1].end = now
            self.note(job, now, "Fine-tuning job resumed")
            self.state.save()
            return self.to_json(job, now)

    def refresh(self) -> None:
        now = time.time()
        done = []
        for job in list(self.state.jobs.values()):
            if job.finalized:
                continue
            status = status_at(job, Clock(job), now)
            if status is JobStatus.SUCCEEDED:
                csv = results_csv(self.plan(job).curve)
                self.state.add_file(
                    csv,
                    "step_metrics.csv",
                    "fine-tune-results",
                    file_id=job.result_file_id,
                    save=False,
                )
                done.append(job)
            elif status in TERMINAL:
                done.append(job)
        if done:
            with self.state.lock:
                for job in done:
                    job.finalized = True
                self.state.save()

    def events_page(self, job_id: str, after: str | None, limit: int) -> dict[str, Any]:
        return list_events(self, job_id, after, limit)

    def checkpoints_page(
        self, job_id: str, after: str | None, limit: int
    ) -> dict[str, Any]:
        return list_checkpoints(self, job_id, after, limit)

    # --- models ----------------------------------------------------------------------
    def base_models(self) -> list[dict[str, Any]]:
        return [
            model_object(name, BASE_CREATED, "system")
            for name in default_table().names()
        ]

    def tuned_models(self) -> list[dict[str, Any]]:
        return [
            model_object(self.model_name(j), int(Clock(j).wall_at(RUN_END)), ORG)
            for j in self.succeeded()
        ]

    def find_model(self, name: str) -> tuple[Job, int | None] | None:
        if not name.startswith("ft:") or name in self.state.deleted_models:
            return None
        now = time.time()
        for job in self.state.jobs.values():
            base = self.model_name(job)
            if not name.startswith(base):
                continue
            clock = Clock(job)
            if name == base:
                return (
                    (job, None)
                    if status_at(job, clock, now) is JobStatus.SUCCEEDED
                    else None
                )
            plan = self.plan(job)
            for step in plan.checkpoint_steps:
                if name == self.checkpoint_name(job, step) and not job.failure:
                    reached = clock.active_at(
                        clock.effective_now(now)
                    ) >= plan.step_offset(step)
                    return (job, step) if reached else None
        return None

    def succeeded(self) -> list[Job]:
        """Return the jobs whose fine-tuned model exists and was not deleted."""
        now = time.time()
        return [
            j
            for j in self.state.jobs.values()
            if status_at(j, Clock(j), now) is JobStatus.SUCCEEDED
            and self.model_name(j) not in self.state.deleted_models
        ]

    def visible(self, job: Job, now: float) -> int:
        """Return how many planned events of ``job`` have happened."""
        return visible_count(self.plan(job), Clock(job), now)

    def _pairs(self, job: Job) -> tuple[Pair, ...]:
        data = self.training_cache.get(job.id)
        if data is None:
            data, _ = read_training_file(self.state.training_copy(job.id), job.model)
            self.training_cache[job.id] = data
        return data.pairs

    def reply(self, req: ChatRequest) -> Answer:
        pairs = None
        if req.model.startswith("ft:"):
            found = self.find_model(req.model)
            if found is None:
                raise model_not_found(req.model)
            pairs = self._pairs(found[0])
        elif not default_table().lookup(req.model).known:
            raise model_not_found(req.model)
        answer = Answer(req.model, req, answer_text(req.model, req, pairs))
        # A token every 30 ms at speed 1 looks like a live model; faster in tests.
        answer.delay = 0.03 / self.speed
        return answer
