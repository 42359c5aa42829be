"""A fine-tuning job of the service: its stored record, typed, and its OpenAI JSON.

:class:`Job` is what the trainers read and change. :meth:`Job.from_record` and
:meth:`Job.to_record` are the one place that reads and writes the persisted form
(the ``jobs`` of ``state.json``, unchanged since the first version, so an older
data folder loads); :meth:`Job.to_json` is the one place that writes OpenAI's
``fine_tuning.job`` object.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

ORG = "org-sandbox"

#: a resolved hyperparameter (``"auto"`` only before resolving)
HyperValue = bool | int | float | str


class JobStatus(StrEnum):
    """A job's ``status`` as OpenAI names it."""

    VALIDATING_FILES = "validating_files"
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


TERMINAL = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})


@dataclass(frozen=True, slots=True)
class JobError:
    """A job's ``error`` object."""

    code: str
    message: str
    param: str | None

    def to_json(self) -> dict[str, str | None]:
        """Return the object as OpenAI (and the state file) writes it."""
        return {"code": self.code, "message": self.message, "param": self.param}

    @classmethod
    def from_json(cls, raw: Any) -> JobError | None:
        """Read a stored error object (None stays None)."""
        if raw is None:
            return None
        return cls(str(raw["code"]), str(raw["message"]), raw.get("param"))


@dataclass(frozen=True, slots=True)
class Note:
    """An event the service recorded itself (cancelled, paused, ...)."""

    t: float
    level: str
    message: str


@dataclass(slots=True)
class Pause:
    """A pause from ``start`` to ``end`` (None while it lasts)."""

    start: float
    end: float | None = None


@dataclass(slots=True)
class LocalRun:
    """What the local trainer keeps about a job's runs."""

    status: JobStatus
    runs: int = 0
    resume: bool = False
    pid: int | None = None
    finished_at: float | None = None
    error: JobError | None = None
    trained_tokens: int | None = None
    tokens_per_second: float | None = None

    def to_record(self) -> dict[str, Any]:
        """Return the stored form (unset values left out, as before)."""
        out: dict[str, Any] = {
            "status": self.status.value,
            "runs": self.runs,
            "resume": self.resume,
        }
        for name in ("pid", "finished_at", "trained_tokens", "tokens_per_second"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.error is not None:
            out["error"] = self.error.to_json()
        return out

    @classmethod
    def from_record(cls, raw: dict[str, Any]) -> LocalRun:
        """Read the stored form."""
        return cls(
            status=JobStatus(raw["status"]),
            runs=int(raw.get("runs", 0)),
            resume=bool(raw.get("resume", False)),
            pid=raw.get("pid"),
            finished_at=raw.get("finished_at"),
            error=JobError.from_json(raw.get("error")),
            trained_tokens=raw.get("trained_tokens"),
            tokens_per_second=raw.get("tokens_per_second"),
        )


@dataclass(frozen=True, slots=True)
class Progress:
    """A job's changing fields, as a trainer computes them at one moment."""

    status: JobStatus
    error: JobError | None = None
    fine_tuned_model: str | None = None
    finished_at: int | None = None
    result_files: list[str] = field(default_factory=list)
    trained_tokens: int | None = None
    estimated_finish: int | None = None


@dataclass(slots=True)
class Job:
    """One fine-tuning job, as stored (fields named as in ``state.json``)."""

    id: str
    created_at_f: float
    model: str
    training_file: str
    validation_file: str | None
    method: str
    hyperparameters: dict[str, HyperValue]
    learning_rate_multiplier: float
    epochs: int
    steps_per_epoch: int
    examples: int
    billing_tokens: int
    suffix: str | None
    seed: int
    metadata: dict[str, str] | None
    failure: JobError | None
    result_file_id: str
    pauses: list[Pause] = field(default_factory=list)
    cancelled_at: float | None = None
    notes: list[Note] = field(default_factory=list)
    finalized: bool = False
    #: the simulated trainer's time scale (absent for local jobs)
    speed: float | None = None
    #: the local trainer's run state (absent for simulated jobs)
    local: LocalRun | None = None
    #: keys this version does not know, kept so that saving loses nothing
    extra: dict[str, Any] = field(default_factory=dict)

    # --- the persisted form -------------------------------------------------------
    def to_record(self) -> dict[str, Any]:
        """Return the job as ``state.json`` stores it."""
        out: dict[str, Any] = {
            "id": self.id,
            "created_at_f": self.created_at_f,
            "model": self.model,
            "training_file": self.training_file,
            "validation_file": self.validation_file,
            "method": self.method,
            "hyperparameters": self.hyperparameters,
            "learning_rate_multiplier": self.learning_rate_multiplier,
            "epochs": self.epochs,
            "steps_per_epoch": self.steps_per_epoch,
            "examples": self.examples,
            "billing_tokens": self.billing_tokens,
            "suffix": self.suffix,
            "seed": self.seed,
            "metadata": self.metadata,
            "failure": self.failure.to_json() if self.failure else None,
            "pauses": [[p.start, p.end] for p in self.pauses],
            "cancelled_at": self.cancelled_at,
            "notes": [
                {"t": n.t, "level": n.level, "message": n.message} for n in self.notes
            ],
            "result_file_id": self.result_file_id,
            "finalized": self.finalized,
        }
        if self.speed is not None:
            out["speed"] = self.speed
        if self.local is not None:
            out["local"] = self.local.to_record()
        out.update(self.extra)
        return out

    @classmethod
    def from_record(cls, raw: dict[str, Any]) -> Job:
        """Read a stored job (raises KeyError, TypeError or ValueError if damaged)."""
        speed = raw.get("speed")
        local = raw.get("local")
        known = {f.name for f in fields(cls)}
        return cls(
            id=str(raw["id"]),
            created_at_f=float(raw["created_at_f"]),
            model=str(raw["model"]),
            training_file=str(raw["training_file"]),
            validation_file=raw.get("validation_file"),
            method=str(raw["method"]),
            hyperparameters=dict(raw["hyperparameters"]),
            learning_rate_multiplier=float(raw["learning_rate_multiplier"]),
            epochs=int(raw["epochs"]),
            steps_per_epoch=int(raw["steps_per_epoch"]),
            examples=int(raw["examples"]),
            billing_tokens=int(raw["billing_tokens"]),
            suffix=raw.get("suffix"),
            seed=int(raw["seed"]),
            metadata=raw.get("metadata"),
            failure=JobError.from_json(raw.get("failure")),
            result_file_id=str(raw["result_file_id"]),
            pauses=[Pause(start, end) for start, end in raw.get("pauses", [])],
            cancelled_at=raw.get("cancelled_at"),
            notes=[
                Note(float(n["t"]), str(n["level"]), str(n["message"]))
                for n in raw.get("notes", [])
            ],
            finalized=bool(raw.get("finalized", False)),
            # A stored speed is checked by the simulated trainer, not here:
            # an older version let nan and 1e-320 through.
            speed=speed if isinstance(speed, int | float) else None,
            local=LocalRun.from_record(local) if isinstance(local, dict) else None,
            extra={k: v for k, v in raw.items() if k not in known},
        )

    # --- OpenAI's object ---------------------------------------------------------------
    def to_json(self, progress: Progress) -> dict[str, Any]:
        """Return the ``fine_tuning.job`` object, with ``progress`` as it is now."""
        method = self.method
        shown = {
            k: self.hyperparameters[k]
            for k in ("batch_size", "learning_rate_multiplier", "n_epochs")
        }
        return {
            "id": self.id,
            "object": "fine_tuning.job",
            "created_at": int(self.created_at_f),
            "hyperparameters": shown,
            "model": self.model,
            "organization_id": ORG,
            "seed": self.seed,
            "training_file": self.training_file,
            "validation_file": self.validation_file,
            "integrations": [],
            "metadata": self.metadata,
            "method": {
                "type": method,
                method: {"hyperparameters": self.hyperparameters},
            },
            "user_provided_suffix": self.suffix,
            "status": progress.status.value,
            "error": progress.error.to_json() if progress.error else None,
            "fine_tuned_model": progress.fine_tuned_model,
            "finished_at": progress.finished_at,
            "result_files": progress.result_files,
            "trained_tokens": progress.trained_tokens,
            "estimated_finish": progress.estimated_finish,
        }
