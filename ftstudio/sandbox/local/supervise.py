"""Ending trainer processes and reading why one died."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

_STOP_WAIT = 5.0


def _ours(pid: int, folder: Path) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False  # gone, or not Linux: leave an unknown process alone
    return str(folder).encode() in cmdline


def stop_child(process: subprocess.Popen[bytes]) -> None:
    """End our trainer child process and its session: TERM, then KILL after 5 s."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(_STOP_WAIT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(_STOP_WAIT)


def stop_process(pid: int | None, folder: Path) -> None:
    """End a trainer process left by an earlier run of the service.

    Only a process whose command line names the job ``folder`` is ended (a
    process id from an earlier run may belong to another program now).
    """
    if not pid or not _ours(pid, folder):
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + _STOP_WAIT
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def crash_reason(log: Path, returncode: int | None) -> str:
    """Return a plain reason for a trainer process that ended without an outcome."""
    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        if -returncode == signal.SIGKILL:
            return (
                f"The trainer process stopped unexpectedly: it was killed ({name}), "
                "most often by the system when memory runs out. Lower the batch size, "
                "keep LoRA on, or pick a smaller model."
            )
        return f"The trainer process stopped unexpectedly: it was ended by {name}."
    try:
        lines = [ln.strip() for ln in log.read_text("utf-8", "replace").splitlines()]
    except OSError:
        lines = []
    errors = [ln for ln in lines if "Error" in ln or "Exception" in ln]
    last = errors[-1] if errors else ""
    if "out of memory" in last.lower():
        return "The trainer ran out of memory. Lower the batch size, keep LoRA on, or pick a smaller model."
    if last:
        return f"The trainer process stopped unexpectedly: {last[:300]}"
    return f"The trainer process stopped unexpectedly (exit code {returncode}) without saying why."
