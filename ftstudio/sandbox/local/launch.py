"""Starting one training run: its spec written into the job folder, then its process."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from typing import TYPE_CHECKING

from ftstudio.sandbox.local.spec import TrainSpec

if TYPE_CHECKING:
    from pathlib import Path

    from ftstudio.sandbox.job import Job
    from ftstudio.sandbox.local.spec import JobFiles


def launcher() -> list[str]:
    """Return the command that starts a trainer process, before ``-m MODULE``.

    ``FTSTUDIO_TRAIN_LAUNCHER`` replaces this Python with a launcher such as
    ``accelerate launch --num_processes 4`` (several GPUs: see the README).
    """
    custom = os.environ.get("FTSTUDIO_TRAIN_LAUNCHER", "").strip()
    return shlex.split(custom) if custom else [sys.executable]


def write_spec(
    job: Job,
    files: JobFiles,
    *,
    model_path: Path,
    training_file: Path,
    validation_file: Path | None,
    device: str,
) -> None:
    """Write the run's ``spec.json``; a resumed job continues from its last checkpoint."""
    hyper = job.hyperparameters
    resume = None
    if job.local is not None and job.local.resume and files.run_dir.is_dir():
        from transformers.trainer_utils import get_last_checkpoint

        resume = get_last_checkpoint(str(files.run_dir))
    TrainSpec(
        model_path=str(model_path),
        method=job.method,
        training_file=str(training_file),
        validation_file=str(validation_file) if validation_file else None,
        n_epochs=int(hyper["n_epochs"]),
        batch_size=int(hyper["batch_size"]),
        learning_rate=float(hyper["learning_rate"]),
        seed=job.seed,
        device=device,
        lora=bool(hyper["lora"]),
        lora_r=int(hyper["lora_r"]),
        lora_alpha=int(hyper["lora_alpha"]),
        beta=float(hyper.get("beta", 0.1)),
        resume_from=resume,
    ).write(files.folder)


def start_process(files: JobFiles) -> subprocess.Popen[bytes]:
    """Start the trainer process on the job folder, in its own session."""
    with files.log.open("ab") as out:
        return subprocess.Popen(
            [*launcher(), "-m", "ftstudio.sandbox.local.worker", str(files.folder)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
