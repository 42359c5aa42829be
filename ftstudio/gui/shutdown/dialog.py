"""The window's "Provider and shutdown kit" dialog: the provider box over the kit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from ftstudio.gui.shutdown.provider_box import ProviderBox
from ftstudio.gui.shutdown.view import ShutdownView

if TYPE_CHECKING:
    from ftstudio.gui.connection import ConnectionManager


class ShutdownDialog(QDialog):
    """Choose the provider; see when each fine-tune shuts down; archive everything."""

    def __init__(
        self, manager: ConnectionManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Provider and shutdown kit")
        self._manager = manager
        self.provider_box = ProviderBox(manager, self)
        self.view = ShutdownView(manager.client, self._provider, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.provider_box)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.provider_box.saved.connect(self._on_saved)
        self.resize(820, 640)

    def _provider(self) -> str:
        if self._manager.sandbox_running:
            return "sandbox"
        connection = self._manager.connection
        return (
            connection.provider
            if connection is not None
            else self.provider_box.provider
        )

    @Slot(str)
    def _on_saved(self, _name: str) -> None:
        self.view.refresh_headline()

    def done(self, result: int) -> None:
        """Stop the kit's work before closing (never leave a thread behind)."""
        self.view.shutdown()
        super().done(result)
