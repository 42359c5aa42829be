"""A splitter that comes back where the user left it, across restarts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QSplitter

from ftstudio.gui.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtWidgets import QWidget


class RememberedSplitter(QSplitter):
    """A splitter over ``widgets`` that restores its saved place and saves each move.

    Parameters
    ----------
    name
        Which splitter this is, one of :data:`ftstudio.gui.settings.SPLITTERS`.
    widgets
        The parts, in order.
    stretch
        Each part's stretch factor, for a window that grows.
    sizes
        The parts' first sizes (in proportion), before the user moves the splitter.
    horizontal
        Side by side rather than one above the other.
    settings
        Where to remember it (by default the window's settings file).
    """

    def __init__(
        self,
        name: str,
        widgets: Sequence[QWidget],
        stretch: Sequence[int] = (),
        *,
        sizes: Sequence[int] = (),
        horizontal: bool = False,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(
            Qt.Orientation.Horizontal if horizontal else Qt.Orientation.Vertical
        )
        self.setObjectName(name)
        for widget in widgets:
            self.addWidget(widget)
        for index, factor in enumerate(stretch):
            self.setStretchFactor(index, factor)
        if sizes:
            self.setSizes(list(sizes))
        self._name = name
        self._settings = settings or Settings()
        state = self._settings.splitter(name)
        # restored after the parts are added: a state only applies to parts there
        if state is not None:
            self.restoreState(state)
        self.splitterMoved.connect(self._on_moved)

    @Slot(int, int)
    def _on_moved(self, _position: int, _index: int) -> None:
        # QSettings writes to disk in the background and when the app quits
        self._settings.set_splitter(self.saveState(), self._name)
