"""The welcome page's wiring: "Try it now", recent files, and where each leads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from ftstudio.core.errors import FtError
from ftstudio.core.samples import SAMPLES, copy_sample

if TYPE_CHECKING:
    from ftstudio.gui.mainwindow import MainWindow

TRIED = (
    "Opened a sample dataset and started the practice service on this computer: "
    "nothing is sent to OpenAI and nothing costs money. Next: the Validator tab."
)


class FirstRun(QObject):
    """Connects the welcome page of ``window`` to what its buttons do."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        page = window.dataset_tab.welcome
        page.try_requested.connect(self.try_it_now)
        page.recent_requested.connect(window.open_path)
        window.document_changed.connect(self.refresh_recent)
        self.refresh_recent()

    @Slot()
    def refresh_recent(self, *_args: object) -> None:
        """Show the recent files on the welcome page."""
        self._window.dataset_tab.welcome.set_recent(
            self._window.settings.recent_files()
        )

    @Slot()
    def try_it_now(self) -> None:
        """Open the sample dataset and point the studio at the practice service.

        Every tab then has something to show: the Validator and Cost the
        sample, Launch a file and a service, the Monitor and Playground the
        practice service's jobs and models. No account or key is needed.
        """
        window = self._window
        try:
            path = copy_sample(SAMPLES[0].name)
        except FtError as error:
            window.show_error(error)
            return
        try:
            window.api_tabs.manager.use_sandbox()
        except FtError as error:  # the sample still opens: editing needs no service
            window.show_error(error)
        window.open_path(path)
        window.statusBar().showMessage(TRIED, 15000)
