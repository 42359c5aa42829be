"""Time ``ftstudio validate`` against a plain one-file baseline on the same file.

Usage::

    python bench/validate_bench.py [--size-mb 100] [--runs 3] [--big-gb 1]

Generates ``bench/data/chat100.jsonl`` (deterministic) if missing, then prints:

* the median time of the baseline (json.loads each line, tiktoken ``encode``
  each message value one at a time, the usual cookbook format checks), of the
  core ``validate_path`` in-process, and of ``ftstudio validate --json`` as a
  subprocess when the CLI is installed, and the ratios to the baseline;
* the median time to re-validate after editing one line;
* with ``--big-gb``, the peak resident memory (ru_maxrss, of the validating
  process and of its largest worker) for validating a file of that size, which
  is generated under ``bench/data/`` and deleted afterwards.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
sys.path.insert(0, str(HERE))

from gen_dataset import generate  # noqa: E402


def baseline(path: Path) -> tuple[int, int]:
    """Validate and count tokens the usual way: one file, no tricks."""
    from ftstudio.core.tokens.encodings import get_encoding

    enc = get_encoding("o200k_base")  # what tiktoken.get_encoding would return
    errors = tokens = 0
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                errors += 1
                continue
            try:
                example = json.loads(line)
            except ValueError:
                errors += 1
                continue
            messages = example.get("messages") if isinstance(example, dict) else None
            if not messages:
                errors += 1
                continue
            n = 3
            for message in messages:
                if "role" not in message or "content" not in message:
                    errors += 1
                if any(k not in ("role", "content", "name", "weight") for k in message):
                    errors += 1
                n += 3
                for key, value in message.items():
                    if isinstance(value, str):
                        n += len(enc.encode(value))
                    if key == "name":
                        n += 1
            if not any(m.get("role") == "assistant" for m in messages):
                errors += 1
            tokens += n
    return errors, tokens


def core(path: Path) -> int:
    """Validate in-process with the core API."""
    from ftstudio.core.validation.validator import validate_file

    return validate_file(path, "gpt-4o-mini").tokens.total


def cli(path: Path) -> int:
    """Run ``ftstudio validate --json`` as a user would."""
    done = subprocess.run(
        [sys.executable, "-m", "ftstudio", "validate", str(path), "--json"],
        capture_output=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr.decode())
    return int(json.loads(done.stdout)["tokens"]["total"])


def timed(fn, path: Path, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def revalidate(path: Path, edits: int = 5) -> float:
    """Median time to re-validate after replacing one line."""
    from ftstudio.core.dataset.edits import set_value
    from ftstudio.core.dataset.store import DatasetStore
    from ftstudio.core.validation.validator import Validator

    store = DatasetStore.open(path)
    validator = Validator(store, "gpt-4o-mini")
    validator.validate()
    times = []
    for i in range(edits):
        row = (i + 1) * len(store) // (edits + 1)
        value = {
            "messages": [
                {"role": "user", "content": f"Edited question {i}?"},
                {"role": "assistant", "content": f"Edited answer {i}."},
            ]
        }
        set_value(store, row, value).apply(store)
        start = time.perf_counter()
        validator.validate()
        times.append(time.perf_counter() - start)
    store.close()
    return statistics.median(times)


_PEAK = """
import resource, sys
from ftstudio.core.validation.validator import validate_file
if __name__ == "__main__":
    report = validate_file(sys.argv[1], "gpt-4o-mini")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(own, kids, report.examples)
"""


def peak_memory(size_gb: float) -> None:
    big = DATA / "chat_big.jsonl"
    print(f"generating {size_gb} GB file…", flush=True)
    generate(big, size_gb * 1024, seed=11)
    try:
        script = DATA / "peak.py"
        script.write_text(_PEAK)
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, str(script), str(big)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        seconds = time.perf_counter() - start
        own, kids, examples = (int(x) for x in out)
        print(
            f"1 file of {big.stat().st_size / 1e9:.2f} GB, {examples:,} examples: "
            f"validated in {seconds:.1f} s; peak RSS main process "
            f"{own / 1024:.0f} MB, largest worker {kids / 1024:.0f} MB"
        )
    finally:
        big.unlink(missing_ok=True)
        (DATA / "peak.py").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=float, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big-gb", type=float, default=0)
    args = parser.parse_args()
    path = DATA / f"chat{int(args.size_mb)}.jsonl"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        generate(path, args.size_mb)
    size = path.stat().st_size / 1e6
    print(f"file: {path.name}, {size:.0f} MB, median of {args.runs} runs")
    core(path)  # warm the page cache and load the tokenizer once for everyone
    base = timed(baseline, path, args.runs)
    print(f"baseline (json + tiktoken, one file): {base:.2f} s")
    ours = timed(core, path, args.runs)
    print(f"core validate_path in-process:       {ours:.2f} s  ratio {ours / base:.2f}")
    if importlib.util.find_spec("ftstudio.cli.validate_cmd") is not None:
        sub = timed(cli, path, args.runs)
        print(
            f"ftstudio validate --json subprocess: {sub:.2f} s  ratio {sub / base:.2f}"
        )
    else:
        print("ftstudio validate is not built yet: subprocess timing skipped")
    again = revalidate(path)
    print(f"re-validate after editing one line:  {again * 1000:.1f} ms (median of 5)")
    if args.big_gb:
        peak_memory(args.big_gb)


if __name__ == "__main__":
    main()
