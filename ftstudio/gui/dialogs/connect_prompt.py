"""The first-run prompt: enter a key, or practise with the offline sandbox."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from ftstudio.core.errors import FtError

if TYPE_CHECKING:
    from ftstudio.gui.connection import ConnectionManager

INTRO = (
    "To launch and watch fine-tuning jobs, ftstudio needs an API key for the "
    "service (for example OpenAI).\n\nNo key yet? The offline sandbox is a practice "
    "service on this computer: jobs are simulated, nothing is paid, nothing leaves "
    "this computer."
)


class ConnectPrompt(QMessageBox):
    """Asks how to connect: "Enter key…" or "Use offline sandbox" (or not now)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to a fine-tuning service")
        self.setIcon(QMessageBox.Icon.Question)
        self.setText("No API key is set.")
        self.setInformativeText(INTRO)
        self.enter_key = self.addButton("Enter key…", QMessageBox.ButtonRole.AcceptRole)
        self.sandbox = self.addButton(
            "Use offline sandbox", QMessageBox.ButtonRole.ActionRole
        )
        self.not_now = self.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.enter_key)


def ensure_connection(parent: QWidget | None, manager: ConnectionManager) -> bool:
    """Make sure the studio can talk to a service; ask the user when no key is known.

    Returns True when a connection exists afterwards (a key was entered, or the
    sandbox runs), False when the user chose "Not now" or the sandbox failed
    (which is then said in a message box).
    """
    if manager.connection is not None:
        return True
    prompt = ConnectPrompt(parent)
    prompt.exec()
    clicked = prompt.clickedButton()
    prompt.deleteLater()
    if clicked is prompt.enter_key:
        from ftstudio.gui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(manager, parent)
        dialog.exec()
        dialog.deleteLater()
    elif clicked is prompt.sandbox:
        try:
            manager.use_sandbox()
        except FtError as error:
            QMessageBox.warning(parent, "Offline sandbox", error.message)
            return False
    return manager.connection is not None
