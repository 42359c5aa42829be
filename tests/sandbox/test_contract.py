"""Contract: the requests the studio sends are accepted by OpenAI's official spec.

A mock server generated from the spec (``steady``, as the SDK's own tests use)
rejects any request that does not match it with a 400. The spec lives outside
the repository, in ``../shared/openai-api``; where it is absent these tests skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO.parent / "shared" / "openai-api" / "openapi.transformed.yml"
STEADY_DIR = REPO / ".cache" / "steady"
STEADY = STEADY_DIR / "node_modules" / ".bin" / "steady"
STEADY_VERSION = "@stdy/cli@0.22.1"

pytestmark = pytest.mark.contract


def _skip(reason: str) -> None:
    """Skip outside CI; in CI (which always has ../shared) a missing piece is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the contract tests: {reason}")
    pytest.skip(reason)


def _install_steady() -> None:
    if STEADY.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        _skip("contract tests need npm to install the steady mock server")
    result = subprocess.run(
        [npm, "install", "--prefix", str(STEADY_DIR), STEADY_VERSION],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if result.returncode != 0 or not STEADY.exists():
        _skip(f"could not install the steady mock server: {result.stderr[-300:]}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    if not SPEC.is_file():
        _skip(f"OpenAI's spec is not at {SPEC} (../shared is absent outside CI)")
    _install_steady()
    port = _free_port()
    fmt = "brackets"
    proc = subprocess.Popen(
        [
            str(STEADY),
            "--host",
            "127.0.0.1",
            "-p",
            str(port),
            f"--validator-query-array-format={fmt}",
            f"--validator-form-array-format={fmt}",
            f"--validator-query-object-format={fmt}",
            f"--validator-form-object-format={fmt}",
            str(SPEC),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx2.get(f"{base}/_x-steady/health", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the steady mock server did not start")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


@pytest.fixture
def mock(mock_url: str):  # type: ignore[no-untyped-def]
    from openai import OpenAI

    # No retries: a 400 from the mock must fail the test at once.
    with OpenAI(
        base_url=mock_url, api_key="sk-test-not-a-real-key", max_retries=0
    ) as c:
        yield c


def test_file_upload_and_uploads_api(mock, train_file: Path) -> None:
    mock.files.create(file=train_file, purpose="fine-tune")
    mock.files.list(purpose="fine-tune", limit=10, order="desc")
    mock.files.retrieve("file-abc")
    mock.files.content("file-abc")
    mock.files.delete("file-abc")
    mock.uploads.create(
        bytes=10, filename="a.jsonl", mime_type="text/jsonl", purpose="fine-tune"
    )
    mock.uploads.parts.create("upload_abc", data=b"0123456789")
    mock.uploads.complete("upload_abc", part_ids=["part_abc"])
    mock.uploads.cancel("upload_abc")


def test_create_job_with_method_hyperparameters_and_metadata(mock) -> None:
    mock.fine_tuning.jobs.create(
        model="gpt-4o-mini",
        training_file="file-abc",
        validation_file="file-def",
        suffix="pirate",
        seed=42,
        metadata={"project": "demo"},
        method={
            "type": "supervised",
            "supervised": {
                "hyperparameters": {
                    "n_epochs": 3,
                    "batch_size": "auto",
                    "learning_rate_multiplier": 1.8,
                }
            },
        },
    )
    mock.fine_tuning.jobs.create(
        model="gpt-4o-mini",
        training_file="file-abc",
        method={
            "type": "dpo",
            "dpo": {"hyperparameters": {"beta": 0.1, "n_epochs": "auto"}},
        },
    )
    mock.fine_tuning.jobs.create(
        model="gpt-4o-mini", training_file="file-abc", hyperparameters={"n_epochs": 2}
    )


def test_job_reads_and_actions(mock) -> None:
    page = mock.fine_tuning.jobs.list(
        limit=2, after="ftjob-abc", metadata={"project": "demo"}
    )
    assert page.data is not None
    mock.fine_tuning.jobs.retrieve("ftjob-abc")
    mock.fine_tuning.jobs.list_events("ftjob-abc", limit=50, after="ftevent-abc")
    mock.fine_tuning.jobs.checkpoints.list("ftjob-abc", limit=10, after="ftckpt-abc")
    mock.fine_tuning.jobs.cancel("ftjob-abc")
    mock.fine_tuning.jobs.pause("ftjob-abc")
    mock.fine_tuning.jobs.resume("ftjob-abc")


def test_models_and_chat(mock) -> None:
    mock.models.list()
    mock.models.retrieve("gpt-4o-mini")
    mock.models.delete("ft:gpt-4o-mini:sandbox:x:abc")
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi"},
    ]
    mock.chat.completions.create(
        model="gpt-4o-mini",
        messages=messages,
        max_completion_tokens=50,
        temperature=0.7,
    )
    stream = mock.chat.completions.create(
        model="gpt-4o-mini",
        messages=messages,
        stream=True,
        stream_options={"include_usage": True},
    )
    list(stream)  # the mock sends no chunks; being accepted is the point


def test_mock_rejects_a_request_missing_a_required_field(mock_url: str) -> None:
    # The contract tests above mean something only if the mock does reject.
    r = httpx2.post(
        f"{mock_url}/fine_tuning/jobs",
        json={"model": "gpt-4o-mini"},
        headers={"Authorization": "Bearer sk-test-not-a-real-key"},
    )
    assert r.status_code == 400
    assert "training_file" in r.text


def test_the_studios_own_api_code_is_accepted(mock_url: str, train_file: Path) -> None:
    """Not hand-written SDK calls: the core functions the window and CLI really use."""
    from ftstudio.core.api.connection import Connection, make_client
    from ftstudio.core.api.jobs import new_events
    from ftstudio.core.api.launch import create_job_once
    from ftstudio.core.api.retry import run_to_end
    from ftstudio.core.api.upload import upload_file
    from ftstudio.core.errors import FtError
    from ftstudio.core.hyperparams import method_payload

    client = make_client(
        Connection(base_url=mock_url, api_key="sk-test-not-a-real-key")
    )
    uploaded = run_to_end(upload_file(client, train_file))
    # the Uploads API (create, add parts, complete) is accepted; the mock's
    # completed upload then carries no file object, which the studio reports
    with pytest.raises(FtError, match="did not return the stored file"):
        run_to_end(upload_file(client, train_file, single_request_limit=1))
    params = {
        "model": "gpt-4o-mini",
        "training_file": uploaded.id,
        "suffix": "pirate",
        "seed": 7,
        "method": method_payload("dpo", {"beta": 0.2, "n_epochs": 2}),
    }
    run_to_end(create_job_once(client, params))
    # the mock says has_more forever with a fixed cursor: the walk must still end
    run_to_end(new_events(client, "ftjob-abc", None))
    client.close()


def test_the_studios_chat_and_evaluation_requests_are_accepted(
    mock_url: str, tmp_path: Path
) -> None:
    from ftstudio.core.api.connection import Connection, make_client
    from ftstudio.core.chat.stream import ChatSettings, stream_chat
    from ftstudio.core.evaluation.runner import run_evaluation
    from ftstudio.core.evaluation.testfile import parse_case

    client = make_client(
        Connection(base_url=mock_url, api_key="sk-test-not-a-real-key")
    )
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi"},
    ]
    settings = ChatSettings(temperature=0.7, max_tokens=50, top_p=0.9)
    gen = stream_chat(client, "gpt-4o-mini", messages, settings)
    while True:  # the mock streams no chunks: being accepted is the point
        try:
            next(gen)
        except StopIteration:
            break
    cases = [parse_case(1, {"input": "What is 2+2?", "ideal": "4"})]
    answers = {}
    gen_eval = run_evaluation(
        client, cases, ["gpt-4o-mini", "ft:gpt-4o-mini:sandbox:x:abc"]
    )
    while True:
        try:
            next(gen_eval)
        except StopIteration as stop:
            answers = stop.value
            break
    assert len(answers) == 2
    assert all(not a.error for a in answers.values()), [
        a.error for a in answers.values()
    ]
    # the grader's request too (the mock's reply is no grade: that row says so)
    from ftstudio.core.evaluation.judge import Judge, run_grading
    from ftstudio.core.progress import run_to_end

    grades = run_to_end(run_grading(client, cases, answers, Judge("gpt-4.1-mini")))
    assert len(grades) == 2
    assert not any("refused" in g.reason for g in grades.values()), grades
    client.close()
