"""The last create attempt reaches the service but its answer is lost on the way back."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import openai
import pytest

from ftstudio.core.api import retry
from ftstudio.core.api.launch import (
    LAUNCH_TAG,
    MAY_HAVE_STARTED,
    create_job_once,
    unsure_launch,
)
from ftstudio.core.api.retry import run_to_end
from ftstudio.core.errors import FtError

FAKE_KEY = "sk-test-fake"
SOURCE = "/data/train.jsonl"
PARAMS = {"model": "gpt-4o-mini", "training_file": "file-abc"}


class Proxy:
    """A service behind a proxy: only the last create attempt gets through, and
    its answer is dropped; look-ups after it fail while ``lookups_fail`` is set."""

    def __init__(self, lookups_fail: bool) -> None:
        self.jobs: list[dict[str, Any]] = []
        self.creates = 0
        self.lookups_fail = lookups_fail

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        if request.method == "POST" and request.url.path.endswith("/fine_tuning/jobs"):
            self.creates += 1
            if self.creates < retry.MAX_ATTEMPTS:
                return httpx2.Response(503, json={"error": {"message": "busy"}})
            body = json.loads(request.content)
            self.jobs.append(
                {
                    "id": f"ftjob-{len(self.jobs) + 1}",
                    "object": "fine_tuning.job",
                    "model": body["model"],
                    "status": "queued",
                    "created_at": 1,
                    "training_file": body["training_file"],
                    "metadata": body["metadata"],
                }
            )
            msg = "connection reset by the proxy"
            raise httpx2.ReadError(msg, request=request)
        if request.method == "GET" and request.url.path.endswith("/fine_tuning/jobs"):
            if self.lookups_fail and self.creates >= retry.MAX_ATTEMPTS:
                return httpx2.Response(502, json={"error": {"message": "bad gateway"}})
            tag = request.url.params.get(f"metadata[{LAUNCH_TAG}]")
            data = [j for j in self.jobs if j["metadata"][LAUNCH_TAG] == tag]
            return httpx2.Response(
                200, json={"object": "list", "data": data, "has_more": False}
            )
        return httpx2.Response(404, json={"error": {"message": "no route"}})

    def client(self) -> openai.OpenAI:
        return openai.OpenAI(
            api_key=FAKE_KEY,
            base_url="http://127.0.0.1:9/v1",
            max_retries=0,
            http_client=httpx2.Client(transport=httpx2.MockTransport(self.handle)),
        )


@pytest.fixture(autouse=True)
def _quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry, "BASE_DELAY", 0.001)


def test_a_job_whose_final_answer_was_lost_is_found_by_its_tag() -> None:
    proxy = Proxy(lookups_fail=False)
    job = run_to_end(create_job_once(proxy.client(), PARAMS, source=SOURCE))
    assert job.id == "ftjob-1"
    assert len(proxy.jobs) == 1
    assert unsure_launch(SOURCE) is None


def test_when_nobody_can_say_the_user_is_told_and_the_next_launch_checks() -> None:
    proxy = Proxy(lookups_fail=True)
    with pytest.raises(FtError) as caught:
        run_to_end(create_job_once(proxy.client(), PARAMS, source=SOURCE))
    assert caught.value.message.endswith(MAY_HAVE_STARTED)
    assert "check the jobs list before launching again" in caught.value.message
    assert unsure_launch(SOURCE) is not None
    # the service answers again: launching the same file finds the job first
    proxy.lookups_fail = False
    creates = proxy.creates
    with pytest.raises(FtError, match="did start a job: ftjob-1") as again:
        run_to_end(create_job_once(proxy.client(), PARAMS, source=SOURCE))
    assert again.value.kind == "duplicate"
    assert proxy.creates == creates  # no second paid job
    assert unsure_launch(SOURCE) is None
    # told once: launching again now really starts one more
    proxy.creates = retry.MAX_ATTEMPTS - 1
    job = run_to_end(create_job_once(proxy.client(), PARAMS, source=SOURCE))
    assert job.id == "ftjob-2"


def test_another_files_launch_is_not_held_up() -> None:
    proxy = Proxy(lookups_fail=True)
    with pytest.raises(FtError):
        run_to_end(create_job_once(proxy.client(), PARAMS, source=SOURCE))
    proxy.lookups_fail = False
    proxy.creates = retry.MAX_ATTEMPTS - 1
    job = run_to_end(
        create_job_once(proxy.client(), PARAMS, source="/data/other.jsonl")
    )
    assert job.id == "ftjob-2"
    assert unsure_launch(SOURCE) is not None
