"""Every tab and dialog, small and large, light and dark: drawn, readable, saved.

Set ``FTSTUDIO_SCREENSHOTS`` to a folder (``docs/screenshots``) to keep the images;
without it they are drawn and checked, not written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ftstudio.gui.mainwindow import MainWindow
from ftstudio.gui.settings import Settings
from ftstudio.gui.theme import Theme, apply_theme

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytestqt.qtbot import QtBot

_FOLDER = os.environ.get("FTSTUDIO_SCREENSHOTS")
SHOTS = Path(_FOLDER) if _FOLDER else None
SIZES = ((1024, 700), (1920, 1080))


@pytest.fixture(autouse=True)
def _back_to_system() -> Iterator[None]:
    yield
    apply_theme(Theme.SYSTEM)


def settle(qtbot: QtBot, ms: int = 120) -> None:
    qtbot.wait(ms)


def check_and_keep(image: QImage, name: str, theme: Theme) -> None:
    """The image is drawn (not blank) and its background follows the theme."""
    assert not image.isNull()
    corner = image.pixelColor(image.width() - 3, image.height() // 2)
    if theme is Theme.DARK:
        assert corner.lightness() < 110, f"{name}: a light background in dark mode"
    else:
        assert corner.lightness() > 150, f"{name}: a dark background in light mode"
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), 37)
        for y in range(0, image.height(), 29)
    }
    assert len(colours) > 3, f"{name}: nothing drawn"
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        image.save(str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
@pytest.mark.parametrize("size", SIZES, ids=["1024x700", "1920x1080"])
def test_every_tab_and_dialog(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    theme: Theme,
    size: tuple[int, int],
) -> None:
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard
    )
    apply_theme(theme)
    settings = Settings(QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    suffix = f"{size[0]}x{size[1]}-{theme.value}"
    settle(qtbot)
    check_and_keep(window.grab().toImage(), f"welcome-{suffix}", theme)

    with qtbot.waitSignal(window.document_changed, timeout=10_000):
        window.dataset_tab.welcome.try_button.click()
    doc = window.document
    assert doc is not None
    qtbot.waitUntil(lambda: doc.report is not None, timeout=20_000)
    window.build_tabs()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle(qtbot, 300)
        name = window.tabs.tabText(index).lower()
        check_and_keep(window.grab().toImage(), f"{name}-{suffix}", theme)

    for name, dialog in dialogs(window):
        dialog.resize(min(900, size[0] - 80), min(640, size[1] - 60))
        dialog.show()
        qtbot.waitExposed(dialog)
        settle(qtbot)
        check_and_keep(dialog.grab().toImage(), f"{name}-{suffix}", theme)
        dialog.close()
        dialog.deleteLater()
    window.close()
    QApplication.processEvents()


def dialogs(window: MainWindow) -> list[tuple[str, QWidget]]:
    from ftstudio.gui.dialogs.import_dialog import ImportDialog
    from ftstudio.gui.dialogs.settings_dialog import SettingsDialog
    from ftstudio.gui.dialogs.split_dialog import SplitDialog

    doc: Any = window.document
    return [
        ("dialog-import", ImportDialog(window)),
        ("dialog-split", SplitDialog(doc, window)),
        ("dialog-settings", SettingsDialog(window.api_tabs.manager, window)),
    ]
