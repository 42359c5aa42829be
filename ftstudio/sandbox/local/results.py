"""The job's results CSV (OpenAI's columns), from the metrics events the trainer wrote."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ftstudio.sandbox.curves import StepMetrics
from ftstudio.sandbox.curves import results_csv as csv_bytes
from ftstudio.sandbox.local.spec import read_lines

if TYPE_CHECKING:
    from ftstudio.sandbox.local.spec import JobFiles


def step_metrics(files: JobFiles) -> list[StepMetrics]:
    """Return the metrics of every logged step, the latest run's where steps repeat."""
    by_step: dict[int, StepMetrics] = {}
    for ev in read_lines(files.events):
        data = ev.get("data") or {}
        if ev.get("type") != "metrics" or "train_loss" not in data:
            continue
        by_step[int(data["step"])] = StepMetrics(
            int(data["step"]),
            float(data["train_loss"]),
            float(data.get("train_mean_token_accuracy") or 0.0),
            data.get("valid_loss"),
            data.get("valid_mean_token_accuracy"),
            data.get("full_valid_loss"),
            data.get("full_valid_mean_token_accuracy"),
        )
    return [by_step[k] for k in sorted(by_step)]


def results_csv(files: JobFiles) -> None:
    """Write ``results.csv`` into the job folder."""
    files.results.write_bytes(csv_bytes(step_metrics(files)))
