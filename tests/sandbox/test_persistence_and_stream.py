"""A restart keeps files, jobs and models; a stream stops when its client leaves."""

from __future__ import annotations

import time
from pathlib import Path

import httpx2
import openai

from ftstudio.sandbox.server import SandboxServer
from tests.sandbox.helpers import wait_for
from tests.sandbox_data import FAST, KEY


def sdk(srv: SandboxServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=srv.base_url, api_key=KEY, max_retries=0, timeout=10)


def test_restart_keeps_files_jobs_and_models(tmp_path: Path, train_file: Path) -> None:
    data = tmp_path / "sandbox"
    with SandboxServer(data, api_key=KEY, speed=FAST) as srv:
        client = sdk(srv)
        f = client.files.create(file=train_file, purpose="fine-tune")
        done = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=f.id)
        done = wait_for(client, done.id, {"succeeded"})
        running = client.fine_tuning.jobs.create(
            model="gpt-4o-mini", training_file=f.id, hyperparameters={"n_epochs": 20}
        )
        wait_for(client, running.id, {"running"})
        client.fine_tuning.jobs.pause(running.id)
        events_before = [e.id for e in client.fine_tuning.jobs.list_events(done.id)]
        kept = client.files.create(file=train_file, purpose="fine-tune")
        # The model must still answer from its training data once the file is gone.
        client.files.delete(f.id)
        client.close()
    assert not list(data.glob("*.tmp"))  # atomic writes leave no debris
    with SandboxServer(data, api_key=KEY, speed=FAST) as srv:
        client = sdk(srv)
        assert client.files.retrieve(kept.id).bytes == train_file.stat().st_size
        result_id = done.result_files[0]
        assert client.files.content(result_id).text.startswith("step,train_loss")
        assert result_id in {x.id for x in client.files.list()}
        again = client.fine_tuning.jobs.retrieve(done.id)
        assert again.status == "succeeded"
        assert again.fine_tuned_model == done.fine_tuned_model
        assert [
            e.id for e in client.fine_tuning.jobs.list_events(done.id)
        ] == events_before
        assert client.fine_tuning.jobs.retrieve(running.id).status == "paused"
        assert done.fine_tuned_model in {m.id for m in client.models.list()}
        reply = client.chat.completions.create(
            model=done.fine_tuned_model,
            messages=[{"role": "user", "content": "topic number 5"}],
        )
        assert reply.choices[0].message.content == "Arr, 5 it be, matey!"
        client.close()


def test_damaged_state_file_is_set_aside(tmp_path: Path) -> None:
    data = tmp_path / "sandbox"
    data.mkdir()
    (data / "state.json").write_text("{ half a docu")
    with SandboxServer(data, api_key=KEY) as srv, sdk(srv) as client:
        assert client.files.list().data == []
    assert list(data.glob("state.damaged-*.json"))


def test_stream_stops_when_the_client_disconnects(
    tmp_path: Path, train_file: Path
) -> None:
    # Speed 1: a token every 30 ms, so the reply would take seconds to finish.
    with SandboxServer(tmp_path / "s", api_key=KEY, speed=1.0) as srv:
        long_question = " ".join(f"word{i}" for i in range(200))
        body = {
            "model": "gpt-4o-mini",
            "stream": True,
            "messages": [{"role": "user", "content": long_question}],
        }
        headers = {"Authorization": f"Bearer {KEY}"}
        with (
            httpx2.Client(base_url=srv.base_url, headers=headers) as c,
            c.stream("POST", "/chat/completions", json=body) as response,
        ):
            lines = response.iter_lines()
            assert next(lines).startswith("data: ")
        deadline = time.monotonic() + 3
        while srv.sandbox.streams_aborted == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert srv.sandbox.streams_aborted == 1
