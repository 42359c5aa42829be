"""Connection settings: the service (OpenAI, this computer, sandbox, other), key, organization."""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.api.connection import DEFAULT_BASE_URL, Connection, Endpoint
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.redact import mask_key
from ftstudio.gui.dialogs.local_box import LocalBox
from ftstudio.gui.widgets.banner import DetailsDialog
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    from ftstudio.core.cancel import CancelToken
    from ftstudio.gui.connection import ConnectionManager

OPENAI, LOCAL, SANDBOX, CUSTOM = "openai", "local", "sandbox", "custom"
PRESETS = (
    (OPENAI, "OpenAI"),
    (LOCAL, "This computer (local training on your GPU, no key needed)"),
    (SANDBOX, "Offline sandbox (on this computer, no key needed)"),
    (CUSTOM, "Another service or Azure OpenAI (v1 endpoint)"),
)
CUSTOM_HINT = "https://YOUR-RESOURCE.openai.azure.com/openai/v1"
TEST_TIMEOUT = 15.0
STARTING = "Starting the local trainer… (PyTorch takes a few seconds to load)"


def list_model_ids(connection: Connection) -> Generator[object, None, list[str]]:
    """Ask the service for its models (the connection test); return their names."""
    from ftstudio.core.api.connection import make_client
    from ftstudio.core.api.retry import with_retries

    with make_client(connection).with_options(timeout=TEST_TIMEOUT) as client:
        page = yield from with_retries(client.models.list, max_attempts=2)
        return sorted(m.id for m in page.data)


class SettingsDialog(QDialog):
    """Where the user enters the key and picks the service.

    The key field never shows a saved key: it is only masked in a label, and a
    typed key is hidden unless "Show" is on. Saving puts the key in the key
    store through the :class:`ConnectionManager`, never in a settings file.
    """

    def __init__(
        self, manager: ConnectionManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connection settings")
        self.manager = manager
        self._runner = TaskRunner(self)
        self._error: FtError | None = None
        layout = QVBoxLayout(self)

        self.store_note = QLabel()
        self.store_note.setWordWrap(True)
        layout.addWidget(self.store_note)

        form = QFormLayout()
        self.preset = QComboBox()
        self.preset.setAccessibleName("Service")
        for key, label in PRESETS:
            self.preset.addItem(label, key)
        form.addRow("Service:", self.preset)
        self.local = LocalBox(self)
        self.local.add_to(form)
        self.local.started.connect(self._on_local_started)
        self.local.failed.connect(self._on_local_failed)
        self.url = QLineEdit()
        self.url.setAccessibleName("Base URL")
        self.url.setPlaceholderText(CUSTOM_HINT)
        form.addRow("Base URL:", self.url)

        key_row = QHBoxLayout()
        self.key = QLineEdit()
        self.key.setAccessibleName("API key")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_key = QToolButton()
        self.show_key.setText("Show")
        self.show_key.setCheckable(True)
        self.show_key.setToolTip("Show the key you are typing")
        self.show_key.toggled.connect(self._on_show_key)
        key_row.addWidget(self.key, 1)
        key_row.addWidget(self.show_key)
        form.addRow("API key:", key_row)
        saved_row = QHBoxLayout()
        self.saved_key = QLabel()
        self.forget = QPushButton("Forget saved key")
        self.forget.clicked.connect(self._on_forget)
        saved_row.addWidget(self.saved_key, 1)
        saved_row.addWidget(self.forget)
        form.addRow("", saved_row)
        self.env_note = QLabel()
        self.env_note.setWordWrap(True)
        self.organization = QLineEdit()
        self.organization.setAccessibleName("Organization ID")
        self.organization.setPlaceholderText("optional, e.g. org-…")
        form.addRow("Organization:", self.organization)
        self.project = QLineEdit()
        self.project.setAccessibleName("Project ID")
        self.project.setPlaceholderText("optional, e.g. proj_…")
        form.addRow("Project:", self.project)
        layout.addLayout(form)
        self._form = form
        layout.addWidget(self.env_note)

        test_row = QHBoxLayout()
        self.test = QPushButton("Test connection")
        self.test.setToolTip("Ask the service for its models with these settings")
        self.test.clicked.connect(self.test_connection)
        self.sandbox = QPushButton("Use offline sandbox")
        self.sandbox.setToolTip(
            "Start a practice service on this computer: jobs are simulated and free"
        )
        self.sandbox.clicked.connect(self._on_sandbox)
        test_row.addWidget(self.test)
        test_row.addWidget(self.sandbox)
        test_row.addStretch(1)
        layout.addLayout(test_row)
        result_row = QHBoxLayout()
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName("Connection test result")
        self.details = QPushButton("Details…")
        self.details.hide()
        self.details.clicked.connect(self._on_details)
        result_row.addWidget(self.result_label, 1)
        result_row.addWidget(self.details)
        layout.addLayout(result_row)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._load()
        self.preset.currentIndexChanged.connect(self._on_preset)
        self.url.textChanged.connect(self._refresh_key_status)
        self.setMinimumWidth(560)

    # showing the current state --------------------------------------------------
    def _load(self) -> None:
        secrets = self.manager.secrets
        if secrets.secure:
            self.store_note.setText(
                f"The API key is kept in this computer's key store ({secrets.backend_name}), "
                "never in a settings file."
            )
        else:
            self.store_note.setText(
                f"<b>{secrets.reason}</b> It is never written to a file."
            )
        endpoint = self.manager.endpoint()
        url = endpoint.base_url or DEFAULT_BASE_URL
        preset = OPENAI if url.rstrip("/") == DEFAULT_BASE_URL else CUSTOM
        if self.manager.sandbox_running:
            preset = SANDBOX
        running = self.manager.local_options
        if running is not None:
            preset = LOCAL
            self.local.set_values(*running)
        else:
            from ftstudio.gui.settings import Settings

            self.local.set_values(*Settings().local_training())
        self.preset.setCurrentIndex(self.preset.findData(preset))
        self.url.setText(url if preset == CUSTOM else "")
        self.organization.setText(endpoint.organization)
        self.project.setText(endpoint.project)
        self._on_preset()

    def base_url(self) -> str:
        """Return the base URL the form describes (empty for a service started here)."""
        preset = self.preset.currentData()
        if preset == OPENAI:
            return DEFAULT_BASE_URL
        if preset in (SANDBOX, LOCAL):
            return ""
        return self.url.text().strip().rstrip("/")

    @Slot()
    def _on_preset(self, *_args: object) -> None:
        preset = self.preset.currentData()
        here = preset in (SANDBOX, LOCAL)  # a service this studio starts itself
        self.url.setEnabled(preset == CUSTOM)
        if preset == OPENAI:
            self.url.setText("")
            self.url.setPlaceholderText(DEFAULT_BASE_URL)
        elif here:
            self.url.setText("")
            self.url.setPlaceholderText("started on this computer when you save")
        else:
            self.url.setPlaceholderText(CUSTOM_HINT)
        for widget in (self.key, self.show_key, self.organization, self.project):
            widget.setEnabled(not here)
        self.test.setEnabled(not here)
        self.local.set_visible(self._form, preset == LOCAL)
        if preset == LOCAL:
            self.local.refresh()
        self._refresh_key_status()

    @Slot()
    def _refresh_key_status(self, *_args: object) -> None:
        url = self.base_url()
        saved = self.manager.secrets.get(url) if url else None
        if self.preset.currentData() == SANDBOX:
            self.saved_key.setText("The sandbox needs no key.")
        elif self.preset.currentData() == LOCAL:
            self.saved_key.setText("Training on this computer needs no key.")
        elif saved:
            where = "key store" if self.manager.secrets.secure else "this session"
            self.saved_key.setText(
                f"Saved key: {mask_key(saved)} ({where}). Type a new one to replace it."
            )
        else:
            self.saved_key.setText("No key is saved for this service.")
        self.forget.setVisible(bool(saved))
        env_key = os.environ.get("OPENAI_API_KEY")
        if env_key and not saved:
            self.env_note.setText(
                "OPENAI_API_KEY is set in the environment: ftstudio uses it while no "
                "key is saved here."
            )
        elif env_key:
            self.env_note.setText(
                "OPENAI_API_KEY is set in the environment, but the saved key is used."
            )
        self.env_note.setVisible(bool(env_key))

    @Slot(bool)
    def _on_show_key(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.key.setEchoMode(mode)
        self.show_key.setText("Hide" if shown else "Show")

    @Slot()
    def _on_forget(self) -> None:
        self.manager.forget_key(self.base_url())
        self._refresh_key_status()

    # testing --------------------------------------------------------------------
    def _form_connection(self) -> Connection:
        url = self.base_url()
        if not url.startswith(("http://", "https://")):
            raise FtError(
                ErrorKind.INPUT,
                "Enter the service's base URL, starting with https:// (for example "
                f"{CUSTOM_HINT}).",
            )
        key = (
            self.key.text().strip()
            or self.manager.secrets.get(url)
            or os.environ.get("OPENAI_API_KEY", "")
        )
        if not key:
            raise FtError(ErrorKind.AUTH, "Enter the API key first.")
        return Connection(
            base_url=url,
            api_key=key,
            organization=self.organization.text().strip(),
            project=self.project.text().strip(),
        )

    @Slot()
    def test_connection(self) -> None:
        """List the service's models with the form's settings, on a worker."""
        try:
            connection = self._form_connection()
        except FtError as error:
            self._show_result(error.message, error)
            return

        def run(_cancel: CancelToken) -> Generator[object, None, list[str]]:
            return (yield from list_model_ids(connection))

        self._show_result("Testing…", None)
        self.test.setEnabled(False)
        task = self._runner.start(run, "Testing the connection")
        task.succeeded.connect(self._on_tested)
        task.failed.connect(self._on_test_failed)
        task.finished.connect(self._on_test_finished)
        task.start()

    @Slot(object)
    def _on_tested(self, models: list[str]) -> None:
        tuned = sum(1 for m in models if m.startswith("ft:"))
        extra = f", {tuned} of them your own fine-tuned models" if tuned else ""
        self._show_result(
            f"Connected: the service lists {len(models)} models{extra}.", None
        )

    @Slot(object)
    def _on_test_failed(self, error: FtError) -> None:
        message = error.message
        if (
            error.kind is ErrorKind.NOT_FOUND
        ):  # listing models cannot 404 at the right address
            message = (
                "Something answered, but not a fine-tuning service at this address: "
                "check the base URL (it usually ends in /v1)."
            )
        self._show_result(f"Not connected. {message}", error)

    @Slot()
    def _on_test_finished(self) -> None:
        self.test.setEnabled(self.preset.currentData() not in (SANDBOX, LOCAL))

    def _show_result(self, text: str, error: FtError | None) -> None:
        self._error = error
        self.result_label.setText(text)
        self.details.setVisible(error is not None and bool(error.detail))

    @Slot()
    def _on_details(self) -> None:
        if self._error is not None:
            DetailsDialog(self._error, self).exec()

    # saving ---------------------------------------------------------------------
    @Slot()
    def _on_sandbox(self) -> None:
        self.preset.setCurrentIndex(self.preset.findData(SANDBOX))
        self.accept()

    def accept(self) -> None:
        """Save the settings (or start the sandbox) and close; stay open on a problem."""
        try:
            if self.preset.currentData() == LOCAL:
                if self.local.start(self.manager, self._runner):
                    self._show_result(STARTING, None)
                    self.buttons.button(
                        QDialogButtonBox.StandardButton.Save
                    ).setEnabled(False)
                    return  # closes once started (or shows why not)
            else:
                self._apply()
        except FtError as error:
            self._show_result(error.message, error)
            return
        self._runner.shutdown()
        self.local.stop_unused()  # a local start given up for another service
        super().accept()

    @Slot()
    def _on_local_started(self) -> None:
        super().accept()  # the start task ends on its own

    @Slot(object)
    def _on_local_failed(self, error: FtError) -> None:
        self._show_result(error.message, error)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)

    def reject(self) -> None:
        """Close without saving, stopping a test or a start still running."""
        self._runner.shutdown()
        self.local.stop_unused()
        super().reject()

    def _apply(self) -> None:
        if self.preset.currentData() == SANDBOX:
            self.manager.use_sandbox()
            return
        url = self.base_url()
        if not url.startswith(("http://", "https://")):
            raise FtError(
                ErrorKind.INPUT,
                f"Enter the service's base URL, starting with https:// (for example {CUSTOM_HINT}).",
            )
        key = self.key.text().strip()
        self.manager.save(
            Endpoint(
                base_url=url,
                organization=self.organization.text().strip(),
                project=self.project.text().strip(),
            ),
            key or None,
        )
        self.key.clear()  # do not keep the typed key in a widget longer than needed
