"""What local training adds to the window's time: the hardware line per poll, the start.

Run: ``.venv/bin/python bench/local_window_bench.py [--steps 100000] [--runs 5]``.

1. The Monitor's hardware line reads every metrics event on the GUI thread, like
   the events log does. Baseline: ``EventsModel.add`` of the same events (work the
   tab already does on each poll); figure: ``HardwareStats.add``. Both over the
   whole history of a ``--steps`` job (the first poll of a long job) and over one
   poll's 50 new events.
2. Starting the service from Settings. Baseline: the simulated sandbox's start;
   figure: the local trainer's (``start_local``: PyTorch loads, the device is
   looked at). Skipped without the training extra. This is why Settings starts it
   on a worker.

Prints medians and ratios against the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ftstudio.core.monitor.watch import EventRow
from ftstudio.gui.monitor.hardware import HardwareStats
from ftstudio.gui.monitor.models import EventsModel


def events(steps: int) -> list[EventRow]:
    """Return the metrics events of a local job of ``steps`` steps on a GPU."""
    return [
        EventRow(
            f"ftevent-{step}",
            1_700_000_000 + step,
            "info",
            f"Step {step}/{steps}: training loss=1.0",
            "metrics",
            {
                "step": step,
                "total_steps": steps,
                "train_loss": 1.0,
                "train_mean_token_accuracy": 0.5,
                "tokens_per_second": 2000.0 + step % 17,
                "gpu_memory_mb": 14_000.0 + step % 31,
                "device": "cuda",
            },
        )
        for step in range(1, steps + 1)
    ]


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def per_poll(steps: int, runs: int) -> None:
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance() or QCoreApplication([])
    history = events(steps)
    poll = history[-50:]
    for name, batch in (
        (f"whole history ({steps:,} events)", history),
        ("one poll (50 events)", poll),
    ):
        base = median_time(lambda b=batch: EventsModel().add(b), runs)
        line = median_time(lambda b=batch: HardwareStats().add(b), runs)
        print(
            f"{name}: events log {base * 1000:8.2f} ms (1.00)   "
            f"hardware line {line * 1000:8.2f} ms ({line / base:.2f})"
        )
    del app


START = """
import sys, time, tempfile
from pathlib import Path
t = time.perf_counter()
if sys.argv[1] == "local":
    from ftstudio.gui.connection import start_local
    from ftstudio.core.progress import run_to_end
    service = run_to_end(start_local(Path(sys.argv[2]), "auto"))
    server = service.server
else:
    from ftstudio.sandbox.server import SandboxServer
    server = SandboxServer(Path(tempfile.mkdtemp()), api_key="k")
    server.start()
print(time.perf_counter() - t)
server.stop()
"""


def start_times(runs: int) -> None:
    from ftstudio.sandbox.local import available

    if available() is not None:
        print("start: skipped (the training extra is not installed)")
        return
    models = Path(tempfile.mkdtemp())
    env = {
        **os.environ,
        "FTSTUDIO_DATA_DIR": tempfile.mkdtemp(),
        "HF_HUB_CACHE": str(models),
    }

    def once(kind: str) -> float:
        # a fresh process each time: the first start pays PyTorch's import, as it does
        # when the user picks "This computer" once per session
        out = subprocess.run(
            [sys.executable, "-c", START, kind, str(models)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return float(out.stdout.strip().splitlines()[-1])

    sandbox = statistics.median(once("sandbox") for _ in range(runs))
    local = statistics.median(once("local") for _ in range(runs))
    print(
        f"start: sandbox {sandbox * 1000:7.0f} ms (1.00)   local trainer "
        f"{local * 1000:7.0f} ms ({local / sandbox:.1f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    per_poll(args.steps, args.runs)
    start_times(max(1, args.runs // 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
