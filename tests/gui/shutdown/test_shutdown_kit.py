"""The Provider and shutdown kit dialog against a real sandbox: inventory, archive, provider."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from ftstudio.core.api.connection import load_endpoint
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.shutdown.dialog import ShutdownDialog
from ftstudio.sandbox.server import SandboxServer
from tests.gui.api_fixtures import manager_fixture, sandbox_fixture
from tests.sandbox.helpers import wait_for
from tests.sandbox_data import chat_rows, write_jsonl

__all__ = ["manager_fixture", "sandbox_fixture"]


def _finished_job(manager: ConnectionManager, tmp_path: Path) -> Any:
    client = manager.client()
    train = write_jsonl(tmp_path / "train.jsonl", chat_rows(12))
    with train.open("rb") as f:
        uploaded = client.files.create(file=f, purpose="fine-tune")
    job = client.fine_tuning.jobs.create(
        model="gpt-4o-mini-2024-07-18", training_file=uploaded.id, suffix="kit"
    )
    return wait_for(client, job.id, {"succeeded"}), train


def test_inventory_and_archive_from_the_window(
    qtbot: Any,
    qtmodeltester: Any,
    manager: ConnectionManager,
    sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    job, train = _finished_job(manager, tmp_path)
    dialog = ShutdownDialog(manager)
    qtbot.addWidget(dialog)
    view = dialog.view
    view.check()
    qtbot.waitUntil(lambda: not view.running, timeout=10_000)
    qtmodeltester.check(view.model)
    assert view.model.rowCount() == 1
    cell = view.model.index(0, 2).data()
    assert "2027-01-14" in cell  # gpt-4o-mini's published shutdown
    assert view.model.index(0, 1).data() == "gpt-4o-mini-2024-07-18"
    assert (
        view.model.index(0, 2)
        .data(Qt.ItemDataRole.ToolTipRole)
        .startswith("Date from published")
    )

    out = tmp_path / "archive"
    view.archive(out)
    qtbot.waitUntil(lambda: not view.running, timeout=20_000)
    assert "Archived 1 job(s)" in view.message.text(), view.message.text()
    assert (out / job.id / "training.jsonl").read_bytes() == train.read_bytes()
    assert (out / "index.html").is_file()
    dialog.show()
    dialog.grab().save("/tmp/kit.png")
    dialog.close()


def test_provider_box_saves_azure_and_explains_deployments(
    qtbot: Any, manager: ConnectionManager
) -> None:
    dialog = ShutdownDialog(manager)
    qtbot.addWidget(dialog)
    box = dialog.provider_box
    box.combo.setCurrentIndex(box.combo.findData("azure"))
    assert not box.deployment.isHidden()
    assert "deployed" in box.about.text() or "deployed" in dialog.view.note.text()
    box.address.setText("https:// not a url")
    box.save()
    assert "not an Azure endpoint" in box.message.text()
    box.address.setText("https://myres.openai.azure.com")
    box.key.setText("sk-test-fake")
    box.save()
    saved = load_endpoint()
    assert (saved.provider, saved.base_url) == (
        "azure",
        "https://myres.openai.azure.com/openai/v1",
    )
    assert manager.secrets.get(saved.base_url) == "sk-test-fake"
    assert box.key.text() == ""
    asked: list[str] = []
    box.chat_requested.connect(asked.append)
    box.chat_button.click()
    assert "deployment" in box.message.text()
    box.deployment.setText("my-pirate-deployment")
    box.chat_button.click()
    assert asked == ["my-pirate-deployment"]
    box.combo.setCurrentIndex(box.combo.findData("openai"))
    assert box.deployment.isHidden()
    assert "2027-01-06" in box.about.text()  # OpenAI's last day for new jobs
