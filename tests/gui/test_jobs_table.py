"""The jobs table: lists the service's jobs and acts on them (against the real sandbox)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openai.types.fine_tuning import FineTuningJob
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from ftstudio.core.secrets import SecretStore
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.launcher.jobs.model import (
    JOB_ID_ROLE,
    SORT_ROLE,
    STATUS,
    TOKENS,
    JobsModel,
)
from ftstudio.gui.launcher.jobs.panel import JobsPanel
from ftstudio.sandbox.faults import FaultConfig
from ftstudio.sandbox.server import SandboxServer
from tests.gui.api_fixtures import (  # noqa: F401 - fixtures
    KEY,
    chat_rows,
    manager_fixture,
    sandbox_fixture,
    write_jsonl,
)
from tests.gui.notices import NoticesShown
from tests.keyrings import MemoryKeyring


def fake_job(job_id: str, status: str = "running", **extra: Any) -> FineTuningJob:
    fields: dict[str, Any] = {
        "id": job_id,
        "object": "fine_tuning.job",
        "created_at": 1_790_000_000,
        "finished_at": None,
        "model": "gpt-4o-mini-2024-07-18",
        "fine_tuned_model": None,
        "organization_id": "org-test",
        "result_files": [],
        "status": status,
        "trained_tokens": None,
        "training_file": "file-1",
        "validation_file": None,
        "hyperparameters": {"n_epochs": 3},
        "seed": 1,
        "error": None,
    }
    fields.update(extra)
    return FineTuningJob.model_validate(fields)


def test_model_updates_only_what_changed(qtbot: Any, qtmodeltester: Any) -> None:
    model = JobsModel()
    model.set_jobs([fake_job("ftjob-b"), fake_job("ftjob-a")])
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.data(model.index(0, STATUS)) == "Training"

    with (
        qtbot.assertNotEmitted(model.modelReset),
        qtbot.waitSignal(model.rowsInserted) as inserted,
    ):
        model.set_jobs(
            [fake_job("ftjob-c", "queued"), *[model.job(r) for r in range(2)]]
        )
    assert inserted.args[1:] == [0, 0]
    assert model.data(model.index(0, STATUS)) == "Waiting to start"

    done = fake_job(
        "ftjob-b", "succeeded", trained_tokens=12345, fine_tuned_model="ft:x"
    )
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.set_jobs([model.job(0), done, model.job(2)])
    assert changed.args[0].row() == changed.args[1].row() == 1
    assert model.data(model.index(1, STATUS)) == "Done"
    assert model.data(model.index(1, TOKENS)) == "12,345"
    assert model.data(model.index(1, TOKENS), SORT_ROLE) == 12345
    assert model.data(model.index(1, 0), JOB_ID_ROLE) == "ftjob-b"

    with qtbot.waitSignal(model.rowsRemoved):
        model.set_jobs([model.job(0), model.job(1)])
    assert [model.job(r).id for r in range(model.rowCount())] == ["ftjob-c", "ftjob-b"]
    qtmodeltester.check(model)


def test_failed_job_explains_itself_in_a_tooltip(qtbot: Any) -> None:
    model = JobsModel()
    error = {
        "code": "invalid_file",
        "message": "Line 3 has no assistant reply.",
        "param": None,
    }
    model.set_jobs([fake_job("ftjob-f", "failed", error=error)])
    assert model.data(model.index(0, STATUS)) == "Failed"
    tip = model.data(model.index(0, STATUS), Qt.ItemDataRole.ToolTipRole)
    assert tip == "Line 3 has no assistant reply."


# against the sandbox ------------------------------------------------------------


def start_job(mgr: ConnectionManager, path: Path, **hyper: Any) -> FineTuningJob:
    client = mgr.client()
    uploaded = client.files.create(
        file=(path.name, path.read_bytes()), purpose="fine-tune"
    )
    method = {"type": "supervised", "supervised": {"hyperparameters": hyper}}
    return client.fine_tuning.jobs.create(
        model="gpt-4o-mini",
        training_file=uploaded.id,
        method=method,  # type: ignore[arg-type]
    )


def wait_status(
    mgr: ConnectionManager, job_id: str, statuses: set[str]
) -> FineTuningJob:
    client = mgr.client()
    deadline = time.monotonic() + 30
    while True:
        job = client.fine_tuning.jobs.retrieve(job_id)
        if job.status in statuses:
            return job
        assert time.monotonic() < deadline, f"{job_id} still {job.status}"
        time.sleep(0.05)


def refreshed(qtbot: Any, panel: JobsPanel) -> None:
    """Refresh and wait until a listing started now has arrived."""
    for _ in range(2):  # a listing already running may predate the test's changes
        panel.refresh()
        task = panel._refresher.current
        if task is not None:
            with qtbot.waitSignal(task.finished, timeout=30_000):
                pass


def finish(qtbot: Any, panel: JobsPanel, task: Any) -> None:
    """Wait for an action to end, then for the listing that shows its effect."""
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    refreshed(qtbot, panel)


@pytest.fixture
def panel(qtbot: Any, manager: ConnectionManager) -> Iterator[JobsPanel]:
    widget = JobsPanel(manager)
    qtbot.addWidget(widget)
    widget.ask = lambda _title, _text: True
    widget.show()
    yield widget
    widget.shutdown()


def select(panel: JobsPanel, job_id: str) -> None:
    panel.select_job(job_id)
    job = panel.selected_job()
    assert job is not None
    assert job.id == job_id


def test_finished_job_results_copy_and_delete(
    qtbot: Any,
    panel: JobsPanel,
    manager: ConnectionManager,
    tmp_path: Path,
) -> None:
    train = write_jsonl(tmp_path / "train.jsonl", chat_rows(12))
    job = start_job(manager, train)
    wait_status(manager, job.id, {"succeeded"})
    refreshed(qtbot, panel)
    select(panel, job.id)
    done = panel.selected_job()
    assert done is not None
    assert done.fine_tuned_model
    assert panel.model.data(panel.model.index(0, STATUS)) == "Done"
    assert not panel.cancel_button.isEnabled()

    panel.copy_model()
    assert QApplication.clipboard().text() == done.fine_tuned_model

    target = tmp_path / "out" / "results.csv"
    target.parent.mkdir()
    panel.choose_target = lambda _suggested: target
    finish(qtbot, panel, panel.download_results())
    assert target.read_bytes().startswith(b"step")
    assert "Saved the results" in panel.status.text()

    panel.ask = lambda _title, _text: False  # the user says no: nothing deleted
    assert panel.delete_model() is None
    models = [m.id for m in manager.client().models.list().data]
    assert done.fine_tuned_model in models
    panel.ask = lambda _title, _text: True
    select(panel, job.id)
    finish(qtbot, panel, panel.delete_model())
    models = [m.id for m in manager.client().models.list().data]
    assert done.fine_tuned_model not in models
    assert "Deleted the model" in panel.status.text()


def test_open_in_monitor_asks_with_the_job_id(
    qtbot: Any,
    panel: JobsPanel,
    manager: ConnectionManager,
    tmp_path: Path,
) -> None:
    job = start_job(manager, write_jsonl(tmp_path / "t.jsonl", chat_rows(12)))
    refreshed(qtbot, panel)
    select(panel, job.id)
    with qtbot.waitSignal(panel.open_in_monitor) as asked:
        panel.monitor_button.click()
    assert asked.args == [job.id]
    with qtbot.waitSignal(panel.open_in_monitor) as asked:
        panel.table.doubleClicked.emit(panel.model.index(0, 0))
    assert asked.args == [job.id]


@pytest.fixture
def slow_manager(qtbot: Any, tmp_path: Path) -> Iterator[ConnectionManager]:
    server = SandboxServer(tmp_path / "slow", api_key=KEY, speed=10)
    server.start()
    mgr = ConnectionManager(SecretStore(MemoryKeyring()))
    mgr.use_endpoint(server.base_url, KEY)
    yield mgr
    server.stop()


def test_pause_resume_and_cancel(
    qtbot: Any, slow_manager: ConnectionManager, tmp_path: Path
) -> None:
    panel = JobsPanel(slow_manager)
    qtbot.addWidget(panel)
    try:
        panel.ask = lambda _title, _text: True
        panel.show()
        job = start_job(
            slow_manager, write_jsonl(tmp_path / "t.jsonl", chat_rows(12)), n_epochs=10
        )
        wait_status(slow_manager, job.id, {"running"})
        refreshed(qtbot, panel)
        select(panel, job.id)
        assert panel.pause_button.isEnabled()
        assert not panel.resume_button.isEnabled()
        finish(qtbot, panel, panel.pause_job())
        select(panel, job.id)
        assert (
            panel.model.data(panel.model.index(panel.model.row_of(job.id), STATUS))
            == "Paused"
        )
        assert panel.resume_button.isEnabled()
        finish(qtbot, panel, panel.resume_job())
        assert (
            slow_manager.client().fine_tuning.jobs.retrieve(job.id).status == "running"
        )
        select(panel, job.id)
        finish(qtbot, panel, panel.cancel_job())
        row = panel.model.row_of(job.id)
        assert panel.model.data(panel.model.index(row, STATUS)) == "Cancelled"
    finally:
        panel.shutdown()


def test_busy_service_is_retried_and_said(qtbot: Any, tmp_path: Path) -> None:
    faults = FaultConfig(rate_limit=0.4, server_error=0.1, retry_after=0.05, seed=7)
    server = SandboxServer(tmp_path / "busy", api_key=KEY, speed=60, faults=faults)
    server.start()
    mgr = ConnectionManager(SecretStore(MemoryKeyring()))
    mgr.use_endpoint(server.base_url, KEY)
    panel = JobsPanel(mgr)
    qtbot.addWidget(panel)
    notices = NoticesShown(panel.status.text)
    panel.status.setText("")
    try:
        panel.refresh()
        task = panel._refresher.current
        notices.follow(task)  # after the panel's own slots: sees what it showed
        assert task is not None
        with qtbot.waitSignal(task.finished, timeout=30_000):
            pass
        notices.assert_each_was_shown()
        assert "job(s)" in panel.summary.text()
        assert not panel.banner.isVisibleTo(panel)
    finally:
        panel.shutdown()
        server.stop()


def test_not_connected_says_what_to_do(qtbot: Any) -> None:
    mgr = ConnectionManager(SecretStore(MemoryKeyring()))
    panel = JobsPanel(mgr)
    qtbot.addWidget(panel)
    panel.refresh()
    assert "Not connected" in panel.summary.text()
    assert panel.model.rowCount(QModelIndex()) == 0
