"""The archive against the sandbox when the service will not hand back training files."""

from __future__ import annotations

import json
from pathlib import Path

import httpx2
import openai

from ftstudio.core.archive.collect import archive_account
from ftstudio.core.progress import run_to_end
from ftstudio.sandbox.server import SandboxServer
from tests.sandbox.helpers import wait_for
from tests.sandbox_data import FAST, KEY, chat_rows, write_jsonl


class RefuseTrainingDownloads(httpx2.BaseTransport):
    """OpenAI answers 400 to a download of a file uploaded for fine-tuning."""

    def __init__(self, refused: set[str]) -> None:
        self.inner = httpx2.HTTPTransport()
        self.refused = refused

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        parts = request.url.path.split("/")
        if parts[-1] == "content" and parts[-2] in self.refused:
            body = {
                "error": {
                    "message": "Not allowed to download files of purpose: fine-tune",
                    "code": None,
                }
            }
            return httpx2.Response(400, json=body)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_a_refused_download_is_listed_and_the_rest_is_kept(tmp_path: Path) -> None:
    with SandboxServer(tmp_path / "sandbox", api_key=KEY, speed=FAST) as server:
        plain = openai.OpenAI(base_url=server.base_url, api_key=KEY, max_retries=0)
        train = write_jsonl(tmp_path / "train.jsonl", chat_rows(12))
        with train.open("rb") as f:
            uploaded = plain.files.create(file=f, purpose="fine-tune")
        job = plain.fine_tuning.jobs.create(
            model="gpt-4o-mini", training_file=uploaded.id
        )
        wait_for(plain, job.id, {"succeeded"})
        plain.close()
        transport = RefuseTrainingDownloads({uploaded.id})
        client = openai.OpenAI(
            base_url=server.base_url,
            api_key=KEY,
            max_retries=0,
            http_client=httpx2.Client(transport=transport),
        )
        out = tmp_path / "archive"
        summary = run_to_end(archive_account(client, out))
        client.close()
    folder = out / job.id
    assert not (folder / "training.jsonl").exists()
    (problem,) = summary.problems
    assert f"{job.id}/training.jsonl ({uploaded.id}) could not be downloaded" in problem
    assert "Not allowed to download" in problem
    assert "Keep your own copy" in problem
    assert (folder / "results.csv").read_bytes().startswith(b"step,")
    events = (folder / "events.jsonl").read_text().splitlines()
    assert json.loads(events[0])["created_at"] <= json.loads(events[-1])["created_at"]
    assert summary.new_jobs == 1
