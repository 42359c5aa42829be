"""SVG icons from ``resources/icons``, registered once under the ``icons:`` prefix."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QDir
from PySide6.QtGui import QIcon

from ftstudio.core.resources import resource_path


@cache
def _names() -> frozenset[str]:
    folder = resource_path("icons")
    QDir.addSearchPath("icons", str(folder))
    return frozenset(p.stem for p in folder.glob("*.svg"))


def icon_names() -> list[str]:
    """Return the names :func:`icon` knows, sorted."""
    return sorted(_names())


def icon(name: str) -> QIcon:
    """Return the icon ``name`` (an SVG: sharp at any screen scale).

    Raises
    ------
    KeyError
        If there is no such icon, listing the names that exist.
    """
    if name not in _names():
        msg = f"no icon named {name!r}; known icons: {', '.join(icon_names())}"
        raise KeyError(msg)
    return QIcon(f"icons:{name}.svg")
