"""Settings for training on this computer: the models folder, the device, what is missing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.gui.connection import check_local, local_missing, start_local

if TYPE_CHECKING:
    from collections.abc import Generator

    from ftstudio.core.cancel import CancelToken
    from ftstudio.core.progress import Progress
    from ftstudio.gui.connection import ConnectionManager, LocalService
    from ftstudio.workers import TaskRunner

DEVICE_CHOICES = (
    ("auto", "Automatic (the GPU when there is one)"),
    ("cuda", "NVIDIA GPU (CUDA)"),
    ("mps", "Apple GPU (Metal)"),
    ("cpu", "Processor only (slow: small models and tests)"),
)
ABOUT = (
    "Jobs train for real on this computer, in a process of their own, with the same "
    "Launch, Monitor and Playground tabs. Each folder inside the models folder is one "
    "base model as downloaded from Hugging Face (config, weights and a tokenizer "
    "with a chat template). Nothing is downloaded for you."
)


def default_models_dir() -> Path:
    """Return where models usually are: ``~/models`` when it exists, else home."""
    guess = Path.home() / "models"
    return guess if guess.is_dir() else Path.home()


class LocalBox(QObject):
    """The models folder (typed or browsed), the device, and a plain note.

    The note says what local training does, or, when the training libraries are
    not installed, what is missing and the one command that adds them. The
    rows go into the dialog's own form (:meth:`add_to`), so they line up with it.
    """

    started = Signal()
    """The local trainer started and the studio now uses it."""
    failed = Signal(object)
    """The local trainer could not start: this :class:`FtError` says why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._manager: ConnectionManager | None = None
        self._made: list[LocalService] = []
        self.folder_row = QWidget()
        folder_row = QHBoxLayout(self.folder_row)
        folder_row.setContentsMargins(0, 0, 0, 0)
        self.folder = QLineEdit()
        self.folder.setAccessibleName("Models folder")
        self.folder.setPlaceholderText("the folder that holds your model folders")
        self.folder.setToolTip(
            "The folder whose sub-folders are Hugging Face models, e.g. "
            "~/models/gpt-oss-20b"
        )
        self.browse = QPushButton("Browse…")
        self.browse.clicked.connect(self._on_browse)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        self.device = QComboBox()
        self.device.setAccessibleName("Training device")
        for key, label in DEVICE_CHOICES:
            self.device.addItem(label, key)
        self.device.setToolTip(
            "Where training runs. A GPU is many times faster; the processor is only "
            "practical for very small models."
        )
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Local training note")
        self.missing: str | None = None

    def add_to(self, form: QFormLayout) -> None:
        """Add the folder, device and note rows to ``form``."""
        form.addRow("Models folder:", self.folder_row)
        form.addRow("Device:", self.device)
        form.addRow(self.note)  # spanning: a wrapped label in a field gets cut

    def set_visible(self, form: QFormLayout, visible: bool) -> None:
        """Show or hide the rows added to ``form``."""
        for widget in (self.folder_row, self.device, self.note):
            form.setRowVisible(widget, visible)

    def is_visible(self) -> bool:
        """Whether the rows are shown."""
        return self.folder_row.isVisible()

    def refresh(self) -> None:
        """Look again for the training libraries and say what is missing, if anything."""
        self.missing = local_missing()
        if self.missing:
            self.note.setText(
                f"<b>Local training needs more software.</b> {self.missing}"
            )
            self.note.setStyleSheet("color: #8a4b00;")
        else:
            self.note.setText(ABOUT)
            self.note.setStyleSheet("")

    def set_values(self, folder: Path | None, device: str) -> None:
        """Show ``folder`` (a sensible default when None) and ``device``."""
        self.folder.setText(str(folder or default_models_dir()))
        index = self.device.findData(device)
        self.device.setCurrentIndex(max(index, 0))

    def device_name(self) -> str:
        """Return the chosen device: auto, cuda, mps or cpu."""
        return str(self.device.currentData())

    def models_dir(self) -> Path:
        """Return the chosen models folder.

        Raises
        ------
        FtError
            When the field is empty or the folder does not exist.
        """
        text = self.folder.text().strip()
        if not text:
            raise FtError(
                ErrorKind.INPUT, "Choose the folder that holds your models first."
            )
        path = Path(text).expanduser()
        if not path.is_dir():
            raise FtError(
                ErrorKind.INPUT,
                f"The models folder {path} does not exist: choose the folder that "
                "holds your downloaded models.",
            )
        return path

    def start(self, manager: ConnectionManager, runner: TaskRunner) -> bool:
        """Remember the choices and start the local trainer on a worker of ``runner``.

        Returns whether a start is under way (:attr:`started` or :attr:`failed`
        follows), False when the trainer already runs with these choices.

        Raises
        ------
        FtError
            When the folder or device is wrong or the training libraries are
            missing; nothing is started then.
        """
        from ftstudio.gui.settings import Settings

        folder, device = self.models_dir(), self.device_name()
        self.refresh()
        check_local(folder, device)
        Settings().set_local_training(folder, device)
        if manager.local_options == (folder, device):
            return False
        self._manager = manager
        made: list[LocalService] = []  # what a start dropped as stale left running
        self._made = made

        def run(cancel: CancelToken) -> Generator[Progress, None, LocalService]:
            service = yield from start_local(folder, device, cancel)
            made.append(service)
            return service

        task = runner.start(run, "Starting the local trainer")
        task.succeeded.connect(self._on_started)
        task.failed.connect(self.failed)
        task.start()
        return True

    @Slot(object)
    def _on_started(self, service: LocalService) -> None:
        if self._manager is not None:
            self._manager.adopt_local(service)
        self.started.emit()

    def stop_unused(self) -> None:
        """Stop a trainer that started after its start was given up (Cancel)."""
        for service in self._made:
            if self._manager is None or not self._manager.serves(service.server):
                service.server.stop()
        self._made = []

    @Slot()
    def _on_browse(self) -> None:
        start = self.folder.text().strip() or str(default_models_dir())
        chosen = QFileDialog.getExistingDirectory(
            self.folder.window(), "Choose the models folder", start
        )
        if chosen:
            self.folder.setText(chosen)
