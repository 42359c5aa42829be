"""An error that arrives after the user switched services is not shown as news."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.launcher.tab import LauncherTab
from ftstudio.sandbox.server import SandboxServer
from tests.gui.api_fixtures import (  # noqa: F401 - fixtures
    manager_fixture,
    sandbox_fixture,
)
from tests.sandbox_data import KEY


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # nobody listens there now: connections are refused


def test_a_late_failure_of_the_old_service_stays_unsaid(
    qtbot: Any,
    manager: ConnectionManager,
    sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ftstudio.core.api import retry

    monkeypatch.setattr(retry, "backoff_delay", lambda *_args: 0.5)
    manager.use_endpoint(f"http://127.0.0.1:{_closed_port()}/v1", KEY)
    tab = LauncherTab(manager)
    qtbot.addWidget(tab)
    tab.show()  # lists the models of the dead service in the background
    task = tab.picker._runner.current  # the listing that will fail
    assert task is not None
    tab.hide()  # the user went to another tab: nothing lists the new service yet
    manager.use_endpoint(sandbox.base_url, KEY)  # and switched services there
    qtbot.waitUntil(lambda: task.wait(0), timeout=15_000)  # the old listing ended
    qtbot.wait(200)  # and whatever it said has been delivered
    # back on the tab, nothing is said about the service the user left
    assert not tab.banner.isVisibleTo(tab), tab.banner.message.text()
    tab.show()
    qtbot.waitUntil(lambda: tab.picker.combo.count() > 3, timeout=10_000)
    assert not tab.banner.isVisible()
    tab.shutdown()
