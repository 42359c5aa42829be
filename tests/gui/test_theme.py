"""Light, dark or system colours: every widget and plot stays readable."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from ftstudio.core.chat.conversation import Conversation, Turn
from ftstudio.core.monitor.metrics import MetricSeries
from ftstudio.gui.mainwindow import MainWindow
from ftstudio.gui.monitor.plots import MetricsPlot
from ftstudio.gui.playground.side import SidePanel, speaker_colours
from ftstudio.gui.settings import Settings
from ftstudio.gui.theme import Theme, apply_theme, is_dark

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot


@pytest.fixture(autouse=True)
def _back_to_system() -> Iterator[None]:
    yield
    apply_theme(Theme.SYSTEM)


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def lum(c: QColor) -> float:
        def chan(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * chan(c.redF())
            + 0.7152 * chan(c.greenF())
            + 0.0722 * chan(c.blueF())
        )

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_playground_speakers_are_readable(qtbot: QtBot, theme: Theme) -> None:
    apply_theme(theme)
    panel = SidePanel(0, "gpt-4.1-mini")
    qtbot.addWidget(panel)
    panel.show_conversation(
        Conversation(models=["m"], turns=[Turn("Hi", ["Hello"]), Turn("Again")])
    )
    base = panel.palette().color(QPalette.ColorRole.Base)
    you, model, _ = speaker_colours(panel.palette())
    html = panel.transcript.toHtml()
    assert you in html
    assert model in html
    assert contrast(QColor(model), base) >= 7  # "Model:" was #222 on a dark base
    assert contrast(QColor(you), base) >= 4.5  # "You:" was dark blue on dark


def test_the_theme_menu_switches_everything_and_is_remembered(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard
    )
    ini = str(tmp_path / "w.ini")
    window = MainWindow(Settings(QSettings(ini, QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    window.show()
    plot = MetricsPlot(MetricSeries())
    qtbot.addWidget(plot)
    plot.show()
    qtbot.waitExposed(plot)
    dark = _theme_action(window, "&Dark")
    dark.trigger()
    assert is_dark(QApplication.palette())
    qtbot.waitUntil(lambda: is_dark(window.palette()), timeout=2000)
    qtbot.waitUntil(lambda: is_dark(plot.palette()), timeout=2000)
    loss = plot._plots[0]
    assert loss.backgroundBrush().color() == plot.palette().color(
        QPalette.ColorRole.Base
    )
    window.close()
    again = MainWindow(Settings(QSettings(ini, QSettings.Format.IniFormat)))
    qtbot.addWidget(again)
    assert _theme_action(again, "&Dark").isChecked()
    assert not _theme_action(again, "&Light").isChecked()
    _theme_action(again, "&Light").trigger()
    assert not is_dark(QApplication.palette())
    again.close()
    plot.close()


def _theme_action(window: MainWindow, text: str) -> object:
    for top in window.menuBar().actions():
        menu = top.menu()
        for action in menu.actions() if menu else []:
            sub = action.menu()
            if action.text() == "&Theme" and sub is not None:
                return next(a for a in sub.actions() if a.text() == text)
    msg = "no View → Theme menu"
    raise AssertionError(msg)


def test_the_evaluation_chart_follows_the_theme(qtbot: QtBot) -> None:
    from ftstudio.gui.evaluation.summary import SummaryPanel

    panel = SummaryPanel()
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    for theme in (Theme.DARK, Theme.LIGHT):
        apply_theme(theme)
        qtbot.waitUntil(
            lambda theme=theme: is_dark(panel.palette()) == (theme is Theme.DARK),
            timeout=2000,
        )
        base = panel.palette().color(QPalette.ColorRole.Base)
        assert panel.plot.backgroundBrush().color() == base
        text = panel.palette().color(QPalette.ColorRole.WindowText)
        assert panel.plot.getAxis("left").textPen().color() == text
    panel.close()
