"""The shutdown kit's archive: a first run against a re-run that finds nothing new.

Run: ``.venv/bin/python bench/archive_bench.py [--jobs 6] [--examples 200] [--runs 3]``.

Starts the sandbox on loopback, trains ``--jobs`` jobs on ``--examples``-example
files, then archives the account into a fresh folder (the baseline: everything is
fetched) and archives it again into the same folder (only what is new, here
nothing). Prints each median and the re-run's time as a ratio of the first run's.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import openai

from ftstudio.core.archive.collect import archive_account
from ftstudio.core.progress import run_to_end
from ftstudio.sandbox.server import SandboxServer

KEY = "sk-test-bench"


def _rows(n: int, start: int) -> list[str]:
    import json

    return [
        json.dumps(
            {
                "messages": [
                    {"role": "user", "content": f"Question {i} about the archive?"},
                    {
                        "role": "assistant",
                        "content": f"Answer {i}: kept byte for byte.",
                    },
                ]
            }
        )
        for i in range(start, start + n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=6)
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        SandboxServer(Path(tmp) / "sandbox", api_key=KEY, speed=600.0) as server,
    ):
        client = openai.OpenAI(base_url=server.base_url, api_key=KEY, max_retries=0)
        ids = []
        for j in range(args.jobs):
            path = Path(tmp) / f"train{j}.jsonl"
            path.write_text("\n".join(_rows(args.examples, j * 1000)) + "\n")
            with path.open("rb") as f:
                uploaded = client.files.create(file=f, purpose="fine-tune")
            ids.append(
                client.fine_tuning.jobs.create(
                    model="gpt-4o-mini", training_file=uploaded.id
                ).id
            )
        while any(
            client.fine_tuning.jobs.retrieve(i).status not in ("succeeded", "failed")
            for i in ids
        ):
            time.sleep(0.2)
        first, again = [], []
        for run in range(args.runs):
            out = Path(tmp) / f"archive{run}"
            t0 = time.perf_counter()
            summary = run_to_end(archive_account(client, out))
            first.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            rerun = run_to_end(archive_account(client, out))
            again.append(time.perf_counter() - t0)
        client.close()
    a, b = statistics.median(first), statistics.median(again)
    print(f"{args.jobs} jobs, {summary.new_events} events, {summary.new_files} files")
    print(f"first archive  {a * 1000:8.0f} ms  (baseline 1.00)")
    print(
        f"re-run         {b * 1000:8.0f} ms  ({b / a:.2f} of the first run; added {rerun.new_events} events, {rerun.new_files} files)"
    )


if __name__ == "__main__":
    main()
