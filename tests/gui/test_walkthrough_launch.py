"""Launch and the jobs list never keep a status line that is no longer true."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from ftstudio.core.secrets import SecretStore
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.launcher.jobs.panel import JobsPanel
from ftstudio.gui.launcher.tab import LauncherTab
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

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def tab(qtbot: Any, manager: ConnectionManager) -> Iterator[LauncherTab]:
    widget = LauncherTab(manager)
    qtbot.addWidget(widget)
    widget.ask = lambda _title, _text: False
    widget.show()
    yield widget
    widget.shutdown()


def launch_refused(qtbot: Any, tab: LauncherTab, tmp_path: Path) -> list[Any]:
    """Launch a file with an error; return its rows once "Nothing was uploaded"."""
    rows = chat_rows(60)
    rows[3] = {"messages": [{"role": "user", "content": "No reply here"}]}
    tab.files.set_training_file(write_jsonl(tmp_path / "broken.jsonl", rows))
    tab.launch_button.click()
    qtbot.waitUntil(lambda: tab._check is not None, timeout=20_000)
    assert tab.status.text().startswith("Nothing was uploaded")
    return rows


def test_nothing_uploaded_goes_once_the_file_passes(
    qtbot: Any, tab: LauncherTab, tmp_path: Path
) -> None:
    launch_refused(qtbot, tab, tmp_path)
    tab.files.set_training_file(write_jsonl(tmp_path / "fixed.jsonl", chat_rows(60)))
    tab.start_check()
    qtbot.waitUntil(lambda: tab._check is not None, timeout=20_000)
    assert tab.findings.text() == "The file passed every check."
    assert "Nothing was uploaded" not in tab.status.text()


def _listed(qtbot: Any, panel: JobsPanel, notices: NoticesShown | None = None) -> None:
    panel.refresh()
    task = panel._refresher.current
    if notices is not None:
        notices.follow(task)
    if task is not None:
        with qtbot.waitSignal(task.finished, timeout=30_000):
            pass


def test_a_retry_notice_goes_once_the_listing_works(qtbot: Any, tmp_path: Path) -> None:
    faults = FaultConfig(rate_limit=0.4, server_error=0.1, retry_after=0.05, seed=7)
    server = SandboxServer(tmp_path / "busy", api_key=KEY, speed=60, faults=faults)
    server.start()
    mgr = ConnectionManager(SecretStore(MemoryKeyring()))
    mgr.use_endpoint(server.base_url, KEY)
    panel = JobsPanel(mgr)
    qtbot.addWidget(panel)
    notices = NoticesShown(panel.status.text)
    try:
        _listed(qtbot, panel, notices)
        notices.assert_each_was_shown()  # the service was busy at first…
        assert "job(s)" in panel.summary.text()
        assert panel.status.text() == ""  # …and the line saying so went with it
    finally:
        panel.shutdown()
        mgr.shutdown()
        server.stop()


def test_an_error_from_the_last_service_goes_when_the_service_changes(
    qtbot: Any, sandbox: SandboxServer
) -> None:
    mgr = ConnectionManager(SecretStore(MemoryKeyring()))
    mgr.use_endpoint(sandbox.base_url, "sk-test-fake-wrong")
    panel = JobsPanel(mgr)
    qtbot.addWidget(panel)
    try:
        _listed(qtbot, panel)
        said = panel.status.text()
        assert said  # the refused key is said
        mgr.use_endpoint(sandbox.base_url, KEY)  # e.g. the practice sandbox
        _listed(qtbot, panel)
        assert "job(s)" in panel.summary.text()
        assert panel.status.text() != said
        assert not panel.banner.isVisibleTo(panel)
    finally:
        panel.shutdown()
        mgr.shutdown()


def test_cost_and_launch_agree_on_model_and_epochs(
    qtbot: Any, tab: LauncherTab, make_doc: Any, tmp_path: Path
) -> None:
    from ftstudio.core.cost import auto_epochs
    from ftstudio.gui.cost import CostTab

    rows = chat_rows(10)  # a small file: Auto trains 10 epochs, not 3
    doc = make_doc(path=write_jsonl(tmp_path / "small.jsonl", rows))
    cost = CostTab()
    qtbot.addWidget(cost)
    cost.set_document(doc)
    tab.set_document(doc)
    cost.epochs.setValue(2)  # chosen for this file…
    doc.set_model("gpt-4o-mini-2024-07-18")  # …and the model, in the Cost tab
    assert tab.picker.model() == "gpt-4o-mini-2024-07-18"  # Launch follows
    tab.start_check()
    qtbot.waitUntil(lambda: tab._check is not None, timeout=20_000)
    greyed = tab.hyper.rows["n_epochs"]
    assert greyed.value() == "auto"
    assert greyed.spin.value() == auto_epochs(len(rows)) == 10
    assert f"× {auto_epochs(len(rows))} epochs" in tab.cost.text()

    other = make_doc(path=write_jsonl(tmp_path / "other.jsonl", chat_rows(40)))
    cost.set_document(other)  # the next file starts on Auto again
    assert cost.epochs.value() == 0
    assert cost.current_estimate() is not None
    assert cost.current_estimate().epochs == auto_epochs(40)  # type: ignore[union-attr]
    cost.close()


def test_launch_totals_follow_edits_and_the_save(
    qtbot: Any, tab: LauncherTab, make_doc: Any, tmp_path: Path
) -> None:
    from ftstudio.core.dataset.edits import set_value

    doc = make_doc(path=write_jsonl(tmp_path / "edit.jsonl", chat_rows(60)))
    tab.set_document(doc)
    tab.start_check()
    qtbot.waitUntil(lambda: tab._check is not None, timeout=20_000)
    before = tab._check.report.cost.billing_tokens  # type: ignore[union-attr]
    assert "unsaved" not in tab.cost.text()
    longer = {
        "messages": [
            {"role": "user", "content": "Tell me everything. " * 50},
            {"role": "assistant", "content": "Here it is. " * 200},
        ]
    }
    doc.push(set_value(doc.store, 0, longer))
    qtbot.waitUntil(lambda: tab._check is not None, timeout=20_000)
    assert "unsaved edits are saved and counted again" in tab.cost.text()
    doc.save_now()
    qtbot.waitUntil(
        lambda: tab._check is not None and "unsaved" not in tab.cost.text(),
        timeout=20_000,
    )
    after = tab._check.report.cost.billing_tokens  # type: ignore[union-attr]
    assert after > before + 500  # the saved edit is counted, not the old total
