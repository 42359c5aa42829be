"""The shutdown kit view: which fine-tunes stop when, and one button to keep everything."""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.archive.collect import ArchiveSummary, archive_account
from ftstudio.core.archive.inventory import fetch_inventory
from ftstudio.core.cancel import CancelToken
from ftstudio.core.errors import FtError
from ftstudio.core.progress import Progress
from ftstudio.core.providers import get
from ftstudio.gui.shutdown.inventory_model import InventoryModel
from ftstudio.workers.task import TaskRunner

if TYPE_CHECKING:
    import openai


def _archive(
    client: openai.OpenAI, out: Path, provider: str, prompts: Path | None
) -> Callable[[CancelToken], Generator[Any, None, ArchiveSummary]]:
    def run(cancel: CancelToken) -> Generator[Any, None, ArchiveSummary]:
        cases = None
        if prompts is not None:
            from ftstudio.core.evaluation.testfile import read_cases

            cases = read_cases(prompts)
        summary = yield from archive_account(client, out, provider, cancel)
        if cases:
            from ftstudio.core.archive.golden import record_golden

            alive = [
                m.model
                for m in summary.models
                if m.days_left is None or m.days_left >= 0
            ]
            summary.problems += yield from record_golden(
                client, out, alive, cases, cancel
            )
        return summary

    return run


class ShutdownView(QWidget):
    """The inventory of fine-tuned models and the archive button.

    Parameters
    ----------
    client
        Returns the SDK client of the current connection (may raise ``FtError``).
    provider
        Returns the name of the provider the connection talks to.
    """

    status = Signal(str)
    """A line for the window's status bar."""

    def __init__(
        self,
        client: Callable[[], openai.OpenAI],
        provider: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._provider = provider
        self._prompts: Path | None = None
        self.runner = TaskRunner(self)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.model = InventoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setOpenExternalLinks(True)
        self.check_button = QPushButton("Check my models")
        self.prompts_button = QPushButton("Held-out prompts…")
        self.prompts_button.setToolTip(
            "A JSONL file of prompts: every fine-tuned model's answers to them are kept "
            "in the archive, to compare a replacement with later in the Evaluation view"
        )
        self.archive_button = QPushButton("Archive everything…")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.message = QLabel("Check your models to see when each one shuts down.")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (
            self.check_button,
            self.prompts_button,
            self.archive_button,
            self.stop_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        self.check_button.clicked.connect(self.check)
        self.prompts_button.clicked.connect(self.choose_prompts)
        self.archive_button.clicked.connect(self.choose_folder)
        self.stop_button.clicked.connect(self.runner.cancel)
        self.refresh_headline()

    @property
    def running(self) -> bool:
        """Whether a check or an archive is under way."""
        return self.runner.current is not None

    def refresh_headline(self) -> None:
        """Say which provider is in use and, for OpenAI, how many days are left."""
        preset = get(self._provider())
        self.headline.setText(f"<b>{preset.label}</b>: {preset.status_line()}")
        if preset.chat_needs_deployment:
            from ftstudio.core.providers.azure import deployment_steps

            self.note.setText(deployment_steps("a fine-tuned model"))
        else:
            self.note.setText("")

    # actions ----------------------------------------------------------------
    @Slot()
    def check(self) -> None:
        """Ask the service for the models and jobs, and fill the table."""
        provider = self._provider()
        client = self._start_client()
        if client is None:
            return

        def run(cancel: CancelToken) -> Generator[Any, None, Any]:
            entries, _jobs = yield from fetch_inventory(client, provider, cancel)
            return entries

        self._start(run, "Checking your models…", self._on_checked)

    @Slot()
    def choose_prompts(self) -> None:
        """Pick the held-out prompts whose answers the archive keeps."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Held-out prompts", "", "JSON Lines (*.jsonl);;All files (*)"
        )
        if path:
            self.set_prompts(Path(path))

    def set_prompts(self, path: Path | None) -> None:
        """Use ``path`` for golden answers (None: none)."""
        self._prompts = path
        self.prompts_button.setText(
            f"Prompts: {path.name}" if path else "Held-out prompts…"
        )

    @Slot()
    def choose_folder(self) -> None:
        """Ask for a folder, then archive into it."""
        folder = QFileDialog.getExistingDirectory(self, "Archive into folder")
        if folder:
            self.archive(Path(folder))

    def archive(self, out: Path) -> None:
        """Archive every job, file, event and model into ``out``."""
        client = self._start_client()
        if client is None:
            return
        fn = _archive(client, out, self._provider(), self._prompts)
        self._start(fn, f"Archiving into {out}…", self._on_archived)

    # plumbing -----------------------------------------------------------------
    def _start_client(self) -> openai.OpenAI | None:
        try:
            return self._client()
        except FtError as error:
            self._say(error.message)
            return None

    def _start(
        self,
        fn: Callable[[CancelToken], Generator[Any, None, Any]],
        words: str,
        done: Callable[[Any], None],
    ) -> None:
        self.refresh_headline()
        task = self.runner.start(fn, words)
        task.progressed.connect(self._on_progress)
        task.succeeded.connect(done)
        task.failed.connect(self._on_failed)
        task.cancelled.connect(self._on_cancelled)
        task.finished.connect(self._on_finished)
        self._busy(True)
        self._say(words)
        task.start()

    def _busy(self, busy: bool) -> None:
        for button in (self.check_button, self.archive_button, self.prompts_button):
            button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.status.emit(text)

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        if progress.total:
            self.progress.setRange(0, progress.total)
            self.progress.setValue(progress.done)
        if progress.label:
            self.message.setText(progress.label)

    @Slot(object)
    def _on_checked(self, entries: Any) -> None:
        self.model.set_entries(entries)
        self._say(
            f"{len(entries)} fine-tuned model(s)."
            if entries
            else "This account has no fine-tuned models."
        )

    @Slot(object)
    def _on_archived(self, summary: ArchiveSummary) -> None:
        self.model.set_entries(summary.models)
        words = summary.words()
        if summary.problems:
            words += " Not kept: " + " ".join(summary.problems)
        self._say(words)

    @Slot(object)
    def _on_failed(self, error: FtError) -> None:
        self._say(error.message)

    @Slot()
    def _on_cancelled(self) -> None:
        self._say("Stopped. What was archived so far is kept; archive again to finish.")

    @Slot()
    def _on_finished(self) -> None:
        self._busy(False)

    def shutdown(self) -> None:
        """Stop any running task and wait for it (the window is closing)."""
        self.runner.shutdown()
