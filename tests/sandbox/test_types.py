"""Every response the sandbox sends validates against the official SDK's own types.

The SDK itself builds its objects without validation (a missing field would only
surface later as ``None``), so these tests validate strictly with pydantic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import orjson
import pytest
from openai.types import FileDeleted, FileObject, Model, ModelDeleted, Upload
from openai.types.chat import ChatCompletion, ChatCompletionChunk
from openai.types.fine_tuning import FineTuningJob, FineTuningJobEvent
from openai.types.fine_tuning.jobs import FineTuningJobCheckpoint
from openai.types.uploads import UploadPart

from ftstudio.sandbox.server import SandboxServer
from tests.sandbox.helpers import wait_for
from tests.sandbox_data import KEY


@pytest.fixture
def http(server: SandboxServer):  # type: ignore[no-untyped-def]
    with httpx2.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=10
    ) as c:
        yield c


def ok(response: httpx2.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def check_list(body: dict[str, Any], item_type: Any) -> list[Any]:
    assert body["object"] == "list"
    return [item_type.model_validate(item, strict=False) for item in body["data"]]


def test_every_endpoint_returns_sdk_types(
    http: httpx2.Client, client, train_file: Path
) -> None:
    data = train_file.read_bytes()
    f = FileObject.model_validate(
        ok(
            http.post(
                "/files",
                files={"file": ("t.jsonl", data)},
                data={"purpose": "fine-tune"},
            )
        )
    )
    FileObject.model_validate(ok(http.get(f"/files/{f.id}")))
    check_list(ok(http.get("/files")), FileObject)

    up = Upload.model_validate(
        ok(
            http.post(
                "/uploads",
                json={
                    "bytes": len(data),
                    "filename": "u.jsonl",
                    "mime_type": "text/jsonl",
                    "purpose": "fine-tune",
                },
            )
        )
    )
    part = UploadPart.model_validate(
        ok(http.post(f"/uploads/{up.id}/parts", files={"data": ("blob", data)}))
    )
    done = Upload.model_validate(
        ok(http.post(f"/uploads/{up.id}/complete", json={"part_ids": [part.id]}))
    )
    assert done.file is not None
    up2 = ok(
        http.post(
            "/uploads",
            json={
                "bytes": 5,
                "filename": "v.jsonl",
                "mime_type": "text/jsonl",
                "purpose": "fine-tune",
            },
        )
    )
    Upload.model_validate(ok(http.post(f"/uploads/{up2['id']}/cancel")))

    body = {
        "model": "gpt-4o-mini",
        "training_file": f.id,
        "validation_file": f.id,
        "suffix": "s",
    }
    job = FineTuningJob.model_validate(ok(http.post("/fine_tuning/jobs", json=body)))
    FineTuningJob.model_validate(ok(http.get(f"/fine_tuning/jobs/{job.id}")))
    wait_for(client, job.id, {"succeeded"})
    final = FineTuningJob.model_validate(ok(http.get(f"/fine_tuning/jobs/{job.id}")))
    check_list(ok(http.get("/fine_tuning/jobs")), FineTuningJob)
    events = check_list(
        ok(http.get(f"/fine_tuning/jobs/{job.id}/events?limit=100")), FineTuningJobEvent
    )
    assert {e.type for e in events} == {"message", "metrics"}
    checkpoints = check_list(
        ok(http.get(f"/fine_tuning/jobs/{job.id}/checkpoints")), FineTuningJobCheckpoint
    )
    assert len(checkpoints) == 3
    cancelled = http.post(
        "/fine_tuning/jobs", json={"model": "gpt-4o-mini", "training_file": f.id}
    ).json()
    FineTuningJob.model_validate(
        ok(http.post(f"/fine_tuning/jobs/{cancelled['id']}/cancel"))
    )

    check_list(ok(http.get("/models")), Model)
    Model.model_validate(ok(http.get("/models/gpt-4o-mini")))
    assert final.fine_tuned_model is not None
    Model.model_validate(ok(http.get(f"/models/{final.fine_tuned_model}")))
    chat = {
        "model": final.fine_tuned_model,
        "messages": [{"role": "user", "content": "topic 3"}],
    }
    ChatCompletion.model_validate(ok(http.post("/chat/completions", json=chat)))
    stream = http.post(
        "/chat/completions",
        json={**chat, "stream": True, "stream_options": {"include_usage": True}},
    )
    assert stream.headers["content-type"].startswith("text/event-stream")
    payloads = [
        line[6:] for line in stream.text.split("\n\n") if line.startswith("data: ")
    ]
    assert payloads[-1] == "[DONE]"
    chunks = [
        ChatCompletionChunk.model_validate(orjson.loads(p)) for p in payloads[:-1]
    ]
    assert chunks[-1].usage is not None
    assert chunks[-1].choices == []
    assert (
        "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        == "Arr, 3 it be, matey!"
    )

    ModelDeleted.model_validate(ok(http.delete(f"/models/{final.fine_tuned_model}")))
    FileDeleted.model_validate(ok(http.delete(f"/files/{f.id}")))


def error_of(response: httpx2.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    assert body["error"]["message"]
    return body["error"]


def test_errors_use_openai_envelope_and_statuses(
    server: SandboxServer, http: httpx2.Client
) -> None:
    with httpx2.Client(base_url=server.base_url) as anonymous:
        assert "API key" in error_of(anonymous.get("/models"), 401)["message"]
        wrong = anonymous.get(
            "/models", headers={"Authorization": "Bearer sk-wrong-key-123456"}
        )
        assert error_of(wrong, 401)["code"] == "invalid_api_key"
    assert error_of(http.get("/files/file-nope"), 404)["param"] == "file_id"
    error_of(http.get("/fine_tuning/jobs/ftjob-nope"), 404)
    error_of(http.get("/fine_tuning/jobs/ftjob-nope/events"), 404)
    assert (
        error_of(http.get("/models/ft:gpt-4o-mini:x::y"), 404)["code"]
        == "model_not_found"
    )
    error_of(http.get("/nothing/here"), 404)
    missing = error_of(
        http.post("/fine_tuning/jobs", json={"model": "gpt-4o-mini"}), 400
    )
    assert missing["param"] == "training_file"
    unknown_file = error_of(
        http.post(
            "/fine_tuning/jobs",
            json={"model": "gpt-4o-mini", "training_file": "file-x"},
        ),
        400,
    )
    assert unknown_file["param"] == "training_file"
    error_of(http.post("/fine_tuning/jobs", content=b"{not json"), 400)
    error_of(http.get("/fine_tuning/jobs?limit=0"), 400)
    chat = {"model": "gpt-4o-mini", "messages": []}
    assert (
        error_of(http.post("/chat/completions", json=chat), 400)["param"] == "messages"
    )
    assert (
        error_of(http.delete("/models/gpt-4o-mini"), 403)["code"]
        == "model_not_deletable"
    )
    error_of(
        http.post(
            "/files", files={"file": ("t.txt", b"x")}, data={"purpose": "fine-tune"}
        ),
        400,
    )


@pytest.mark.parametrize(
    ("hyper", "param"),
    [
        ({"n_epochs": 0}, "method.supervised.hyperparameters.n_epochs"),
        ({"n_epochs": 51}, "method.supervised.hyperparameters.n_epochs"),
        ({"batch_size": 257}, "method.supervised.hyperparameters.batch_size"),
        (
            {"learning_rate_multiplier": -1},
            "method.supervised.hyperparameters.learning_rate_multiplier",
        ),
        ({"n_epochs": "many"}, "method.supervised.hyperparameters.n_epochs"),
    ],
)
def test_hyperparameter_bounds(
    http: httpx2.Client, train_file: Path, hyper: dict[str, Any], param: str
) -> None:
    f = ok(
        http.post(
            "/files",
            files={"file": ("t.jsonl", train_file.read_bytes())},
            data={"purpose": "fine-tune"},
        )
    )
    body = {
        "model": "gpt-4o-mini",
        "training_file": f["id"],
        "method": {"type": "supervised", "supervised": {"hyperparameters": hyper}},
    }
    assert error_of(http.post("/fine_tuning/jobs", json=body), 400)["param"] == param


def test_unknown_model_is_refused(http: httpx2.Client, train_file: Path) -> None:
    f = ok(
        http.post(
            "/files",
            files={"file": ("t.jsonl", train_file.read_bytes())},
            data={"purpose": "fine-tune"},
        )
    )
    body = {"model": "gpt-nonexistent", "training_file": f["id"]}
    assert (
        error_of(http.post("/fine_tuning/jobs", json=body), 400)["code"]
        == "model_not_available"
    )


def test_too_many_steps_are_refused_plainly(
    http: httpx2.Client, tmp_path: Path
) -> None:
    from tests.sandbox_data import chat_rows, write_jsonl

    big = write_jsonl(tmp_path / "big.jsonl", chat_rows(1001)).read_bytes()
    f = ok(
        http.post(
            "/files", files={"file": ("b.jsonl", big)}, data={"purpose": "fine-tune"}
        )
    )
    body = {
        "model": "gpt-4o-mini",
        "training_file": f["id"],
        "hyperparameters": {"n_epochs": 50, "batch_size": 1},
    }
    error = error_of(http.post("/fine_tuning/jobs", json=body), 400)
    assert "batch_size" in error["message"]
