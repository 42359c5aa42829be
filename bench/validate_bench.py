"""Time ``ftstudio validate`` against a plain one-file baseline on the same file.

Usage::

    python bench/validate_bench.py [--shape repeated|unique|tools|all|short|multilingual|others]
        [--size-mb 100] [--runs 3] [--big-gb 1] [--first-mb 100]

Shapes: ``repeated`` (``gen_dataset``: most examples share a long system
prompt), ``unique`` (no text repeats; weighted multi-turn examples) and
``tools`` (tool-calling examples), both from ``gen_shapes``; ``all`` is these
three. ``others`` is two shapes unlike them from ``gen_shapes``: ``short``
(messages of a few characters) and ``multilingual`` (long non-English
documents). Generates each
file under ``bench/data/`` (deterministic) if missing, then prints:

* the median time of the baseline (json.loads each line, tiktoken ``encode``
  each message value one at a time, the usual cookbook format checks), of the
  core ``validate_path`` in-process, and of ``ftstudio validate --json`` as a
  subprocess when the CLI is installed, and the ratios to the baseline;
* the median time to re-validate after editing one line;
* with ``--first-mb``, how long ``validate_path`` takes to yield the first
  findings of a file of that size (of the lines checked first), and to
  finish;
* with ``--big-gb``, the peak resident memory (ru_maxrss, of the validating
  process and of its largest worker) for validating a file of that size, which
  is generated under ``bench/data/`` and deleted afterwards.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
sys.path.insert(0, str(HERE))

from gen_dataset import generate  # noqa: E402
from gen_shapes import generate as generate_shape  # noqa: E402

_KEYS = ("role", "content", "name", "weight", "tool_calls", "tool_call_id")


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
                if any(k not in _KEYS for k in message):
                    errors += 1
                n += 3
                for key, value in message.items():
                    if isinstance(value, str):
                        n += len(enc.encode(value))
                    elif key == "tool_calls" and value:
                        n += len(enc.encode(json.dumps(value)))
                    if key == "name":
                        n += 1
            if not any(m.get("role") == "assistant" for m in messages):
                errors += 1
            if example.get("tools"):
                n += len(enc.encode(json.dumps(example["tools"])))
            tokens += n
    return errors, tokens


def core(path: Path) -> int:
    """Validate in-process with the core API (worker processes for big files)."""
    from ftstudio.core.validation.validator import validate_file

    return validate_file(path, "gpt-4o-mini").tokens.total


def core_one_process(path: Path) -> int:
    """Validate in this process only: shows what the per-line work costs alone."""
    from ftstudio.core.progress import run_to_end as drain
    from ftstudio.core.validation.validator import validate_path

    return drain(validate_path(path, "gpt-4o-mini", workers=1)).tokens.total


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


def _cpu() -> float:
    """CPU seconds used by this process and its finished children so far."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(
    fns: dict[str, object], path: Path, runs: int
) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each function.

    Runs interleave so that load from other programs drifts over all alike.
    """
    wall: dict[str, list[float]] = {name: [] for name in fns}
    cpu: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            c0, t0 = _cpu(), time.perf_counter()
            fn(path)  # type: ignore[operator]
            wall[name].append(time.perf_counter() - t0)
            cpu[name].append(_cpu() - c0)
    return {n: (statistics.median(wall[n]), statistics.median(cpu[n])) for n in fns}


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
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, report.examples)
"""


def _rss_kb(pid: int) -> tuple[int, int]:
    """Return (resident, anonymous resident) kB of ``pid`` from /proc, or zeros."""
    fields = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            fields[name] = value.split()[0] if value.split() else "0"
    except OSError:
        return 0, 0
    return int(fields.get("VmRSS", 0)), int(fields.get("RssAnon", 0))


def _tree(pid: int) -> list[int]:
    """Return ``pid`` and its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            kids = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        todo += [int(k) for k in kids]
    return out


def peak_memory(size_gb: float) -> None:
    """Validate a generated file of ``size_gb`` GB in a child process; print peaks.

    ru_maxrss of the validating process counts the mapped file's pages it
    touched (file-backed, reclaimable). Workers' own ru_maxrss is useless on
    Linux (it keeps the parent's size from the fork before exec), so the whole
    process tree is sampled from /proc every 50 ms instead.
    """
    big = DATA / "chat_big.jsonl"
    print(f"generating {size_gb} GB file…", flush=True)
    generate(big, size_gb * 1024, seed=11)
    try:
        script = DATA / "peak.py"
        script.write_text(_PEAK)
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, str(script), str(big)], stdout=subprocess.PIPE, text=True
        )
        peak_total = peak_anon = 0
        while child.poll() is None:
            sizes = [_rss_kb(p) for p in _tree(child.pid)]
            peak_total = max(peak_total, sum(s[0] for s in sizes))
            peak_anon = max(peak_anon, sum(s[1] for s in sizes))
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        assert child.stdout is not None
        own, examples = (int(x) for x in child.stdout.read().split())
        print(
            f"1 file of {big.stat().st_size / 1e9:.2f} GB, {examples:,} examples: "
            f"validated in {seconds:.1f} s; ru_maxrss of the validating process "
            f"{own / 1024:.0f} MB; sampled peak of all its processes together "
            f"{peak_total / 1024:.0f} MB resident, of which {peak_anon / 1024:.0f} MB "
            "anonymous (the rest is the mapped file)"
        )
    finally:
        big.unlink(missing_ok=True)
        (DATA / "peak.py").unlink(missing_ok=True)


def first_findings(path: Path) -> tuple[float, float, int]:
    """Return seconds to the first findings, to the end, and their count."""
    from ftstudio.core.validation.early import EarlyFindings
    from ftstudio.core.validation.validator import validate_path

    start = time.perf_counter()
    first, count = float("nan"), 0
    gen = validate_path(path, "gpt-4o-mini")
    while True:
        try:
            item = next(gen)
        except StopIteration:
            break
        if isinstance(item, EarlyFindings):
            first, count = time.perf_counter() - start, len(item.findings)
    return first, time.perf_counter() - start, count


def shape_file(shape: str, size_mb: float) -> Path:
    """Return the generated file of ``shape`` and size, writing it if missing."""
    name = "chat" if shape == "repeated" else shape
    path = DATA / f"{name}{int(size_mb)}.jsonl"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        if shape == "repeated":
            generate(path, size_mb)
        else:
            generate_shape(shape, path, size_mb)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--shape",
        choices=[
            "repeated",
            "unique",
            "tools",
            "short",
            "multilingual",
            "all",
            "others",
        ],
        default="all",
        help="all: the three of the targets; others: short and multilingual",
    )
    parser.add_argument("--size-mb", type=float, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big-gb", type=float, default=0)
    parser.add_argument("--first-mb", type=float, default=0)
    parser.add_argument("--no-revalidate", action="store_true")
    args = parser.parse_args()
    shapes = {
        "all": ["repeated", "unique", "tools"],
        "others": ["short", "multilingual"],
    }.get(args.shape, [args.shape])
    for shape in shapes:
        bench_file(shape_file(shape, args.size_mb), args.runs, not args.no_revalidate)
    if args.first_mb:
        path = shape_file("repeated", args.first_mb)
        first, whole, count = first_findings(path)
        print(
            f"{path.name} ({path.stat().st_size / 1e6:.0f} MB): first "
            f"findings ({count}) after {first:.2f} s, full report after {whole:.2f} s"
        )
    if args.big_gb:
        peak_memory(args.big_gb)


def bench_file(path: Path, runs: int, again: bool) -> None:
    """Print the timings of one file."""
    size = path.stat().st_size / 1e6
    print(f"file: {path.name}, {size:.0f} MB, median of {runs} runs")
    core(path)  # warm the page cache and load the tokenizer once for everyone
    fns: dict[str, object] = {
        "baseline": baseline,
        "core": core,
        "core_one_process": core_one_process,
    }
    labels = {
        "baseline": "baseline (json + tiktoken, one file)",
        "core": "core validate_path in-process",
        "core_one_process": "core validate_path, no workers",
        "cli": "ftstudio validate --json (process)",
    }
    if importlib.util.find_spec("ftstudio.cli.validate_cmd") is not None:
        fns["cli"] = cli
    else:
        print("ftstudio validate is not built yet: subprocess timing skipped")
    med = timed(fns, path, runs)
    base_wall, base_cpu = med["baseline"]
    for name, (wall, cpu) in med.items():
        print(
            f"{labels[name]:38s} wall {wall:6.2f} s (ratio {wall / base_wall:.2f})"
            f"   CPU {cpu:6.2f} s (ratio {cpu / base_cpu:.2f})"
        )
    if again:
        seconds = revalidate(path)
        print(
            f"re-validate after editing one line:  {seconds * 1000:.1f} ms (median of 5)"
        )


if __name__ == "__main__":
    main()
