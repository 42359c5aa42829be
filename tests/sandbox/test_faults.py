"""Fault injection: refused, failed, slow and dropped requests, repeatably."""

from __future__ import annotations

import time
from pathlib import Path

import httpx2
import openai
import pytest

from ftstudio.sandbox.faults import FaultConfig
from ftstudio.sandbox.server import SandboxServer
from tests.sandbox_data import KEY


def statuses(base_url: str, n: int) -> list[int]:
    with httpx2.Client(
        base_url=base_url, headers={"Authorization": f"Bearer {KEY}"}
    ) as c:
        return [c.get("/models").status_code for _ in range(n)]


def test_shares_of_429_500_503_are_repeatable_with_a_seed(tmp_path: Path) -> None:
    faults = FaultConfig(rate_limit=0.2, server_error=0.1, unavailable=0.1, seed=7)
    runs = []
    for i in range(2):
        with SandboxServer(tmp_path / f"d{i}", api_key=KEY, faults=faults) as srv:
            runs.append(statuses(srv.base_url, 200))
    assert runs[0] == runs[1]
    counts = {code: runs[0].count(code) for code in (200, 429, 500, 503)}
    assert sum(counts.values()) == 200
    assert 20 <= counts[429] <= 60
    assert 5 <= counts[500] <= 35
    assert 5 <= counts[503] <= 35


def test_429_carries_retry_after_and_the_sdk_retries(tmp_path: Path) -> None:
    faults = FaultConfig(rate_limit=1.0, retry_after=0.01, seed=1)
    with SandboxServer(tmp_path / "d", api_key=KEY, faults=faults) as srv:
        with httpx2.Client(headers={"Authorization": f"Bearer {KEY}"}) as c:
            r = c.get(f"{srv.base_url}/models")
        assert r.status_code == 429
        assert r.headers["retry-after"] == "0.01"
        assert r.headers["retry-after-ms"] == "10"
        assert r.json()["error"]["code"] == "rate_limit_exceeded"
        client = openai.OpenAI(base_url=srv.base_url, api_key=KEY, max_retries=2)
        with pytest.raises(openai.RateLimitError):
            client.models.list()
        client.close()
        assert srv.sandbox.faults is not None
        assert srv.sandbox.faults.injected["429"] == 4  # one plain + three by the SDK


def test_latency_is_added(tmp_path: Path) -> None:
    with SandboxServer(
        tmp_path / "d", api_key=KEY, faults=FaultConfig(latency=0.2)
    ) as srv:
        start = time.perf_counter()
        assert statuses(srv.base_url, 2) == [200, 200]
        assert time.perf_counter() - start >= 0.4


def test_dropped_connection_after_the_work_was_done(
    tmp_path: Path, train_file: Path
) -> None:
    faults = FaultConfig(drop=1.0, seed=3)
    with SandboxServer(tmp_path / "d", api_key=KEY, faults=faults) as srv:
        client = openai.OpenAI(
            base_url=srv.base_url, api_key=KEY, max_retries=0, timeout=5
        )
        with pytest.raises(openai.APIConnectionError):
            client.files.create(file=train_file, purpose="fine-tune")
        client.close()
        # The client saw nothing, yet the server stored the file.
        assert [f["filename"] for f in srv.sandbox.state.files.values()] == [
            "train.jsonl"
        ]


def test_invalid_shares_are_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        FaultConfig(rate_limit=0.7, server_error=0.5)
    with pytest.raises(ValueError, match="negative"):
        FaultConfig(latency=-1)
