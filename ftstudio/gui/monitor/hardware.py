"""The hardware line under the Monitor's plots: throughput and GPU memory of a local job.

Only the local trainer puts ``tokens_per_second``, ``gpu_memory_mb`` and ``device``
in its metrics events; for an OpenAI job the line stays hidden.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from ftstudio.core.monitor.watch import EventRow, JobInfo


class Service(Protocol):
    """What the line needs of the studio's connection (``ConnectionManager``)."""

    @property
    def local_running(self) -> bool: ...


DEVICE_WORDS = {"cuda": "GPU", "mps": "Apple GPU", "cpu": "processor"}
EXPLAIN = (
    "Measured by the trainer on this computer. Tokens per second: how fast training "
    "reads the examples (higher is faster). GPU memory: what training holds on the "
    "graphics card; near its size, training may stop with an out-of-memory error."
)


def _numbers(values: list[Any]) -> list[float]:
    """Return the finite numbers among ``values`` (no bools, strings or NaN)."""
    kept = [v for v in values if v.__class__ is float or v.__class__ is int]
    if not all(map(math.isfinite, kept)):
        kept = [v for v in kept if math.isfinite(v)]
    return kept


def local_cost_text(trained_tokens: int | None) -> str:
    """Return the cost line of a job trained on this computer: there is no charge."""
    if trained_tokens is None:
        return "No charge: trained on this computer"
    return f"No charge: {trained_tokens:,} tokens trained on this computer"


def memory_words(megabytes: float) -> str:
    """Return e.g. "850 MB" or "12.3 GB"."""
    if megabytes < 1024:
        return f"{megabytes:,.0f} MB"
    return f"{megabytes / 1024:,.1f} GB"


@dataclass
class HardwareStats:
    """Throughput and memory collected from metrics events (no Qt)."""

    rate: float | None = None
    """Tokens per second at the last step that reported it."""
    rate_total: float = 0.0
    rate_count: int = 0
    memory: float | None = None
    """GPU memory (MB) at the last step that reported it."""
    peak: float = 0.0
    device: str = ""

    def add(self, events: Iterable[EventRow]) -> bool:
        """Take in the metrics events among ``events``; return whether anything was new.

        Runs on the GUI thread with each poll, a long job's whole history at
        first: kept to plain loops over the two keys (bench/local_window_bench.py).
        """
        rates = []
        memories = []
        device = ""
        for event in events:
            data = event.data
            if event.type != "metrics" or not data:
                continue
            rate = data.get("tokens_per_second")
            if rate is not None:
                rates.append(rate)
            memory = data.get("gpu_memory_mb")
            if memory is not None:
                memories.append(memory)
            if not device:
                device = data.get("device") or ""
        rates, memories = _numbers(rates), _numbers(memories)
        if rates:
            self.rate = rates[-1]
            self.rate_total += math.fsum(rates)
            self.rate_count += len(rates)
        if memories:
            self.memory = memories[-1]
            self.peak = max(self.peak, *memories)
        if isinstance(device, str) and device:
            self.device = device
        return bool(rates or memories or device)

    @property
    def empty(self) -> bool:
        """Whether no event carried throughput or memory (an OpenAI job)."""
        return self.rate is None and self.memory is None

    def text(self) -> str:
        """Return the line, e.g. "On the GPU: 2,310 tokens/s (average 2,250) · …"."""
        if self.empty:
            return ""
        parts = []
        if self.device:
            where = DEVICE_WORDS.get(self.device, self.device)
            parts.append(f"Training on the {where} ({self.device})")
        if self.rate is not None:
            mean = self.rate_total / max(self.rate_count, 1)
            parts.append(f"{self.rate:,.0f} tokens/s (average {mean:,.0f})")
        if self.memory is not None:
            parts.append(
                f"GPU memory {memory_words(self.memory)} (peak {memory_words(self.peak)})"
            )
        return " · ".join(parts)


class HardwareLine(QLabel):
    """One line of throughput and GPU memory; hidden while there is nothing to say.

    Parameters
    ----------
    cost
        The Monitor header's cost label: for a job on this computer it says that
        there is no charge (:meth:`say_cost`) instead of "price not known".
    service
        The studio's connection: whether it is the local trainer.
    parent
        The owning widget.
    """

    def __init__(
        self, cost: QLabel, service: Service, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._cost, self._service = cost, service
        self.stats = HardwareStats()
        self.setAccessibleName("Training hardware")
        self.setToolTip(EXPLAIN)
        self.setWordWrap(True)
        self.hide()

    def reset(self) -> None:
        """Forget what was shown (another job, another service)."""
        self.stats = HardwareStats()
        self.clear()
        self.hide()

    def add(self, events: Iterable[EventRow]) -> None:
        """Show what ``events`` add (called with each poll's new events)."""
        if self.stats.add(events):
            self.setText(self.stats.text())
            self.setVisible(not self.stats.empty)

    def say_cost(self, job: JobInfo) -> None:
        """Say in the cost label that ``job`` costs nothing, when it trains here."""
        if self._service.local_running:
            self._cost.setText(local_cost_text(job.trained_tokens))
