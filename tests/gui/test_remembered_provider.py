"""The practice sandbox chosen once is still chosen after a restart."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from ftstudio.gui.mainwindow import MainWindow
from ftstudio.gui.settings import Settings
from tests import local_fixtures

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot


tiny_models_dir = local_fixtures.tiny_models_dir  # the shared tiny model, built once


def _window(qtbot: QtBot, ini: Path) -> MainWindow:
    settings = Settings(QSettings(str(ini), QSettings.Format.IniFormat))
    win = MainWindow(settings)
    qtbot.addWidget(win)
    return win


def test_the_sandbox_choice_survives_a_restart(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard
    )
    ini = tmp_path / "window.ini"
    first = _window(qtbot, ini)
    first.api_tabs.manager.use_sandbox()
    first.close()

    second = _window(qtbot, ini)
    manager = second.api_tabs.manager
    assert manager.sandbox_running  # not "No API key is set"
    assert manager.describe().startswith("Offline sandbox")
    manager.stop_sandbox()  # back to the saved service…
    second.close()

    third = _window(qtbot, ini)
    assert not third.api_tabs.manager.sandbox_running  # …is remembered too
    third.close()


def test_an_unknown_provider_is_refused(tmp_path: Path) -> None:
    settings = Settings(QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    assert settings.provider() == "service"
    with pytest.raises(ValueError, match="unknown provider"):
        settings.set_provider("moon")


def test_local_training_chosen_once_starts_again_next_time(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_models_dir: Path
) -> None:
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard
    )
    ini = tmp_path / "window.ini"
    first = _window(qtbot, ini)
    first.settings.set_local_training(tiny_models_dir, "cpu")
    first.api_tabs.manager.use_local(tiny_models_dir, "cpu")
    first.close()

    second = _window(qtbot, ini)
    manager = second.api_tabs.manager  # starts the trainer again, on a worker
    qtbot.waitUntil(lambda: manager.local_running, timeout=60_000)
    assert manager.local_options == (tiny_models_dir, "cpu")
    second.close()
