"""Light, dark or the system's colours, applied to every widget and plot.

Qt's Fusion style draws every widget from the application palette, so one
palette switch reaches all of them; plots and hand-drawn text take their
colours from the palette too and redraw on ``PaletteChange``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


class Theme(StrEnum):
    """The colour themes the user can pick (View → Theme)."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


TITLES = {Theme.SYSTEM: "&System", Theme.LIGHT: "&Light", Theme.DARK: "&Dark"}


def dark_palette() -> QPalette:
    """Return a dark palette with readable contrast for text, links and selections."""
    palette = QPalette()
    colours = {
        Role.Window: QColor(37, 37, 38),
        Role.WindowText: QColor(230, 230, 230),
        Role.Base: QColor(30, 30, 30),
        Role.AlternateBase: QColor(45, 45, 48),
        Role.ToolTipBase: QColor(50, 50, 52),
        Role.ToolTipText: QColor(230, 230, 230),
        Role.PlaceholderText: QColor(160, 160, 160),
        Role.Text: QColor(230, 230, 230),
        Role.Button: QColor(50, 50, 52),
        Role.ButtonText: QColor(230, 230, 230),
        Role.BrightText: QColor(255, 90, 90),
        Role.Link: QColor(110, 170, 255),
        Role.LinkVisited: QColor(180, 140, 255),
        Role.Highlight: QColor(42, 110, 187),
        Role.HighlightedText: QColor(255, 255, 255),
        Role.Light: QColor(70, 70, 72),
        Role.Midlight: QColor(60, 60, 62),
        Role.Mid: QColor(45, 45, 47),
        Role.Dark: QColor(20, 20, 20),
        Role.Shadow: QColor(0, 0, 0),
    }
    for role, colour in colours.items():
        palette.setColor(role, colour)
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, QColor(120, 120, 120))
    return palette


def is_dark(palette: QPalette) -> bool:
    """Return True when ``palette`` draws light text on a dark window."""
    return (
        palette.color(Role.Window).lightness()
        < palette.color(Role.WindowText).lightness()
    )


def error_colour(palette: QPalette) -> str:
    """Return a red that reads well on ``palette``'s background."""
    return "#ff8a80" if is_dark(palette) else "#c62828"


def apply_theme(theme: Theme | str) -> Theme:
    """Switch the running application to ``theme``; return the theme applied.

    An unknown name falls back to the system's colours.
    """
    try:
        chosen = Theme(theme)
    except ValueError:
        chosen = Theme.SYSTEM
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return chosen
    style = QStyleFactory.create("Fusion")
    if style is not None:
        app.setStyle(style)  # draws everything from the palette, on every OS
    scheme = {
        Theme.LIGHT: Qt.ColorScheme.Light,
        Theme.DARK: Qt.ColorScheme.Dark,
        Theme.SYSTEM: Qt.ColorScheme.Unknown,
    }[chosen]
    QGuiApplication.styleHints().setColorScheme(scheme)
    system_dark = QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    wants_dark = chosen is Theme.DARK or (chosen is Theme.SYSTEM and system_dark)
    if wants_dark:
        app.setPalette(dark_palette())
    else:
        base = app.style().standardPalette()
        if chosen is Theme.LIGHT and is_dark(base):
            base = QPalette(QColor(239, 239, 239))  # Qt's light Fusion colours
        app.setPalette(base)
    return chosen


def paint_plots(plots: Iterable[Any], palette: QPalette) -> QColor:
    """Give pyqtgraph plots the palette's background, axes and titles; return the text colour."""
    text = palette.color(QPalette.ColorRole.WindowText)
    for plot in plots:
        plot.setBackground(palette.color(QPalette.ColorRole.Base))
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setPen(text)
            plot.getAxis(axis).setTextPen(text)
        plot.getPlotItem().titleLabel.setAttr("color", text)
        plot.setTitle(plot.getPlotItem().titleLabel.text)
    return text
