"""Training metrics by step: from metrics events, reconciled with the results CSV."""

from __future__ import annotations

import csv
import io
import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

SERIES: tuple[str, ...] = (
    "train_loss",
    "valid_loss",
    "full_valid_loss",
    "train_mean_token_accuracy",
    "valid_mean_token_accuracy",
    "full_valid_mean_token_accuracy",
)
"""The metric names a ``metrics`` event can carry, in display order."""

LABELS: dict[str, str] = {
    "train_loss": "Training loss",
    "valid_loss": "Validation loss",
    "full_valid_loss": "Full validation loss",
    "train_mean_token_accuracy": "Training accuracy",
    "valid_mean_token_accuracy": "Validation accuracy",
    "full_valid_mean_token_accuracy": "Full validation accuracy",
}
"""Plain names of the series for legends, hover text and CSV headers."""

# The results CSV names some columns differently from the events.
_CSV_ALIASES = {
    "train_accuracy": "train_mean_token_accuracy",
    "valid_accuracy": "valid_mean_token_accuracy",
    "full_valid_accuracy": "full_valid_mean_token_accuracy",
}

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def _number(value: Any) -> float:
    """Return ``value`` as a float, NaN when it is missing or not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return math.nan
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out if math.isfinite(out) else math.nan


@dataclass(frozen=True)
class ReconcileResult:
    """What reconciling with the results CSV changed."""

    added: int
    """Steps the events had missed."""
    filled: int
    """Values that were missing or differed and now come from the CSV."""


class MetricSeries:
    """Metrics keyed by step: a step that arrives twice replaces, never duplicates.

    Steps are kept sorted; values are NaN where a step measured nothing (the
    validation loss is sampled only on some steps).
    """

    def __init__(self) -> None:
        self._steps: list[int] = []
        self._index: dict[int, int] = {}
        self._values: dict[str, list[float]] = {name: [] for name in SERIES}
        self.total_steps: int | None = None
        self._cache: dict[str, tuple[FloatArray, FloatArray]] = {}

    def __len__(self) -> int:
        return len(self._steps)

    def __contains__(self, step: object) -> bool:
        return step in self._index

    @property
    def steps(self) -> list[int]:
        """Return the steps seen so far, ascending (a copy)."""
        return list(self._steps)

    @property
    def last_step(self) -> int | None:
        """Return the highest step seen, or None before the first."""
        return self._steps[-1] if self._steps else None

    def add(self, data: Mapping[str, Any]) -> bool:
        """Add one metrics event's ``data``; return whether the step is new."""
        step_value = data.get("step")
        if not isinstance(step_value, int) or isinstance(step_value, bool):
            return False
        total = data.get("total_steps")
        if isinstance(total, int) and total > 0:
            self.total_steps = total
        self._cache.clear()
        row = {name: _number(data.get(name)) for name in SERIES}
        where = self._index.get(step_value)
        if where is not None:
            for name, value in row.items():
                if not math.isnan(value):
                    self._values[name][where] = value
            return False
        if not self._steps or step_value > self._steps[-1]:
            where = len(self._steps)
            self._steps.append(step_value)
            for name, value in row.items():
                self._values[name].append(value)
        else:  # out of order: rare, so a list insert is fine
            where = bisect_left(self._steps, step_value)
            self._steps.insert(where, step_value)
            for name, value in row.items():
                self._values[name].insert(where, value)
            self._index = {s: i for i, s in enumerate(self._steps)}
        self._index[step_value] = where
        return True

    def add_events(self, events: Iterable[Any]) -> int:
        """Add the ``metrics`` events among SDK events (or dicts); return new steps."""
        added = 0
        for event in events:
            kind = event.get("type") if isinstance(event, dict) else event.type
            data = event.get("data") if isinstance(event, dict) else event.data
            if kind == "metrics" and isinstance(data, Mapping):
                added += self.add(data)
        return added

    def value(self, name: str, step: int) -> float | None:
        """Return the value of series ``name`` at ``step``, or None."""
        where = self._index.get(step)
        if where is None:
            return None
        value = self._values[name][where]
        return None if math.isnan(value) else value

    def arrays(self, name: str) -> tuple[FloatArray, FloatArray]:
        """Return ``(steps, values)`` of series ``name`` where it has values."""
        cached = self._cache.get(name)
        if cached is None:
            values = np.asarray(self._values[name], dtype=np.float64)
            steps = np.asarray(self._steps, dtype=np.float64)
            keep = ~np.isnan(values)
            cached = (steps[keep], values[keep])
            self._cache[name] = cached
        return cached

    def has(self, name: str) -> bool:
        """Return whether series ``name`` has at least one value."""
        return bool(self.arrays(name)[0].size)

    def to_csv(self) -> bytes:
        """Return the metrics as CSV (one row per step; empty where not measured)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["step", *SERIES])
        for i, step in enumerate(self._steps):
            cells = [self._values[name][i] for name in SERIES]
            writer.writerow([step, *("" if math.isnan(v) else repr(v) for v in cells)])
        return out.getvalue().encode("utf-8")


def reconcile(series: MetricSeries, results_csv: bytes) -> ReconcileResult:
    """Bring ``series`` in line with the job's results CSV after the job ends.

    The CSV is the service's record of every step, so it fills steps the events
    missed and values that differ; columns it lacks keep the events' values.
    ``results_csv`` must already be decoded (``decode_result_file``).
    """
    text = results_csv.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    added = filled = 0
    for raw in reader:
        row = {_CSV_ALIASES.get(k.strip(), k.strip()): v for k, v in raw.items() if k}
        step_text = (row.get("step") or "").strip()
        if not step_text.isdigit():
            continue
        step = int(step_text)
        data: dict[str, Any] = {"step": step}
        known = step in series
        for name in SERIES:
            value = _number((row.get(name) or "").strip())
            if math.isnan(value):
                continue
            old = series.value(name, step)
            if known and (old is None or not math.isclose(old, value, rel_tol=1e-9)):
                filled += 1
            data[name] = value
        added += series.add(data)
    return ReconcileResult(added, filled)


def moving_average(values: FloatArray, window: int) -> FloatArray:
    """Return the trailing moving average of ``values`` over ``window`` points.

    The first points average what exists so far, so the smoothed curve starts
    where the raw one does instead of being shifted or padded.
    """
    if window <= 1 or values.size == 0:
        return values
    sums = np.cumsum(values, dtype=np.float64)
    out = np.empty_like(sums)
    head = min(window, sums.size)
    out[:head] = sums[:head] / np.arange(1, head + 1)
    if sums.size > window:
        out[window:] = (sums[window:] - sums[:-window]) / window
    return out


def epoch_boundaries(total_steps: int | None, n_epochs: int | None) -> list[float]:
    """Return the steps at which each epoch but the last ends."""
    if not total_steps or not n_epochs or n_epochs < 2:
        return []
    per_epoch = total_steps / n_epochs
    return [per_epoch * k for k in range(1, n_epochs)]


def epoch_at(step: int, total_steps: int | None, n_epochs: int | None) -> int | None:
    """Return the epoch (from 1) that ``step`` belongs to, or None when unknown."""
    if not total_steps or not n_epochs or step <= 0:
        return None
    return min(n_epochs, max(1, math.ceil(step * n_epochs / total_steps)))


def step_summary(series: MetricSeries, x: float) -> tuple[int, str] | None:
    """Return the step nearest ``x`` and its values in words (hover text)."""
    steps = series.steps
    if not steps:
        return None
    where = bisect_left(steps, x)
    if where == len(steps) or (where > 0 and x - steps[where - 1] < steps[where] - x):
        where -= 1
    step = steps[where]
    parts = []
    for name in SERIES:
        value = series.value(name, step)
        if value is not None:
            parts.append(f"{LABELS[name].lower()} {value:.4f}")
    total = f" of {series.total_steps:,}" if series.total_steps else ""
    text = f"Step {step:,}{total}: " + ", ".join(parts)
    return step, text[0].upper() + text[1:]
