"""The Monitor tab: live loss curves, progress, hints, events and checkpoints of a job."""

from __future__ import annotations

from ftstudio.gui.monitor.tab import MonitorTab

__all__ = ["MonitorTab"]
