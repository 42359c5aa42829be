"""Does orjson pay? Parse every line of a generated JSONL with the stdlib and with orjson.

Usage: ``python bench/json_parse_bench.py [--size-mb 50] [--runs 5]``. Prints the
median time of each and the ratio orjson / stdlib (lower is better).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=float, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.jsonl"
        subprocess.run(
            [
                sys.executable,
                str(HERE / "gen_dataset.py"),
                str(path),
                "--size-mb",
                str(args.size_mb),
            ],
            check=True,
        )
        lines = path.read_bytes().splitlines()
    timings: dict[str, list[float]] = {"stdlib json.loads": [], "orjson.loads": []}
    for _ in range(args.runs):
        for name, loads in (
            ("stdlib json.loads", json.loads),
            ("orjson.loads", orjson.loads),
        ):
            start = time.perf_counter()
            for line in lines:
                with contextlib.suppress(ValueError):
                    loads(line)
            timings[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(t) for name, t in timings.items()}
    for name, value in medians.items():
        print(f"{name:18} {value:.3f} s (median of {args.runs}, {len(lines):,} lines)")
    print(
        f"ratio orjson / stdlib: {medians['orjson.loads'] / medians['stdlib json.loads']:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
