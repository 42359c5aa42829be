"""Tabs built when first needed, and the background preload that makes that cheap."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ftstudio.core.cancel import CancelToken
    from ftstudio.workers import TaskFn


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


def validator_tab() -> QWidget:
    """Build the Validator tab."""
    from ftstudio.gui.validator.tab import ValidatorTab

    return ValidatorTab()


def cost_tab() -> QWidget:
    """Build the Cost tab."""
    from ftstudio.gui.cost.tab import CostTab

    return CostTab()


def preload(model: str) -> TaskFn:
    """Return a task that imports the heavy Qt-free modules and loads the tokenizer.

    A prefetch: if it fails, opening a file reports the same problem. Only
    Qt-free modules are imported here (numpy, the store, the validator): a
    module that defines Qt classes, imported on a worker while the GUI thread
    creates widgets, deadlocked PySide now and then in the tests.
    """

    def run(_cancel: CancelToken) -> Generator[None, None, None]:
        import ftstudio.core.dataset.store
        import ftstudio.core.validation.validator  # noqa: F401
        from ftstudio.core.models import default_table
        from ftstudio.core.tokens.encodings import get_encoding

        yield None
        get_encoding(default_table().lookup(model).encoding)

    return run
