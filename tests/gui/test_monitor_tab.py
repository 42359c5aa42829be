"""The Monitor tab against a real sandbox: live curves equal the job's metrics events."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel

from ftstudio.core.api.connection import Connection, make_client
from ftstudio.core.api.jobs import new_events
from ftstudio.core.api.retry import run_to_end, with_retries
from ftstudio.core.monitor.launches import record_launch
from ftstudio.core.secrets import SecretStore
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.monitor import MonitorTab
from ftstudio.sandbox.faults import FaultConfig
from ftstudio.sandbox.server import SandboxServer
from tests.core.monitor_jobs import start_job
from tests.gui.notices import NoticesShown
from tests.keyrings import MemoryKeyring

KEY = "sk-test-not-a-real-key"


def screenshot(widget: Any, name: str) -> None:
    """Save a picture to look at when FTSTUDIO_SCREENSHOTS names a folder."""
    folder = os.environ.get("FTSTUDIO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / name))


def open_tab(qtbot: Any, server: SandboxServer, closing: Any) -> MonitorTab:
    mgr = ConnectionManager(SecretStore(MemoryKeyring()))
    closing(mgr.shutdown)  # closes its shared client when the test ends
    mgr.use_endpoint(server.base_url, KEY)
    tab = MonitorTab(mgr)
    tab.poll_interval = 0.05
    tab.resume_ms = 200
    mgr.setParent(tab)
    qtbot.addWidget(tab)
    tab.resize(1100, 800)
    tab.show()
    return tab


def show_new_job(
    qtbot: Any,
    tab: MonitorTab,
    server: SandboxServer,
    closing: Any,
    tmp_path: Path,
    epochs: int | None = None,
) -> str:
    """Start a job on ``server``, show it in ``tab`` and wait for its first metrics."""
    client = make_client(Connection(base_url=server.base_url, api_key=KEY))
    closing(client)
    job = (
        start_job(client, tmp_path)
        if epochs is None
        else start_job(client, tmp_path, epochs=epochs)
    )
    tab.show_job(job.id)
    qtbot.waitUntil(lambda: len(tab.series) > 0, timeout=15_000)
    return str(job.id)


def metrics_history(server: SandboxServer, job_id: str) -> list[dict[str, Any]]:
    with make_client(Connection(base_url=server.base_url, api_key=KEY)) as client:
        events = run_to_end(
            with_retries(lambda: run_to_end(new_events(client, job_id, None)))
        )
    return [e.data for e in events if e.type == "metrics"]


def wait_finished(qtbot: Any, tab: MonitorTab, timeout: int = 30_000) -> None:
    def done() -> None:
        assert tab.job is not None
        assert tab.job.status == "succeeded"
        assert tab.checkpoints_model.rowCount() == 3

    qtbot.waitUntil(done, timeout=timeout)
    tab.plot.redraw()


def assert_plotted_equals_events(
    tab: MonitorTab, expected: list[dict[str, Any]]
) -> None:
    for name in ("train_loss", "valid_loss", "full_valid_loss"):
        want = [(d["step"], d[name]) for d in expected if name in d]
        xs, ys = tab.plot.curve_data(name)
        assert want, f"the job has no {name}: the test proves nothing"
        assert list(zip(xs.astype(int).tolist(), ys.tolist(), strict=True)) == want


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    # speed 20: about 3 s a job, so the tab sees it run, not only its history
    with SandboxServer(tmp_path / "sb", api_key=KEY, speed=20) as srv:
        yield srv


def test_live_job_from_start_to_end(
    closing: Any, qtbot: Any, qtmodeltester: Any, server: SandboxServer, tmp_path: Path
) -> None:
    tab = open_tab(qtbot, server, closing)
    client = make_client(Connection(base_url=server.base_url, api_key=KEY))
    closing(client)
    job = start_job(client, tmp_path)
    with qtbot.waitSignal(tab.jobs.model().rowsInserted, timeout=5000):
        tab.refresh_jobs()
    assert tab.jobs.findData(job.id) >= 0
    record_launch(job.id, 1_000_000)  # as the launcher does: the file's billing tokens
    costs: list[str] = []
    label = tab.header["cost"]
    label.setText = lambda text: (costs.append(text), QLabel.setText(label, text))  # type: ignore[method-assign]
    tab.show_job(job.id)
    qtbot.waitUntil(lambda: tab.header["status"].text() == "Training", timeout=15_000)
    qtbot.waitUntil(lambda: len(tab.series) > 0, timeout=15_000)
    live_points = len(tab.series)
    assert not tab.evaluate_button.isVisible()  # no fine-tuned model yet
    wait_finished(qtbot, tab)
    # after training: evaluate against its base in one click
    assert tab.evaluate_button.isVisible()
    with qtbot.waitSignal(tab.evaluate_requested) as asked:
        tab.evaluate_button.click()
    assert asked.args == [job.id]
    assert live_points < tab.series.total_steps, (
        "the job was over before the tab saw it run"
    )
    expected = metrics_history(server, job.id)
    assert_plotted_equals_events(tab, expected)
    assert tab.header["status"].text() == "Finished"
    total = tab.series.total_steps
    assert tab.header["step"].text() == f"Step {total} of {total}"
    assert tab.header["epoch"].text() == "Epoch 3 of 3"
    assert tab.header["cost"].text().startswith("$")
    # while it ran, a growing estimate from the recorded billing tokens (3 epochs)
    estimates = [t for t in costs if t.startswith("About $")]
    assert estimates, costs
    assert all("so far of $" in t for t in estimates)
    so_far = [float(t.split("$")[1].split()[0]) for t in estimates]
    assert so_far == sorted(so_far)
    # each event once in the log, in order
    history = run_to_end(new_events(client, job.id, None))
    logged = [
        tab.events_model.event_at(r).id for r in range(tab.events_model.rowCount())
    ]
    assert logged == [e.id for e in history]
    # checkpoints at each of the three epoch ends, chat sends the model name
    ckpt = tab.checkpoints_model.checkpoint(2)
    assert ckpt.step == total
    tab.checkpoints_view.selectRow(2)
    assert tab.chat_button.isEnabled()
    with qtbot.waitSignal(tab.chat_with_model) as blocker:
        tab.chat_button.click()
    assert blocker.args == [ckpt.model]
    assert ":ckpt-step-" in ckpt.model
    qtmodeltester.check(tab.events_model)
    qtmodeltester.check(tab.checkpoints_model)
    # hover reads the values at a step
    assert tab.plot.hover_at(1.2).startswith(f"Step 1 of {total}: training loss")
    screenshot(tab, "monitor_finished.png")
    tab.shutdown()


def test_network_failures_leave_no_gaps_or_duplicates(
    closing: Any, qtbot: Any, tmp_path: Path
) -> None:
    faults = FaultConfig(drop=0.2, server_error=0.15, seed=3)
    with SandboxServer(tmp_path / "sb", api_key=KEY, speed=20, faults=faults) as server:
        tab = open_tab(qtbot, server, closing)
        client = make_client(Connection(base_url=server.base_url, api_key=KEY))
        closing(client)
        job = run_to_end(with_retries(lambda: start_job(client, tmp_path)))
        said: list[str] = []  # what the window's status bar was told
        tab.status_message.connect(said.append)
        notices = NoticesShown(lambda: said[-1] if said else "")
        tab.show_job(job.id)
        notices.follow(tab._watcher.current)
        wait_finished(qtbot, tab, timeout=60_000)
        expected = metrics_history(server, job.id)
        tab.shutdown()
    notices.assert_each_was_shown()
    # once a poll gets through, the retry line is taken off the status bar
    last_retry = max(i for i, text in enumerate(said) if "Trying again" in text)
    assert "" in said[last_retry:]
    assert_plotted_equals_events(tab, expected)
    assert tab.series.steps == list(range(1, tab.series.total_steps + 1))


def test_retries_running_out_resume_after_the_last_event(
    closing: Any,
    qtbot: Any,
    server: SandboxServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ftstudio.core.api import retry

    tab = open_tab(qtbot, server, closing)
    job_id = show_new_job(qtbot, tab, server, closing, tmp_path)
    # the network goes away: every poll fails until the retries run out
    monkeypatch.setattr(retry, "backoff_delay", lambda *_args: 0.01)
    server.stop()
    qtbot.waitUntil(tab.banner.isVisible, timeout=15_000)
    assert "Watching again" in tab.banner.message.text()
    seen = len(tab.series)
    port = int(server.base_url.rsplit(":", 1)[1].split("/")[0])
    revived = SandboxServer(tmp_path / "sb", api_key=KEY, speed=20, port=port)
    revived.start()
    try:
        wait_finished(qtbot, tab)
        expected = metrics_history(revived, job_id)
        tab.shutdown()
    finally:
        revived.stop()
    assert not tab.banner.isVisible()
    assert len(tab.series) > seen
    assert_plotted_equals_events(tab, expected)


def test_smoothing_hiding_and_exports(
    closing: Any, qtbot: Any, server: SandboxServer, tmp_path: Path
) -> None:
    tab = open_tab(qtbot, server, closing)
    show_new_job(qtbot, tab, server, closing, tmp_path, epochs=6)
    wait_finished(qtbot, tab)
    raw = tab.plot.curve_data("train_loss")[1].copy()
    tab.controls.smoothing.setValue(5)
    assert tab.controls.smoothing_label.text() == "Smoothing: average of 5 steps"
    smooth = tab.plot.curve_data("train_loss")[1]
    assert smooth.size == raw.size
    assert np.std(np.diff(smooth)) < np.std(np.diff(raw))
    tab.controls.boxes["valid"].setChecked(False)
    assert tab.plot.curve_data("valid_loss")[0].size == 0
    assert tab.plot.curve_data("train_loss")[0].size == raw.size
    tab.export_csv(tmp_path / "m.csv")
    lines = (tmp_path / "m.csv").read_text().splitlines()
    assert len(lines) == tab.series.total_steps + 1
    tab.export_png(tmp_path / "m.png")
    assert (tmp_path / "m.png").read_bytes().startswith(b"\x89PNG")
    # small data over 6 epochs overfits in the sandbox: the hint says so
    assert "overfitting" in tab.hints.text()
    screenshot(tab, "monitor_smoothed.png")
    # another service: the job shown there may not exist, so the tab empties
    with qtbot.waitSignal(tab.jobs.model().rowsInserted, timeout=5000):
        tab._connection.changed.emit()
    assert tab.job is None
    assert len(tab.series) == 0
    assert tab.events_model.rowCount() == 0
    assert tab.header["status"].text() == "No job shown"
    tab.shutdown()
