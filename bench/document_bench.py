"""What keeping data safe costs: reading a file whole vs mapping it, exact parsing vs plain.

Usage: ``python bench/document_bench.py [--size-mb 50] [--runs 5]``. On a
generated chat JSONL (``gen_dataset.py``, warm page cache), prints the median of:

* **open, mmap (baseline)**: the old ``DatasetStore.open``: map the file and
  index its lines (fast, but a file shortened meanwhile kills the process);
* **open, read**: today's ``DatasetStore.open``: read it whole, stamp it,
  index its lines;
* **parse, orjson (baseline)**: ``orjson.loads`` of every line;
* **parse, parse_line**: today's ``parse_line`` (numbers kept as written,
  nesting checked) of every line;
* **validate, plain parse (baseline)** / **validate, parse_line**: what a user
  waits for: ``validate_path`` in this process only, with the line checks
  parsing by plain ``orjson.loads`` (the old fast path) or by ``parse_line``;

each with its ratio to its baseline (lower is better).
"""

from __future__ import annotations

import argparse
import contextlib
import mmap
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from ftstudio.core.dataset.lineindex import index_lines
from ftstudio.core.dataset.parse import LineKind, ParsedLine, parse_line
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.progress import run_to_end
from ftstudio.core.validation import linecheck
from ftstudio.core.validation.validator import validate_path

HERE = Path(__file__).resolve().parent


def open_mapped(path: Path) -> int:
    with path.open("rb") as f:
        data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(data)
    count = run_to_end(index_lines(view)).line_count
    view.release()
    data.close()
    return count


def open_read(path: Path) -> int:
    store = DatasetStore.open(path)
    count = len(store)
    store.close()
    return count


def median_time(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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

        def orjson_all() -> None:
            for line in lines:
                with contextlib.suppress(ValueError):
                    orjson.loads(line)

        def parse_all() -> None:
            for line in lines:
                parse_line(line)

        def validate() -> None:
            run_to_end(validate_path(path, "gpt-4o-mini", workers=1))

        def plain(raw: bytes) -> ParsedLine:
            try:
                return ParsedLine(LineKind.JSON, orjson.loads(raw))
            except orjson.JSONDecodeError:
                return parse_line(raw)

        validate()  # loads the tokenizer once, outside the timings
        exact_times, plain_times = [], []
        for _ in range(args.runs):  # interleaved: the machine's load hits both
            exact_times.append(median_time(validate, 1))
            linecheck.parse_line = plain  # type: ignore[assignment]
            try:
                plain_times.append(median_time(validate, 1))
            finally:
                linecheck.parse_line = parse_line
        exact_validate = statistics.median(exact_times)
        plain_validate = statistics.median(plain_times)
        figures = {
            "open, mmap (baseline)": median_time(lambda: open_mapped(path), args.runs),
            "open, read": median_time(lambda: open_read(path), args.runs),
            "parse, orjson (baseline)": median_time(orjson_all, args.runs),
            "parse, parse_line": median_time(parse_all, args.runs),
            "validate, plain parse (baseline)": plain_validate,
            "validate, parse_line": exact_validate,
        }
    base = {
        "open": figures["open, mmap (baseline)"],
        "parse": figures["parse, orjson (baseline)"],
        "validate": plain_validate,
    }
    print(f"{len(lines):,} lines, {args.size_mb:g} MB, median of {args.runs}")
    for name, value in figures.items():
        ratio = value / base[name.split(",")[0]]
        print(f"{name:34} {value * 1000:8.1f} ms   ratio {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
