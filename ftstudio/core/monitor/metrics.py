"""Training metrics by step: from metrics events, reconciled with the results CSV."""

from __future__ import annotations

import csv
import io
import math
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
    "validation_mean_token_accuracy": "valid_mean_token_accuracy",  # Azure's name
}

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
_COLUMN = {name: i for i, name in enumerate(SERIES)}


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


@dataclass(frozen=True)
class MetricBlock:
    """Many steps' metrics as arrays, built off the GUI thread from one poll's events."""

    steps: np.ndarray[Any, np.dtype[np.int64]]
    values: np.ndarray[Any, np.dtype[np.float64]]
    """One row per name in :data:`SERIES`, one column per step; NaN = not measured."""
    total_steps: int | None = None

    def __len__(self) -> int:
        return int(self.steps.size)


def metric_block(events: Iterable[Any]) -> MetricBlock:
    """Collect the ``metrics`` events among SDK events (or dicts) into arrays."""
    steps: list[int] = []
    rows: list[list[float]] = []
    total: int | None = None
    for event in events:
        kind = event.get("type") if isinstance(event, dict) else event.type
        data = event.get("data") if isinstance(event, dict) else event.data
        if kind != "metrics" or not isinstance(data, Mapping):
            continue
        step = data.get("step")
        if not isinstance(step, int) or isinstance(step, bool):
            continue
        steps.append(step)
        rows.append([_number(data.get(name)) for name in SERIES])
        count = data.get("total_steps")
        if isinstance(count, int) and count > 0:
            total = count
    values = np.array(rows, dtype=np.float64).reshape(len(rows), len(SERIES)).T
    return MetricBlock(np.array(steps, dtype=np.int64), values, total)


class MetricSeries:
    """Metrics keyed by step: a step that arrives twice replaces, never duplicates.

    Steps are kept sorted in growable numpy arrays (a job can have 100,000
    steps and the plot asks for them after every poll: converting Python lists
    each time cost 3 ms a series). Values are NaN where a step measured nothing
    (the validation loss is sampled only on some steps).
    """

    def __init__(self) -> None:
        self._n = 0
        self._steps = np.zeros(1024, dtype=np.int64)
        self._values = np.full((len(SERIES), 1024), np.nan)
        self._index: dict[int, int] = {}
        self.total_steps: int | None = None
        self._cache: dict[str, tuple[FloatArray, FloatArray]] = {}

    def __len__(self) -> int:
        return self._n

    def __contains__(self, step: object) -> bool:
        return step in self._index

    @property
    def steps(self) -> list[int]:
        """Return the steps seen so far, ascending (a copy)."""
        return [int(s) for s in self._steps[: self._n]]

    def step_array(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Return the steps seen so far as an array (a view: do not change it)."""
        return self._steps[: self._n]

    @property
    def last_step(self) -> int | None:
        """Return the highest step seen, or None before the first."""
        return int(self._steps[self._n - 1]) if self._n else None

    def _grow(self) -> None:
        size = self._steps.size * 2
        steps = np.zeros(size, dtype=np.int64)
        steps[: self._n] = self._steps[: self._n]
        values = np.full((len(SERIES), size), np.nan)
        values[:, : self._n] = self._values[:, : self._n]
        self._steps, self._values = steps, values

    def add(self, data: Mapping[str, Any]) -> bool:
        """Add one metrics event's ``data``; return whether the step is new."""
        step = data.get("step")
        if not isinstance(step, int) or isinstance(step, bool):
            return False
        total = data.get("total_steps")
        if isinstance(total, int) and total > 0:
            self.total_steps = total
        self._cache.clear()
        row = [_number(data.get(name)) for name in SERIES]
        where = self._index.get(step)
        if where is not None:
            for column, value in enumerate(row):
                if not math.isnan(value):
                    self._values[column, where] = value
            return False
        if self._n == self._steps.size:
            self._grow()
        n = self._n
        if not n or step > self._steps[n - 1]:
            where = n
        else:  # out of order: rare, so shifting the tail is fine
            where = int(np.searchsorted(self._steps[:n], step))
            self._steps[where + 1 : n + 1] = self._steps[where:n]
            self._values[:, where + 1 : n + 1] = self._values[:, where:n]
            for i in range(where + 1, n + 1):
                self._index[int(self._steps[i])] = i
        self._steps[where] = step
        self._values[:, where] = row
        self._index[step] = where
        self._n += 1
        return True

    def add_block(self, block: MetricBlock) -> int:
        """Add a block of steps; return how many steps are new.

        The usual block (new steps, ascending, after the last one) is appended
        in one copy; anything else goes step by step through :meth:`add`.
        """
        count = len(block)
        if not count:
            return 0
        if block.total_steps:
            self.total_steps = block.total_steps
        steps = block.steps
        ascending = count == 1 or bool(np.all(np.diff(steps) > 0))
        if not ascending or (self._n and steps[0] <= self._steps[self._n - 1]):
            added = 0
            for i in range(count):
                data: dict[str, Any] = {"step": int(steps[i])}
                for column, name in enumerate(SERIES):
                    data[name] = float(block.values[column, i])
                added += self.add(data)
            return added
        while self._n + count > self._steps.size:
            self._grow()
        n = self._n
        self._steps[n : n + count] = steps
        self._values[:, n : n + count] = block.values
        self._index.update(zip(steps.tolist(), range(n, n + count), strict=True))
        self._n += count
        self._cache.clear()
        return count

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
        value = float(self._values[_COLUMN[name], where])
        return None if math.isnan(value) else value

    def arrays(self, name: str) -> tuple[FloatArray, FloatArray]:
        """Return ``(steps, values)`` of series ``name`` where it has values (copies)."""
        cached = self._cache.get(name)
        if cached is None:
            values = self._values[_COLUMN[name], : self._n]
            keep = ~np.isnan(values)
            cached = (self._steps[: self._n][keep].astype(np.float64), values[keep])
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
        for i in range(self._n):
            cells = self._values[:, i].tolist()
            writer.writerow(
                [
                    int(self._steps[i]),
                    *("" if math.isnan(v) else repr(v) for v in cells),
                ]
            )
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
    steps = series.step_array()
    if not steps.size:
        return None
    where = int(np.searchsorted(steps, x))
    if where == steps.size or (where > 0 and x - steps[where - 1] < steps[where] - x):
        where -= 1
    step = int(steps[where])
    parts = []
    for name in SERIES:
        value = series.value(name, step)
        if value is not None:
            parts.append(f"{LABELS[name].lower()} {value:.4f}")
    total = f" of {series.total_steps:,}" if series.total_steps else ""
    text = f"Step {step:,}{total}: " + ", ".join(parts)
    return step, text[0].upper() + text[1:]
