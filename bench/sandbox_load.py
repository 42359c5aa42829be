"""Load bench: 50 clients poll a job's events every 100 ms; report request latency.

Runs the sandbox as a separate process (``ftstudio sandbox --port 0``), like a
user would, so client and server do not share one interpreter. Bounded in time,
127.0.0.1 only. Usage::

    .venv/bin/python bench/sandbox_load.py [--clients 50] [--interval 0.1] [--duration 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import h11
import httpx2

KEY = "sk-test-not-a-real-key"
USE_HTTPX2 = False


def start_sandbox(data: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ftstudio",
            "sandbox",
            "--port",
            "0",
            "--data",
            str(data),
            "--key",
            KEY,
            "--speed",
            "1",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    for _ in range(10):
        line = proc.stdout.readline()
        if "Base URL" in line:
            return proc, line.split()[-1]
    proc.kill()
    raise SystemExit("the sandbox did not start")


def make_jobs(base_url: str, count: int, tmp: Path) -> list[str]:
    rows = [
        {
            "messages": [
                {"role": "user", "content": f"question {i}"},
                {"role": "assistant", "content": f"answer {i}"},
            ]
        }
        for i in range(200)
    ]
    train = tmp / "train.jsonl"
    train.write_text("".join(json.dumps(r) + "\n" for r in rows))
    headers = {"Authorization": f"Bearer {KEY}"}
    with httpx2.Client(base_url=base_url, headers=headers, timeout=30) as c:
        with train.open("rb") as fh:
            file_id = c.post(
                "/files",
                files={"file": ("train.jsonl", fh)},
                data={"purpose": "fine-tune"},
            ).json()["id"]
        body = {
            "model": "gpt-4o-mini",
            "training_file": file_id,
            "validation_file": file_id,
            "hyperparameters": {"n_epochs": 10},
        }
        return [
            c.post("/fine_tuning/jobs", json=body).json()["id"] for _ in range(count)
        ]


class Connection:
    """One keep-alive HTTP/1.1 connection driven by h11 (a light client, so the
    bench measures the server rather than the client library's overhead)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.conn = h11.Connection(h11.CLIENT)

    async def get(self, target: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                self.host, self.port
            )
        assert self.reader is not None
        headers = [
            ("host", f"{self.host}:{self.port}"),
            ("authorization", f"Bearer {KEY}"),
        ]
        self.writer.write(
            self.conn.send(h11.Request(method="GET", target=target, headers=headers))
        )
        self.writer.write(self.conn.send(h11.EndOfMessage()))
        status = 0
        while True:
            event = self.conn.next_event()
            if event is h11.NEED_DATA:
                data = await self.reader.read(65536)
                if not data:
                    raise ConnectionError("server closed the connection")
                self.conn.receive_data(data)
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.EndOfMessage):
                self.conn.start_next_cycle()
                return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def client_loop(
    base_url: str, job_id: str, interval: float, until: float, out: Results
) -> None:
    url = urlsplit(base_url)
    conn: Connection | Httpx2Connection
    if USE_HTTPX2:
        conn = Httpx2Connection(f"{url.scheme}://{url.netloc}")
    else:
        conn = Connection(url.hostname or "127.0.0.1", url.port or 80)
    target = f"{url.path}/fine_tuning/jobs/{job_id}/events?limit=20"
    # Start the clients spread over one interval, as independent pollers would be.
    next_at = time.perf_counter() + random.random() * interval
    await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
    try:
        while next_at < until:
            start = time.perf_counter()
            try:
                status = await conn.get(target)
            except (OSError, h11.ProtocolError, httpx2.HTTPError) as exc:
                out.errors.append(type(exc).__name__)
                if isinstance(conn, Connection):
                    conn = Connection(conn.host, conn.port)
            else:
                if status == 200:
                    out.latencies.append((time.perf_counter() - start) * 1000)
                else:
                    out.errors.append(str(status))
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
    finally:
        await conn.close()


class Httpx2Connection:
    """The SDK's HTTP stack (httpx2), for comparison: heavier on the client side."""

    def __init__(self, base: str) -> None:
        self.client = httpx2.AsyncClient(
            base_url=base, headers={"authorization": f"Bearer {KEY}"}, timeout=5
        )

    async def get(self, target: str) -> int:
        response = await self.client.get(target)
        await response.aread()
        return response.status_code

    async def close(self) -> None:
        await self.client.aclose()


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def run_load(
    base_url: str, jobs: list[str], clients: int, interval: float, duration: float
) -> tuple[list[float], list[str], float]:
    out = Results()
    start = time.perf_counter()
    until = start + duration
    await asyncio.gather(
        *(
            client_loop(base_url, jobs[i % len(jobs)], interval, until, out)
            for i in range(clients)
        )
    )
    return out.latencies, out.errors, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--jobs", type=int, default=5)
    parser.add_argument(
        "--httpx2", action="store_true", help="poll with httpx2 (the SDK's stack)"
    )
    args = parser.parse_args()
    global USE_HTTPX2  # noqa: PLW0603 - a bench switch, set once before the run
    USE_HTTPX2 = args.httpx2
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        proc, base_url = start_sandbox(tmp / "data")
        try:
            jobs = make_jobs(base_url, args.jobs, tmp)
            latencies, errors, elapsed = asyncio.run(
                run_load(base_url, jobs, args.clients, args.interval, args.duration)
            )
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(10)
    lat = sorted(latencies)
    q = statistics.quantiles(lat, n=100)
    print(
        f"client={'httpx2' if USE_HTTPX2 else 'h11'} clients={args.clients} interval={args.interval * 1000:.0f}ms duration={elapsed:.1f}s jobs={len(jobs)}"
    )
    print(f"requests={len(lat)} ({len(lat) / elapsed:.0f}/s) errors={len(errors)}")
    print(
        f"latency ms: median={statistics.median(lat):.2f} p90={q[89]:.2f} p99={q[98]:.2f} max={lat[-1]:.2f}"
    )
    ok = statistics.median(lat) < 20 and not errors
    print("PASS: median under 20 ms" if ok else "FAIL: median 20 ms or more, or errors")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
