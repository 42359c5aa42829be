"""The service tabs inside the studio window: built on first view, routed to each other, stopped on close.

Also takes the README's screenshots of every tab with real content: the bundled
sample opened, a job trained on it by the sandbox, its curves in the Monitor and
its fine-tuned model in the Playground.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ftstudio.core.api.jobs import follow_job
from ftstudio.core.api.launch import create_job_once
from ftstudio.core.api.retry import run_to_end
from ftstudio.core.api.upload import upload_file
from ftstudio.core.samples import copy_sample
from ftstudio.gui.mainwindow import MainWindow
from ftstudio.gui.settings import Settings
from ftstudio.sandbox.server import SandboxServer
from ftstudio.workers import live_tasks
from tests.gui.api_fixtures import FAST, KEY, sandbox_fixture  # noqa: F401 - fixture


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard
    )
    win = MainWindow(
        Settings(QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    )
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    win.close()


def titles(win: MainWindow) -> list[str]:
    return [win.tabs.tabText(i) for i in range(win.tabs.count())]


def test_service_tabs_wait_for_their_first_view(window: MainWindow) -> None:
    assert titles(window) == [
        "Dataset",
        "Validator",
        "Cost",
        "Launch",
        "Monitor",
        "Playground",
    ]
    tabs = window.api_tabs
    assert [t.widget for t in (tabs.launch, tabs.monitor, tabs.playground)] == [
        None,
        None,
        None,
    ]
    # no tab has touched the key store yet: start-up never waits on it
    assert tabs._manager is None


def test_first_visit_without_a_key_offers_the_sandbox_once(
    qtbot: Any, window: MainWindow
) -> None:
    offered: list[str] = []

    def choose_sandbox() -> None:
        from ftstudio.gui.dialogs.connect_prompt import ConnectPrompt

        prompt = QApplication.activeModalWidget()
        assert isinstance(prompt, ConnectPrompt)
        offered.append(prompt.text())
        prompt.sandbox.click()

    QTimer.singleShot(50, choose_sandbox)
    window.tabs.setCurrentWidget(window.api_tabs.launch)
    qtbot.waitUntil(lambda: window.api_tabs.manager.sandbox_running, timeout=10_000)
    assert len(offered) == 1
    window.tabs.setCurrentWidget(window.api_tabs.monitor)  # asked once, not per tab
    qtbot.wait(100)
    assert len(offered) == 1
    assert "sandbox" in window.api_tabs.manager.describe().lower()


def test_routing_between_tabs_and_clean_shutdown(
    qtbot: Any, window: MainWindow, sandbox: SandboxServer, tmp_path: Path
) -> None:
    window.api_tabs.manager.use_endpoint(sandbox.base_url, KEY)
    window.tabs.setCurrentWidget(window.api_tabs.launch)
    launcher = window.api_tabs.launch.widget
    assert launcher is not None
    launcher.open_in_monitor.emit("ftjob-nope")  # the jobs table's "Open in monitor"
    assert window.tabs.currentWidget() is window.api_tabs.monitor
    monitor = window.api_tabs.monitor.widget
    assert monitor is not None
    monitor.chat_with_model.emit("ft:gpt-4o-mini:sandbox:x:ckpt-step-10")
    assert window.tabs.currentWidget() is window.api_tabs.playground
    launcher.show_findings_requested.emit()
    assert window.tabs.currentWidget() is window.lazy_tabs[0]
    window.close()  # stops every tab's workers: their threads end at once
    qtbot.waitUntil(lambda: not live_tasks(), timeout=2000)


def cost_shown(window: MainWindow) -> Any:
    launcher = window.api_tabs.launch.widget
    return lambda: "$" in launcher.cost.text()


def test_screenshots_of_every_tab_with_real_content(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    """The README's screenshots (``FTSTUDIO_SCREENSHOTS=docs/screenshots`` to refresh them)."""
    folder = Path(os.environ.get("FTSTUDIO_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    with SandboxServer(tmp_path / "sandbox", api_key=KEY, speed=FAST * 2) as server:
        window.api_tabs.manager.use_endpoint(server.base_url, KEY)
        client = window.api_tabs.manager.client()  # shared: the window closes it
        train = copy_sample("customer_support.jsonl", tmp_path)
        valid = copy_sample("customer_support_validation.jsonl", tmp_path)
        training = run_to_end(upload_file(client, train))
        validation = run_to_end(upload_file(client, valid))
        job = run_to_end(
            create_job_once(
                client,
                {
                    "model": "gpt-4o-mini",
                    "training_file": training.id,
                    "validation_file": validation.id,
                    "suffix": "support",
                    "method": {
                        "type": "supervised",
                        "supervised": {"hyperparameters": {"n_epochs": 6}},
                    },
                },
            )
        )
        finished = run_to_end(follow_job(client, job.id, interval=0.1))
        assert finished.status == "succeeded"

        with qtbot.waitSignal(window.document_changed, timeout=10_000):
            window.open_path(train)
        qtbot.waitUntil(lambda: window.document.report is not None, timeout=15_000)
        window.jump_to_row(3)
        window.api_tabs.show_job(job.id)
        monitor = window.api_tabs.monitor.widget
        qtbot.waitUntil(
            lambda: monitor.header["status"].text() == "Finished", timeout=20_000
        )
        window.api_tabs.chat_with(finished.fine_tuned_model)
        playground = window.api_tabs.playground.widget
        playground.chat.message.setPlainText("How do I reset my password?")
        playground.chat.send_button.click()
        qtbot.waitUntil(lambda: not playground.chat.busy, timeout=15_000)
        for i in range(window.tabs.count()):
            window.tabs.setCurrentIndex(i)
            qtbot.wait(200)
            if window.tabs.widget(i) is window.api_tabs.launch:
                # the pre-launch check (and its cost estimate) runs on a worker
                qtbot.waitUntil(cost_shown(window), timeout=15_000)
            image = window.grab().toImage()
            name = window.tabs.tabText(i).lower()
            assert image.save(str(folder / f"{name}-tab.png"))
            colours = {
                image.pixel(x, y)
                for x in range(0, image.width(), 37)
                for y in range(0, image.height(), 41)
            }
            assert len(colours) > 3, f"the {name} tab painted nothing"
        window.close()


def test_the_monitor_withdraws_only_its_own_status_line(
    qtbot: Any, window: MainWindow, sandbox: SandboxServer
) -> None:
    window.api_tabs.manager.use_endpoint(sandbox.base_url, KEY)
    window.tabs.setCurrentWidget(window.api_tabs.monitor)
    monitor = window.api_tabs.monitor.widget
    assert monitor is not None
    bar = window.statusBar()
    monitor.status_message.emit("Trying again in 2 s…")
    assert bar.currentMessage() == "Trying again in 2 s…"
    monitor.status_message.emit("")  # the call got through
    assert bar.currentMessage() == ""
    monitor.status_message.emit("Trying again in 2 s…")
    bar.showMessage("Saved customer_support.jsonl")  # another tab speaks meanwhile
    monitor.status_message.emit("")
    assert bar.currentMessage() == "Saved customer_support.jsonl"
