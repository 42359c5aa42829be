"""Settings: the key stays masked and goes only to the key store; the test says what is wrong."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from keyring.backends import fail
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from ftstudio.core.api.connection import DEFAULT_BASE_URL, endpoint_path
from ftstudio.core.secrets import SecretStore
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.dialogs.connect_prompt import ConnectPrompt, ensure_connection
from ftstudio.gui.dialogs.settings_dialog import CUSTOM, OPENAI, SettingsDialog
from ftstudio.sandbox.server import SandboxServer
from tests.gui.api_fixtures import KEY, sandbox_fixture  # noqa: F401 - a fixture
from tests.keyrings import MemoryKeyring


@pytest.fixture
def backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def mgr(qtbot: Any, backend: MemoryKeyring) -> Iterator[ConnectionManager]:
    manager = ConnectionManager(SecretStore(backend))
    yield manager
    manager.shutdown()


def open_dialog(qtbot: Any, mgr: ConnectionManager) -> SettingsDialog:
    dialog = SettingsDialog(mgr)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def choose(dialog: SettingsDialog, preset: str, url: str = "") -> None:
    dialog.preset.setCurrentIndex(dialog.preset.findData(preset))
    if url:
        dialog.url.setText(url)


def test_key_is_masked_until_shown_and_saved_only_in_the_key_store(
    qtbot: Any, mgr: ConnectionManager, backend: MemoryKeyring
) -> None:
    dialog = open_dialog(qtbot, mgr)
    assert dialog.key.echoMode() is QLineEdit.EchoMode.Password
    dialog.show_key.click()
    assert dialog.key.echoMode() is QLineEdit.EchoMode.Normal
    dialog.show_key.click()
    assert dialog.key.echoMode() is QLineEdit.EchoMode.Password
    choose(dialog, OPENAI)
    dialog.key.setText(KEY)
    dialog.organization.setText("org-example")
    with qtbot.waitSignal(mgr.changed):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert backend.items == {("ftstudio", DEFAULT_BASE_URL): KEY}
    saved = endpoint_path().read_text(encoding="utf-8")
    assert KEY not in saved
    assert "org-example" in saved
    assert mgr.connection is not None
    assert mgr.connection.organization == "org-example"

    again = open_dialog(qtbot, mgr)  # a saved key is never put back in the field
    assert again.key.text() == ""
    assert KEY not in again.saved_key.text()
    assert "sk-t…-key" in again.saved_key.text()
    again.forget.click()
    assert backend.items == {}
    assert "No key is saved" in again.saved_key.text()


def test_without_a_key_store_it_says_so(qtbot: Any) -> None:
    manager = ConnectionManager(SecretStore(fail.Keyring()))
    dialog = open_dialog(qtbot, manager)
    assert "No secure key store was found" in dialog.store_note.text()
    assert "never written to a file" in dialog.store_note.text()


def test_environment_key_is_said_to_be_used(
    qtbot: Any, mgr: ConnectionManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    dialog = open_dialog(qtbot, mgr)
    assert dialog.env_note.isVisibleTo(dialog)
    assert "OPENAI_API_KEY" in dialog.env_note.text()
    assert "uses it" in dialog.env_note.text()


def run_test(qtbot: Any, dialog: SettingsDialog) -> str:
    task_done = dialog._runner
    dialog.test.click()
    task = task_done.current
    if task is not None:
        with qtbot.waitSignal(task.finished, timeout=30_000):
            pass
    return dialog.result_label.text()


def test_connection_test_lists_the_models(
    qtbot: Any,
    mgr: ConnectionManager,
    sandbox: SandboxServer,
) -> None:
    dialog = open_dialog(qtbot, mgr)
    choose(dialog, CUSTOM, sandbox.base_url)
    dialog.key.setText(KEY)
    assert run_test(qtbot, dialog).startswith("Connected: the service lists")


def test_connection_test_says_the_key_was_refused(
    qtbot: Any,
    mgr: ConnectionManager,
    sandbox: SandboxServer,
) -> None:
    dialog = open_dialog(qtbot, mgr)
    choose(dialog, CUSTOM, sandbox.base_url)
    dialog.key.setText("sk-test-wrong-not-a-real-key")
    text = run_test(qtbot, dialog)
    assert "API key was refused" in text
    assert "sk-test-wrong" not in text
    assert dialog.details.isVisibleTo(dialog)


def test_connection_test_says_when_nothing_answers(
    qtbot: Any, mgr: ConnectionManager
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dialog = open_dialog(qtbot, mgr)
    choose(dialog, CUSTOM, f"http://127.0.0.1:{port}/v1")
    dialog.key.setText(KEY)
    assert "Cannot reach the service" in run_test(qtbot, dialog)


def test_connection_test_asks_for_a_url_and_a_key_first(
    qtbot: Any, mgr: ConnectionManager
) -> None:
    dialog = open_dialog(qtbot, mgr)
    choose(dialog, CUSTOM, "")
    dialog.url.clear()
    assert "base URL" in run_test(qtbot, dialog)
    choose(dialog, OPENAI)
    assert run_test(qtbot, dialog) == "Enter the API key first."


def test_use_offline_sandbox_starts_it_and_closes(
    qtbot: Any, mgr: ConnectionManager
) -> None:
    dialog = open_dialog(qtbot, mgr)
    with qtbot.waitSignal(dialog.accepted):
        dialog.sandbox.click()
    assert mgr.sandbox_running
    assert mgr.describe().startswith("Offline sandbox (127.0.0.1:")


def answer_prompt_with(button: str) -> None:
    """Click ``button`` of the first-run prompt once it is on screen."""

    def click() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, ConnectPrompt) and widget.isVisible():
                getattr(widget, button).click()
                return
        QTimer.singleShot(20, click)

    QTimer.singleShot(20, click)


def test_first_run_prompt_offers_the_sandbox(
    qtbot: Any, mgr: ConnectionManager
) -> None:
    answer_prompt_with("sandbox")
    assert ensure_connection(None, mgr) is True
    assert mgr.sandbox_running


def test_first_run_prompt_not_now_leaves_it_unconnected(
    qtbot: Any, mgr: ConnectionManager
) -> None:
    answer_prompt_with("not_now")
    assert ensure_connection(None, mgr) is False
    assert not mgr.sandbox_running


def test_prompt_is_skipped_when_a_key_exists(
    qtbot: Any, mgr: ConnectionManager
) -> None:
    mgr.use_endpoint("http://127.0.0.1:9/v1", KEY)
    assert ensure_connection(None, mgr) is True


def test_first_run_prompt_enter_key_opens_settings_and_connects(
    qtbot: Any, mgr: ConnectionManager, backend: MemoryKeyring
) -> None:
    def answer() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, ConnectPrompt) and widget.isVisible():
                widget.enter_key.click()
                QTimer.singleShot(20, answer)
                return
            if isinstance(widget, SettingsDialog) and widget.isVisible():
                widget.key.setText(KEY)
                widget.accept()
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)
    assert ensure_connection(None, mgr) is True
    assert backend.items == {("ftstudio", DEFAULT_BASE_URL): KEY}
    assert not mgr.sandbox_running


def test_connection_test_says_when_the_url_is_wrong(
    qtbot: Any, mgr: ConnectionManager, sandbox: SandboxServer
) -> None:
    dialog = open_dialog(qtbot, mgr)
    choose(dialog, CUSTOM, sandbox.base_url.removesuffix("/v1") + "/wrong")
    dialog.key.setText(KEY)
    assert "check the base URL" in run_test(qtbot, dialog)
