"""Pick the provider (OpenAI, Azure, Nebius, local, sandbox), its address and key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ftstudio.core.api.connection import Endpoint
from ftstudio.core.errors import FtError
from ftstudio.core.providers import PROVIDERS, get

if TYPE_CHECKING:
    from ftstudio.gui.connection import ConnectionManager


class ProviderBox(QGroupBox):
    """The provider choice, saved with its address; the key goes to the key store.

    Parameters
    ----------
    manager
        The studio's connection: saving here changes what every tab talks to.
    """

    chat_requested = Signal(str)
    """The user wants to chat with this Azure deployment in the Playground."""
    saved = Signal(str)
    """The provider was saved (its name)."""

    def __init__(
        self, manager: ConnectionManager, parent: QWidget | None = None
    ) -> None:
        super().__init__("Provider", parent)
        self._manager = manager
        self.combo = QComboBox()
        for preset in PROVIDERS.values():
            self.combo.addItem(preset.label, preset.name)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.address = QLineEdit()
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("leave empty to keep the saved key")
        self.deployment = QLineEdit()
        self.deployment.setPlaceholderText(
            "the name you gave the deployment in Foundry"
        )
        self.chat_button = QPushButton("Chat with it")
        self.save_button = QPushButton("Use this provider")
        self.message = QLabel()
        self.message.setWordWrap(True)
        deploy_row = QHBoxLayout()
        deploy_row.addWidget(self.deployment, 1)
        deploy_row.addWidget(self.chat_button)
        self.deploy_label = QLabel("Deployment:")
        form = QFormLayout(self)
        form.addRow("Provider:", self.combo)
        form.addRow(self.about)
        self.address_label = QLabel("Address:")
        form.addRow(self.address_label, self.address)
        form.addRow("API key:", self.key)
        form.addRow(self.deploy_label, deploy_row)
        form.addRow(self.save_button)
        form.addRow(self.message)
        saved = manager.endpoint()
        index = self.combo.findData(saved.provider or "openai")
        self.combo.setCurrentIndex(max(index, 0))
        if saved.base_url and (saved.provider or "openai") == self.provider:
            self.address.setText(saved.base_url)
        self.combo.currentIndexChanged.connect(self._on_provider)
        self.save_button.clicked.connect(self.save)
        self.chat_button.clicked.connect(self._on_chat)
        self._on_provider()

    @property
    def provider(self) -> str:
        """Return the name of the provider picked."""
        return str(self.combo.currentData())

    @Slot()
    def _on_provider(self) -> None:
        preset = get(self.provider)
        words = [preset.status_line()]
        if preset.cannot:
            words.append("Cannot: " + "; ".join(preset.cannot) + ".")
        self.about.setText(" ".join(w for w in words if w))
        azure = preset.name == "azure"
        self.address_label.setText("Endpoint:" if azure else "Address:")
        self.address.setPlaceholderText(
            "https://<resource>.openai.azure.com"
            if azure
            else preset.default_base_url or ""
        )
        for widget in (self.deploy_label, self.deployment, self.chat_button):
            widget.setVisible(preset.chat_needs_deployment)

    @Slot()
    def save(self) -> None:
        """Save the provider and its address (and key when typed); tell the tabs."""
        preset = get(self.provider)
        address = self.address.text().strip()
        try:
            if preset.name == "azure":
                from ftstudio.core.providers.azure import base_url_from_endpoint

                address = base_url_from_endpoint(address)
        except FtError as error:
            self.message.setText(error.message)
            return
        base_url = address or preset.default_base_url
        stored = self._manager.save(
            Endpoint(base_url=base_url, provider=preset.name),
            self.key.text().strip() or None,
        )
        self.key.clear()
        where = " The key is in the system's key store." if stored else ""
        self.message.setText(f"Now using {preset.label} at {base_url}.{where}")
        self.saved.emit(preset.name)

    @Slot()
    def _on_chat(self) -> None:
        name = self.deployment.text().strip()
        if not name:
            self.message.setText(
                "Type the deployment's name first: Azure answers through a deployment, "
                "not the fine-tuned model's id."
            )
            return
        self.chat_requested.emit(name)
