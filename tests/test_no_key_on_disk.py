"""A whole launch through the window's code, then every file the app wrote: no API key."""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ftstudio.core.api.connection import endpoint_path
from ftstudio.core.dataset.edits import set_value
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.paths import user_config_dir, user_data_dir
from ftstudio.core.secrets import SecretStore
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.dialogs.settings_dialog import CUSTOM, SettingsDialog
from ftstudio.gui.document import Document
from ftstudio.gui.launcher.tab import LauncherTab
from ftstudio.gui.mainwindow import MainWindow
from ftstudio.gui.recovery import recovery_dir
from ftstudio.sandbox.server import SandboxServer
from tests.gui.api_fixtures import chat_rows, write_jsonl
from tests.keyrings import MemoryKeyring

# unique, so a hit can only be this key; shaped like a real one, so redaction must work
KEY = "sk-test-not-a-real-key-" + os.urandom(8).hex()


@pytest.fixture
def debug_log() -> Iterator[Path]:
    """Log everything (the SDK's and HTTP stack's debug lines too) to a file."""
    path = user_data_dir() / "logs" / "ftstudio.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield path
    root.removeHandler(handler)
    root.setLevel(old_level)
    handler.close()


def files_under(*folders: Path) -> list[Path]:
    return [
        p
        for folder in folders
        if folder.exists()
        for p in folder.rglob("*")
        if p.is_file()
    ]


def test_a_whole_launch_leaves_the_key_in_no_file(
    qtbot: Any, tmp_path: Path, debug_log: Path
) -> None:
    service = SandboxServer(tmp_path / "service", api_key=KEY, speed=60)
    service.start()
    backend = MemoryKeyring()
    manager = ConnectionManager(SecretStore(backend))
    window: MainWindow | None = None
    tab: LauncherTab | None = None
    try:
        # the user types the key in Settings
        dialog = SettingsDialog(manager)
        qtbot.addWidget(dialog)
        dialog.preset.setCurrentIndex(dialog.preset.findData(CUSTOM))
        dialog.url.setText(service.base_url)
        dialog.key.setText(KEY)
        dialog.test.click()
        qtbot.waitUntil(
            lambda: "Connected" in dialog.result_label.text(), timeout=20_000
        )
        dialog.accept()
        assert KEY in backend.items.values()  # it went to the key store

        window = MainWindow()
        qtbot.addWidget(window)
        tab = LauncherTab(manager)
        window.add_tab(tab, "Launch")
        window.show()
        window.tabs.setCurrentWidget(tab)
        train = write_jsonl(tmp_path / "train.jsonl", chat_rows(60))
        doc = Document(DatasetStore.open(train), model="gpt-4o-mini")
        window.set_document(doc)
        doc.push(set_value(doc.store, 0, chat_rows(1, start=500)[0]))
        assert window._recovery is not None
        window._recovery.autosave()  # a recovery copy of the unsaved edit
        qtbot.waitUntil(lambda: any(recovery_dir().glob("*.jsonl")), timeout=10_000)

        answers: list[str] = []

        def say_yes(title: str, _text: str) -> bool:
            answers.append(title)
            return True

        tab.ask = say_yes
        with qtbot.waitSignal(tab.job_launched, timeout=60_000) as launched:
            tab.launch_button.click()
        assert answers == ["Save the dataset?", "Start fine-tuning?"]
        job_id = str(launched.args[0])
        client = manager.client()  # shared with the tab: the manager closes it
        qtbot.waitUntil(
            lambda: client.fine_tuning.jobs.retrieve(job_id).status == "succeeded",
            timeout=30_000,
        )
        results = tmp_path / "results" / "metrics.csv"
        results.parent.mkdir()
        tab.jobs.choose_target = lambda _suggested: results
        tab.jobs.refresh()
        qtbot.waitUntil(lambda: tab.jobs.model.row_of(job_id) >= 0, timeout=20_000)
        tab.jobs.select_job(job_id)
        qtbot.waitUntil(tab.jobs.results_button.isEnabled, timeout=20_000)
        tab.jobs.results_button.click()
        qtbot.waitUntil(results.exists, timeout=20_000)

        # a crash report while the key is in play
        from ftstudio.gui.app import write_crash_log

        assert write_crash_log(f"Traceback: Authorization: Bearer {KEY}\napi_key={KEY}")
        tab.shutdown()
        window.close()  # writes the window settings
    finally:
        if tab is not None:
            tab.shutdown()
        manager.shutdown()
        service.stop()

    written = [*files_under(user_config_dir(), user_data_dir(), results.parent), train]
    names = {p.name for p in written}
    # the test looked where the app writes: settings, endpoint, log, crash, results
    assert {"window.ini", endpoint_path().name, debug_log.name, "metrics.csv"} <= names
    assert any(p.parent.name == "crashes" for p in written)
    assert debug_log.stat().st_size > 0
    needles = [KEY.encode(), base64.b64encode(KEY.encode()), KEY.encode("utf-16-le")]
    hits = [str(p) for p in written for needle in needles if needle in p.read_bytes()]
    assert hits == []
