"""Time "Fix all" and its steps on a generated chat file, as ratios to one baseline.

Usage::

    python bench/fixes_bench.py [--size-mb 35] [--runs 3]

Generates ``bench/data/fixes-<size>mb.jsonl`` with ``gen_dataset`` (seed 7) if
missing, then prints the median time of each fix and its ratio to the baseline,
``fix_duplicates`` (which reads and parses every line, as the others do). The
removal of stray fields is the step added for issue 15; "Fix all" runs on a
worker, so its time is a wait for the result, never a frozen window.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_dataset import generate  # noqa: E402

from ftstudio.core.dataset.store import DatasetStore  # noqa: E402
from ftstudio.core.validation import fixes  # noqa: E402

STEPS = ("fix_duplicates", "fix_fields", "fix_stray_fields", "all_fixes")


def main() -> None:
    """Generate the file if needed and print the times and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=35)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = HERE / "data" / f"fixes-{args.size_mb:g}mb.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        generate(path, args.size_mb)
    store = DatasetStore.open(path)
    lines = len(store)
    times: dict[str, list[float]] = {name: [] for name in STEPS}
    try:
        for _ in range(args.runs):  # interleaved, so load changes hit every step
            for name in STEPS:
                start = time.perf_counter()
                getattr(fixes, name)(store)
                times[name].append(time.perf_counter() - start)
    finally:
        store.close()
    base = statistics.median(times["fix_duplicates"])
    print(f"{path.name}: {lines:,} lines, median of {args.runs} runs")
    for name in STEPS:
        median = statistics.median(times[name])
        print(f"  {name:18} {median:6.2f} s  {median / base:5.2f}x baseline")


if __name__ == "__main__":
    main()
