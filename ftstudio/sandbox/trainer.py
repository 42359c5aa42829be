"""The service's jobs, written once: create, list, read; the training itself is a plug-in.

:class:`Trainer` holds everything that does not depend on how a job trains:
checking the request and the files (with the core validator, as OpenAI's file
check does), resolving ``auto`` hyperparameters, storing the job, pagination and
model naming. A subclass says what training means: :class:`~ftstudio.sandbox.
simulated.SimulatedTrainer` computes a plausible run from timestamps (the
sandbox), :class:`~ftstudio.sandbox.local.trainer.LocalTrainer` trains for real
in a separate process.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from ftstudio.sandbox.errors import bad_request, not_found
from ftstudio.sandbox.job import Job, JobError, Note, Progress
from ftstudio.sandbox.jobparams import parse_job_request, resolve
from ftstudio.sandbox.pages import cursor_page
from ftstudio.sandbox.state import new_id
from ftstudio.sandbox.training import check_training_file

if TYPE_CHECKING:
    from ftstudio.sandbox.chat import ChatRequest, Reply
    from ftstudio.sandbox.jobparams import JobRequest
    from ftstudio.sandbox.state import State
    from ftstudio.sandbox.training import TrainingFile

_FORMAT_FOR_METHOD = {"supervised": ("chat", "completion"), "dpo": ("preference",)}


def failure(kind: str, problems: list[str]) -> JobError:
    """Return a job's ``error`` object for invalid training or validation files."""
    which = "training" if kind == "training_file" else "validation"
    more = f" ({len(problems)} problems in all.)" if len(problems) > 1 else ""
    return JobError(
        f"invalid_{kind}",
        f"The job failed due to an invalid {which} file. {problems[0]}{more}",
        kind,
    )


def _job_id(job: Job) -> str:
    return job.id


def tuned_name(job: Job, owner: str) -> str:
    """Return a fine-tuned model's name: ``ft:BASE:OWNER:SUFFIX:ID``."""
    return f"ft:{job.model}:{owner}:{job.suffix or ''}:{job.id[6:14]}"


class Trainer(ABC):
    """The fine-tuning jobs of one service (persisted through :class:`State`)."""

    #: the word in fine-tuned model names: ``ft:BASE:WORD:SUFFIX:ID``
    owner_word = "sandbox"
    #: hyperparameters this trainer accepts beyond OpenAI's
    extra_params: tuple[str, ...] = ()

    def __init__(self, state: State) -> None:
        self.state = state
        self.training_cache: dict[str, TrainingFile] = {}

    # --- what a trainer decides ----------------------------------------------------
    @abstractmethod
    def check_model(self, model: str) -> None:
        """Raise a 400 when ``model`` cannot be fine-tuned here."""

    @abstractmethod
    def start(self, job: Job, data: TrainingFile) -> None:
        """Begin training ``job`` (already stored); called off the event loop."""

    @abstractmethod
    def progress(self, job: Job, now: float) -> Progress:
        """Return the job's changing fields (status, error, ...) at ``now``."""

    @abstractmethod
    def cancel(self, job_id: str) -> dict[str, Any]:
        """Cancel a job that has not finished."""

    @abstractmethod
    def pause(self, job_id: str) -> dict[str, Any]:
        """Pause a running job."""

    @abstractmethod
    def resume(self, job_id: str) -> dict[str, Any]:
        """Resume a paused job."""

    @abstractmethod
    def events_page(self, job_id: str, after: str | None, limit: int) -> dict[str, Any]:
        """Return one page of the job's events, newest first."""

    @abstractmethod
    def checkpoints_page(
        self, job_id: str, after: str | None, limit: int
    ) -> dict[str, Any]:
        """Return one page of the job's checkpoints, newest first."""

    @abstractmethod
    def base_models(self) -> list[dict[str, Any]]:
        """Return the ``model`` objects of the base models this service offers."""

    @abstractmethod
    def tuned_models(self) -> list[dict[str, Any]]:
        """Return the ``model`` objects of fine-tuned models (not deleted)."""

    @abstractmethod
    def find_model(self, name: str) -> tuple[Job, int | None] | None:
        """Return ``(job, checkpoint step or None)`` for a usable fine-tuned model."""

    @abstractmethod
    def reply(self, req: ChatRequest) -> Reply:
        """Return the answer to a chat request (call off the event loop)."""

    def refresh(self) -> None:  # noqa: B027 - optional hook
        """Bring stored results up to date (called before reading files and jobs)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Stop what the trainer runs in the background."""

    # --- naming ---------------------------------------------------------------------
    def model_name(self, job: Job) -> str:
        """Return ``ft:BASE:OWNER:SUFFIX:ID`` for a job."""
        return tuned_name(job, self.owner_word)

    def checkpoint_name(self, job: Job, step: int) -> str:
        """Return the model name of the checkpoint at ``step``."""
        return f"{self.model_name(job)}:ckpt-step-{step}"

    # --- reading ---------------------------------------------------------------------
    def record(self, job_id: str) -> Job:
        """Return the stored job or raise a 404."""
        job = self.state.jobs.get(job_id)
        if job is None:
            raise not_found("fine-tuning job", job_id, param="fine_tuning_job_id")
        return job

    def to_json(self, job: Job, now: float | None = None) -> dict[str, Any]:
        """Return the ``fine_tuning.job`` object as it is at ``now``."""
        now = time.time() if now is None else now
        return job.to_json(self.progress(job, now))

    def list_page(
        self, after: str | None, limit: int, metadata: dict[str, str]
    ) -> dict[str, Any]:
        """Return one page of jobs, newest first, filtered by metadata."""
        jobs = sorted(
            self.state.jobs.values(), key=lambda j: j.created_at_f, reverse=True
        )
        if metadata:
            jobs = [
                j
                for j in jobs
                if all((j.metadata or {}).get(k) == v for k, v in metadata.items())
            ]
        now = time.time()
        return cursor_page(
            jobs, after, limit, lambda j: self.to_json(j, now), "job", id_of=_job_id
        )

    # --- creating ----------------------------------------------------------------------
    def _check_file(self, file_id: str, param: str) -> dict[str, Any]:
        record = self.state.files.get(file_id)
        if record is None or record["purpose"] != "fine-tune":
            raise bad_request(f"invalid {param}: {file_id}", param=param)
        return record

    def validation_model(self, model: str) -> str:
        """Return the model whose limits and tokenizer the file check uses."""
        return model

    def _file_failure(self, req: JobRequest) -> tuple[TrainingFile, JobError | None]:
        check_as = self.validation_model(req.model)
        data, problems = check_training_file(
            self.state.blob(req.training_file), check_as
        )
        if problems:
            return data, failure("training_file", problems)
        allowed = _FORMAT_FOR_METHOD[req.method]
        if data.format.value not in allowed:
            return data, failure(
                "training_file",
                [
                    f"The examples are in the {data.format.value} format, but the {req.method} method needs {' or '.join(allowed)} examples."
                ],
            )
        if req.validation_file:
            _, vproblems = check_training_file(
                self.state.blob(req.validation_file), check_as
            )
            if vproblems:
                return data, failure("validation_file", vproblems)
        return data, None

    def create(self, body: Any) -> dict[str, Any]:
        """Create a job from a request body (validates files: call off the loop)."""
        req = parse_job_request(body, self.extra_params)
        self.check_model(req.model)
        self._check_file(req.training_file, "training_file")
        if req.validation_file:
            self._check_file(req.validation_file, "validation_file")
        data, fail = self._file_failure(req)
        hyper = resolve(req, data.examples)
        steps_per_epoch = -(-max(1, data.examples) // int(hyper["batch_size"]))
        job_id = new_id("ftjob-")
        job = Job(
            id=job_id,
            created_at_f=time.time(),
            model=req.model,
            training_file=req.training_file,
            validation_file=req.validation_file,
            method=req.method,
            hyperparameters=hyper,
            learning_rate_multiplier=float(hyper["learning_rate_multiplier"]),
            epochs=int(hyper["n_epochs"]),
            steps_per_epoch=steps_per_epoch,
            examples=data.examples,
            billing_tokens=data.billing_tokens,
            suffix=req.suffix,
            seed=req.seed,
            metadata=req.metadata,
            failure=fail,
            result_file_id=new_id("file-"),
        )
        self.prepare(job)  # may refuse the job: nothing is kept for it then
        if fail is None:
            self.state.keep_training_copy(job_id, req.training_file)
        with self.state.lock:
            self.state.jobs[job_id] = job
            self.training_cache[job_id] = data
            self.state.save()
        self.start(job, data)
        return self.to_json(job)

    def prepare(self, job: Job) -> None:  # noqa: B027 - optional hook
        """Add what this trainer keeps in a new job record (before it is stored)."""

    def note(self, job: Job, now: float, message: str, level: str = "info") -> None:
        """Record a service event of ``job`` (shown among its events)."""
        job.notes.append(Note(now, level, message))

    def delete_model(self, model_id: str) -> None:
        """Delete a fine-tuned model (it stops being listed and answering)."""
        with self.state.lock:
            self.state.deleted_models.add(model_id)
            self.state.save()


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
