"""A job's life computed from its timestamps: status, events and checkpoints.

Nothing ticks in the background. A job record holds when it was created, its
pauses and its cancellation; "active time" is wall time minus pauses, scaled by
the job's speed. Each event has a fixed active-time offset, so a request finds
what has happened by a binary search (the event poll is the hot path).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ftstudio.sandbox.curves import StepMetrics, simulate_curve
from ftstudio.sandbox.job import Job, JobError, JobStatus
from ftstudio.sandbox.trainer import tuned_name

# Simulated seconds of each phase at speed 1: about a minute in all.
VALIDATE_S, QUEUE_S, RUN_S = 4.0, 4.0, 52.0
RUN_START = VALIDATE_S + QUEUE_S
RUN_END = RUN_START + RUN_S


@dataclass(frozen=True, slots=True)
class Event:
    """One fine-tuning event before it gets an id and a wall time."""

    offset: float
    level: str
    message: str
    type: str = "message"
    data: dict[str, Any] | None = None


def model_name(job: Job) -> str:
    """Return ``ft:BASE:sandbox:SUFFIX:ID`` for a simulated job."""
    return tuned_name(job, "sandbox")


class Plan:
    """The fixed course of one job: its curve and its events by active time."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self.job_id = job.id
        self.failure: JobError | None = job.failure
        self.steps_per_epoch = max(1, job.steps_per_epoch)
        self.epochs = job.epochs
        self.total_steps = self.steps_per_epoch * self.epochs
        self.events: list[Event] = []
        self.checkpoint_steps = [
            e * self.steps_per_epoch
            for e in range(max(1, self.epochs - 2), self.epochs + 1)
        ]
        files = f"training file: {job.training_file}"
        if job.validation_file:
            files += f" and validation file: {job.validation_file}"
        self.events.append(Event(0.0, "info", f"Created fine-tuning job: {job.id}"))
        self.events.append(Event(0.0, "info", f"Validating {files}"))
        if self.failure:
            self.events.append(Event(VALIDATE_S, "error", self.failure.message))
            self.offsets = [e.offset for e in self.events]
            return
        self.events.append(
            Event(VALIDATE_S, "info", "Files validated, moving job to queued state")
        )
        self.events.append(Event(RUN_START, "info", "Fine-tuning job started"))
        for m in self.curve:
            at = self.step_offset(m.step)
            self.events.append(
                Event(
                    at,
                    "info",
                    m.message(self.total_steps),
                    "metrics",
                    m.event_data(self.total_steps),
                )
            )
            if m.step in self.checkpoint_steps:
                self.events.append(
                    Event(at, "info", f"Checkpoint created at step {m.step}")
                )
        for message in (
            f"New fine-tuned model created: {model_name(job)}",
            "Evaluating model against our usage policies",
            "Usage policy evaluations completed, model is now enabled for sampling",
            "The job has successfully completed",
        ):
            self.events.append(Event(RUN_END, "info", message))
        self.offsets = [e.offset for e in self.events]

    @cached_property
    def curve(self) -> list[StepMetrics]:
        """Return the metrics of every step (empty for a failed job)."""
        if self.failure:
            return []
        job = self._job
        return simulate_curve(
            examples=job.examples,
            steps_per_epoch=self.steps_per_epoch,
            epochs=self.epochs,
            has_validation=bool(job.validation_file),
            seed=job.seed,
            learning_rate_multiplier=job.learning_rate_multiplier,
        )

    def step_offset(self, step: int) -> float:
        """Return the active time at which ``step`` completes."""
        return RUN_START + RUN_S * step / self.total_steps


class Clock:
    """Maps between wall time and a job's active time (pauses excluded)."""

    def __init__(self, job: Job) -> None:
        self.created = job.created_at_f
        self.speed = 1.0 if job.speed is None else job.speed
        self.pauses = job.pauses
        self.cancelled_at = job.cancelled_at

    def active_at(self, t: float) -> float:
        """Return the active time at wall time ``t``."""
        paused = 0.0
        for pause in self.pauses:
            start, end = pause.start, pause.end
            if start >= t:
                break
            paused += (t if end is None else min(end, t)) - start
        return max(0.0, (t - self.created - paused) * self.speed)

    def wall_at(self, offset: float) -> float:
        """Return the wall time at which active time ``offset`` is (or was) reached."""
        wall = self.created + offset / self.speed
        for pause in self.pauses:
            start, end = pause.start, pause.end
            if start >= wall:
                break
            wall += math.inf if end is None else end - start
        return wall

    def effective_now(self, now: float) -> float:
        """Return ``now``, or the moment of cancellation if that came first."""
        return now if self.cancelled_at is None else min(now, self.cancelled_at)

    @property
    def paused(self) -> bool:
        """Whether the job is paused right now."""
        return bool(self.pauses) and self.pauses[-1].end is None


def status_at(job: Job, clock: Clock, now: float) -> JobStatus:
    """Return the job's status at wall time ``now``."""
    if clock.cancelled_at is not None:
        return JobStatus.CANCELLED
    active = clock.active_at(now)
    if job.failure and active >= VALIDATE_S:
        return JobStatus.FAILED
    if clock.paused:
        return JobStatus.PAUSED
    if active < VALIDATE_S:
        return JobStatus.VALIDATING_FILES
    if active < RUN_START:
        return JobStatus.QUEUED
    if active < RUN_END:
        return JobStatus.RUNNING
    return JobStatus.SUCCEEDED


def visible_count(plan: Plan, clock: Clock, now: float) -> int:
    """Return how many of the plan's events have happened by ``now``."""
    return bisect_right(plan.offsets, clock.active_at(clock.effective_now(now)))
