"""A tab whose widget is built when first needed, keeping start-up short."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyTab(QWidget):
    """Holds the place of a tab until :meth:`ensure` builds the real widget.

    Parameters
    ----------
    factory
        Imports and builds the real widget (its imports are what we defer).
    on_built
        Called with the real widget once, to connect it to the window.
    """

    def __init__(
        self,
        factory: Callable[[], QWidget],
        on_built: Callable[[QWidget], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._factory = factory
        self._on_built = on_built
        self.widget: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> QWidget:
        """Build the real widget if that has not happened yet, and return it."""
        if self.widget is None:
            self.widget = self._factory()
            layout = self.layout()
            assert layout is not None
            layout.addWidget(self.widget)
            self._on_built(self.widget)
        return self.widget
