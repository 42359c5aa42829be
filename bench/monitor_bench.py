"""Monitor plot speed with 100,000 steps: first draw, live updates, smoothing, hover.

Run: ``.venv/bin/python bench/monitor_bench.py [--steps 100000]`` (offscreen Qt).
Each live update adds a batch of new steps (as one poll brings them), redraws
every curve and renders the widget (``grab()``: offscreen, ``repaint()`` draws
nothing); the figures are wall times.
Exits 1 if the median live update takes 100 ms or more.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from ftstudio.core.monitor.metrics import MetricSeries, metric_block
from ftstudio.core.monitor.watch import EventRow
from ftstudio.gui.application import studio_application
from ftstudio.gui.monitor.models import EventsModel
from ftstudio.gui.monitor.plots import MetricsPlot

EPOCHS = 4


def point(step: int, total: int, rng: random.Random) -> dict[str, float | int]:
    loss = 2.5 * math.exp(-4 * step / total) + 0.1 + rng.gauss(0, 0.08)
    data: dict[str, float | int] = {
        "step": step,
        "total_steps": total,
        "train_loss": loss,
        "train_mean_token_accuracy": 1 - loss / 3,
    }
    if step % 10 == 0:
        data["valid_loss"] = loss + 0.2
        data["valid_mean_token_accuracy"] = 1 - (loss + 0.2) / 3
    if step % (total // EPOCHS) == 0:
        data["full_valid_loss"] = loss + 0.15
        data["full_valid_mean_token_accuracy"] = 1 - (loss + 0.15) / 3
    return data


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    """Run the bench; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=50, help="new steps per update")
    parser.add_argument("--updates", type=int, default=30)
    args = parser.parse_args()
    app = studio_application(sys.argv[1:])
    rng = random.Random(1)
    total = args.steps + args.batch * args.updates
    history = [
        EventRow(
            f"ev-{i}", 1_700_000_000 + i, "info", "", "metrics", point(i, total, rng)
        )
        for i in range(1, args.steps + 1)
    ]
    start = time.perf_counter()
    block = metric_block(history)  # on the worker thread
    block_ms = (time.perf_counter() - start) * 1000
    series = MetricSeries()
    load_ms = timed(lambda: series.add_block(block))  # on the GUI thread
    plot = MetricsPlot(series)
    plot.resize(1100, 600)
    plot.show()
    app.processEvents()
    first = timed(lambda: (plot.redraw(), plot.grab()))
    next_step = args.steps + 1

    def update() -> None:
        nonlocal next_step
        news = [
            EventRow(f"ev-{i}", 0, "info", "", "metrics", point(i, total, rng))
            for i in range(next_step, next_step + args.batch)
        ]
        series.add_block(metric_block(news))
        next_step += args.batch
        plot.redraw()
        plot.grab()  # renders for real; repaint() draws nothing offscreen

    live = [timed(update) for _ in range(args.updates)]
    plot.set_smoothing(50)
    smoothed = [timed(update) for _ in range(10)]
    hover = [timed(lambda: plot.hover_at(rng.uniform(0, total))) for _ in range(200)]
    model = EventsModel()
    rows = [
        EventRow(
            f"ev-{i}",
            1_700_000_000 + i,
            "info",
            f"Step {i}: training loss=1.0",
            "metrics",
        )
        for i in range(args.steps)
    ]
    events_ms = timed(lambda: model.add(rows))
    print(f"points: {len(series):,} steps ({args.batch} new per update)")
    print(
        f"history of {args.steps:,} steps: {block_ms:.0f} ms to collect (worker), "
        f"{load_ms:.1f} ms to add (GUI thread)"
    )
    print(f"first draw: {first:.0f} ms")
    print(
        f"live update: median {statistics.median(live):.1f} ms, "
        f"max {max(live):.1f} ms over {len(live)} updates"
    )
    print(
        f"live update with smoothing over 50 steps: median {statistics.median(smoothed):.1f} ms"
    )
    print(f"hover: median {statistics.median(hover):.2f} ms")
    print(f"events log: {events_ms:.0f} ms to append {args.steps:,} events")
    plot.close()
    return 0 if statistics.median(live) < 100 else 1


if __name__ == "__main__":
    sys.exit(main())
