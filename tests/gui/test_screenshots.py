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
    from collections.abc import Callable, Iterator

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
    # a grid of about 50 x 30 points, fine enough for a small message box
    step_x, step_y = max(1, image.width() // 50), max(1, image.height() // 30)
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), step_x)
        for y in range(0, image.height(), step_y)
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


class _Boxes:
    """Stands in for QMessageBox's static helpers: builds the box, keeps it, answers."""

    def __init__(self) -> None:
        self.shown: list[QMessageBox] = []

    def stand_in(self, icon: QMessageBox.Icon) -> Callable[..., object]:
        """Return a stand-in for the static helper that shows ``icon``."""

        def build(
            parent: QWidget | None,
            title: str,
            text: str,
            buttons: QMessageBox.StandardButton | None = None,
            default: QMessageBox.StandardButton | None = None,
        ) -> QMessageBox.StandardButton:
            box = QMessageBox(icon, title, text, parent=parent)
            if buttons is not None:
                box.setStandardButtons(buttons)
            if default is not None:
                box.setDefaultButton(default)
            self.shown.append(box)
            return QMessageBox.StandardButton.Cancel

        return build


def more_dialogs(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, QWidget]]:
    """The dialogs that need no open dataset: built one at a time, as a user meets them."""
    import random

    from ftstudio.core.dataset.store import DatasetStore
    from ftstudio.core.evaluation.blind import BlindSession
    from ftstudio.core.evaluation.results import Answer
    from ftstudio.core.evaluation.table import EvalTable
    from ftstudio.core.evaluation.testfile import Case
    from ftstudio.gui.dialogs import help_dialogs
    from ftstudio.gui.dialogs.connect_prompt import ConnectPrompt
    from ftstudio.gui.document import Document
    from ftstudio.gui.evaluation.blind_dialog import BlindDialog
    from ftstudio.gui.evaluation.rubric_dialog import RubricDialog
    from ftstudio.gui.recovery import RecoveryCopy, ask_restore
    from ftstudio.gui.window.file_changed import build_box

    boxes = _Boxes()
    monkeypatch.setattr(
        QMessageBox, "information", boxes.stand_in(QMessageBox.Icon.Information)
    )
    monkeypatch.setattr(
        QMessageBox, "question", boxes.stand_in(QMessageBox.Icon.Question)
    )
    path = tmp_path / "faq.jsonl"
    path.write_bytes(b'{"messages": []}\n')
    doc = Document(DatasetStore.open(path))
    yield "dialog-file-changed", build_box(window, doc)[0]
    doc.close()
    copy = RecoveryCopy(tmp_path / "r.jsonl", path, "faq.jsonl", 1.7e9, 61)
    ask_restore(window, copy, "ftstudio closed unexpectedly.")
    yield "dialog-recovery", boxes.shown[-1]
    yield "dialog-connect", ConnectPrompt(window)
    yield "dialog-rubric", RubricDialog("Is the reply correct and polite?", window)
    cases = [Case(i, ({"role": "user", "content": f"Q{i}?"},), "A") for i in range(3)]
    answers = {
        (i, m): Answer(i, m, f"Reply {m} to {i}") for i in range(3) for m in (0, 1)
    }
    table = EvalTable(cases, ["base", "tuned"], answers)
    yield (
        "dialog-blind",
        BlindDialog(BlindSession(table, 0, 1, random.Random(1)), window),
    )
    for name, show in (
        ("guide", help_dialogs.show_guide),
        ("shortcuts", help_dialogs.show_shortcuts),
        ("whats-new", help_dialogs.show_whats_new),
    ):
        show(window)
        yield f"dialog-help-{name}", boxes.shown[-1]


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
@pytest.mark.parametrize("size", SIZES, ids=["1024x700", "1920x1080"])
def test_the_other_dialogs(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    theme: Theme,
    size: tuple[int, int],
) -> None:
    apply_theme(theme)
    settings = Settings(QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.resize(*size)
    suffix = f"{size[0]}x{size[1]}-{theme.value}"
    names = []
    for name, dialog in more_dialogs(window, tmp_path, monkeypatch):
        if not isinstance(dialog, QMessageBox):  # a message box sizes itself
            dialog.resize(min(900, size[0] - 80), min(640, size[1] - 60))
        dialog.show()
        qtbot.waitExposed(dialog)
        settle(qtbot)
        check_and_keep(dialog.grab().toImage(), f"{name}-{suffix}", theme)
        names.append(name)
        dialog.close()
        dialog.deleteLater()
    assert len(names) == 8
    window.close()
    QApplication.processEvents()
