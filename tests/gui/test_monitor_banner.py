"""The Monitor's error banner: news of the job withdraws only what it made untrue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ftstudio.sandbox.server import SandboxServer
from tests.gui.test_monitor_tab import KEY, open_tab, show_new_job


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    # speed 5: the job runs long enough to send several updates after the save
    with SandboxServer(tmp_path / "sb", api_key=KEY, speed=5) as srv:
        yield srv


def test_a_failed_save_stays_shown_while_the_job_goes_on(
    closing: Any, qtbot: Any, server: SandboxServer, tmp_path: Path
) -> None:
    tab = open_tab(qtbot, server, closing)
    show_new_job(qtbot, tab, server, closing, tmp_path, epochs=6)
    tab.export_csv(tmp_path)  # a folder: the save fails
    assert tab.banner.isVisible()
    assert "Cannot save the metrics" in tab.banner.message.text()
    seen = len(tab.series)
    qtbot.waitUntil(lambda: len(tab.series) > seen, timeout=15_000)
    # more of the job arrived; the user has still to read why the save failed
    assert tab.banner.isVisible()
    assert "Cannot save the metrics" in tab.banner.message.text()
    tab.shutdown()
