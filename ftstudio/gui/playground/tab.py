"""The Playground tab: a Chat view and an Evaluation view over one connection."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import SignalInstance, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.chat.models import available_models
from ftstudio.core.errors import FtError
from ftstudio.gui.playground.chat_view import ChatView
from ftstudio.gui.widgets.banner import ErrorBanner
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    import openai
    from PySide6.QtGui import QShowEvent

    from ftstudio.core.chat.models import ModelChoices
    from ftstudio.gui.document import Document


class ConnectionSource(Protocol):
    """What the tab needs from ``ftstudio.gui.connection.ConnectionManager``."""

    @property
    def changed(self) -> SignalInstance:
        """Emitted when the endpoint, key or sandbox changes."""
        ...

    def client(self) -> openai.OpenAI:
        """Return a new SDK client (raises FtError when there is no key)."""
        ...


class PlaygroundTab(QWidget):
    """Chat with a model (or two side by side) and evaluate on a held-out test file.

    Parameters
    ----------
    connection
        The studio's :class:`~ftstudio.gui.connection.ConnectionManager`.
    parent
        The owning widget.
    """

    def __init__(
        self, connection: ConnectionSource, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._connection = connection
        self._listed = False
        self.models_runner = TaskRunner(self)
        self.banner = ErrorBanner()
        self.chat = ChatView(self.client)
        # imported here: the evaluation view reuses this package's model picker
        from ftstudio.gui.evaluation.view import EvalView

        self.evaluation = EvalView(self.client)
        self.views = QTabWidget()
        self.views.addTab(self.chat, "Chat")
        self.views.addTab(self.evaluation, "Evaluation")
        self.status = QLabel()
        self.status.setAccessibleName("Playground status")
        self.status.setWordWrap(True)
        refresh = QPushButton("Refresh model list")
        refresh.setToolTip("Ask the service again which models you can use.")
        refresh.clicked.connect(self.refresh_models)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.views, 1)
        layout.addLayout(bottom)
        self.new_dataset_requested = self.chat.new_dataset_requested
        for view in (self.chat, self.evaluation):
            view.error.connect(self.show_error)
            view.status.connect(self.status.setText)
        connection.changed.connect(self._on_connection_changed)

    # public API -----------------------------------------------------------------
    def set_document(self, doc: Document | None) -> None:
        """Set the dataset that "Add to dataset" adds examples to."""
        self.chat.set_document(doc)

    def set_model(self, name: str) -> None:
        """Chat with ``name`` (e.g. "Chat with this checkpoint" from the Monitor)."""
        self.chat.set_model(name)
        self.views.setCurrentWidget(self.chat)

    def evaluate_job(self, job_id: str) -> None:
        """Evaluate a finished job's model against its base (after training, one click)."""
        self.views.setCurrentWidget(self.evaluation)
        self.evaluation.evaluate_job(job_id)

    def client(self) -> openai.OpenAI:
        """Return the connection's shared SDK client (the connection owns and closes it)."""
        return self._connection.client()

    @Slot(object)
    def show_error(self, error: FtError) -> None:
        """Show ``error`` in the tab's banner."""
        self.banner.show_error(error)

    # models -------------------------------------------------------------------
    @Slot()
    def refresh_models(self) -> None:
        """Ask the service for its models, fine-tuned models and checkpoints."""
        try:
            client = self.client()
        except FtError as exc:
            self.status.setText(exc.message)
            return
        self._listed = True
        task = self.models_runner.start(
            partial(available_models, client), "Listing models"
        )
        task.succeeded.connect(self._on_models)
        task.failed.connect(self._on_models_failed)
        task.start()
        self.status.setText("Asking the service which models there are…")

    @Slot(object)
    def _on_models(self, choices: ModelChoices) -> None:
        self.chat.set_choices(choices)
        self.evaluation.set_choices(choices)
        count = len(choices.base) + len(choices.tuned) + len(choices.checkpoints)
        self.status.setText(f"{count} models available.")

    @Slot(object)
    def _on_models_failed(self, error: FtError) -> None:
        self.status.setText(f"The model list could not be loaded: {error.message}")

    def showEvent(self, event: QShowEvent) -> None:
        """List the models the first time the tab is shown."""
        super().showEvent(event)
        if not self._listed:
            self.refresh_models()

    @Slot()
    def _on_connection_changed(self) -> None:
        self._stop_all()
        self.banner.hide()
        if self.isVisible():
            self.refresh_models()
        else:
            self._listed = False

    def _stop_all(self) -> None:
        self.chat.shutdown()
        self.evaluation.shutdown()
        self.models_runner.shutdown()

    def shutdown(self) -> None:
        """Stop every reply, evaluation and listing, and wait for their threads."""
        self._stop_all()
