"""Local base models: found in a folder and the HF cache, sized, refused when too big."""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path
from typing import Any

import pytest

from ftstudio.sandbox.local import available
from ftstudio.sandbox.local.models import discover, why_unusable
from tests.local_fixtures import start_local
from tests.sandbox_data import KEY


def _fake_model(folder: Path, params: int, *, template: bool = True) -> Path:
    """A model folder whose safetensors header declares ``params`` bf16 weights (no data)."""
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    config = {"chat_template": "{{ messages }}"} if template else {}
    (folder / "tokenizer_config.json").write_text(json.dumps(config))
    header = json.dumps(
        {"w": {"dtype": "BF16", "shape": [params], "data_offsets": [0, 0]}}
    ).encode()
    (folder / "model.safetensors").write_bytes(struct.pack("<Q", len(header)) + header)
    return folder


def test_discovery_reads_folders_nested_folders_and_the_hf_cache(
    tmp_path: Path,
) -> None:
    models = tmp_path / "models"
    _fake_model(models / "small", 1000)
    _fake_model(models / "openai" / "gpt-oss-20b", 20_914_757_184)
    _fake_model(models / "no-template", 10, template=False)
    snapshot = tmp_path / "hub" / "models--org--cached" / "snapshots" / "abc"
    _fake_model(snapshot, 42)
    (tmp_path / "hub" / "models--org--cached" / "refs").mkdir()
    (tmp_path / "hub" / "models--org--cached" / "refs" / "main").write_text("abc")
    found = {m.name: m.parameters for m in discover(models, tmp_path / "hub")}
    assert found == {
        "small": 1000,
        "openai/gpt-oss-20b": 20_914_757_184,
        "org/cached": 42,
    }
    assert why_unusable(models / "no-template") == "its tokenizer has no chat template"


def test_a_model_too_big_for_the_device_is_refused_before_any_work(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    from openai import BadRequestError, OpenAI

    models = tmp_path / "models"
    shutil.copytree(tiny_models_dir / "tiny-llama", models / "tiny-llama")
    _fake_model(models / "gpt-oss-120b", 116_829_156_672)
    srv = start_local(tmp_path / "svc", models)
    client = OpenAI(base_url=srv.base_url, api_key=KEY, max_retries=0)
    try:
        listed = {m.id: m.model_extra["ftstudio"] for m in client.models.list()}
        assert listed["tiny-llama"]["fits"] is True
        big = listed["gpt-oss-120b"]
        assert big["fits"] is False
        assert big["parameters"] == 116_829_156_672
        assert "needs about" in big["reason"]
        training = client.files.create(
            file=("t.jsonl", b'{"messages": []}\n'), purpose="fine-tune"
        )
        with pytest.raises(BadRequestError) as caught:
            client.fine_tuning.jobs.create(
                model="gpt-oss-120b", training_file=training.id
            )
        assert "needs about" in caught.value.message
        assert "GB" in caught.value.message
        with pytest.raises(BadRequestError):
            client.fine_tuning.jobs.create(
                model="no-such-model", training_file=training.id
            )
        assert client.fine_tuning.jobs.list().data == []
    finally:
        client.close()
        srv.stop()


def test_local_training_is_available_with_the_train_extra() -> None:
    pytest.importorskip("trl")
    assert available() is None


def test_without_the_extra_the_reason_says_how_to_add_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "trl" else real(name, *a),
    )
    reason: Any = available()
    assert "trl" in reason
    assert "pip install 'ftstudio[train]'" in reason


def test_serve_refuses_other_hosts_without_a_key_and_impossible_speeds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from ftstudio.cli.main import run_cli

    assert run_cli(["serve", "--host", "0.0.0.0"]) == 2
    assert "--key" in capsys.readouterr().err
    for speed in ("nan", "1e-320", "-1", "inf"):
        with pytest.raises(SystemExit) as stopped:
            run_cli(["sandbox", "--speed", speed])
        assert stopped.value.code == 2
    assert run_cli(["serve", "--models", "/no/such/folder"]) == 2
    assert "does not exist" in capsys.readouterr().err
