"""The tabs that talk to a service (Launch, Monitor, Playground) and their shared connection.

They are built on first view, like the Validator and Cost tabs: each imports
the SDK and pyqtgraph, which the first paint does not need. The connection
(which reads the OS key store) is created only when one of them first needs it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from ftstudio.gui.icons import icon
from ftstudio.gui.window.lazytab import LazyTab

if TYPE_CHECKING:
    from ftstudio.gui.connection import ConnectionManager
    from ftstudio.gui.launcher.tab import LauncherTab
    from ftstudio.gui.mainwindow import MainWindow
    from ftstudio.gui.monitor.tab import MonitorTab
    from ftstudio.gui.playground.tab import PlaygroundTab
    from ftstudio.workers import TaskRunner


class ApiTabs(QObject):
    """Adds the service tabs to ``window`` and routes their requests between them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._manager: ConnectionManager | None = None
        self._asked = False
        self._local_runner: TaskRunner | None = None
        self._monitor_said = ""
        self.launch = LazyTab(self._build_launcher, window.connect_tab)
        self.monitor = LazyTab(self._build_monitor, window.connect_tab)
        self.playground = LazyTab(self._build_playground, window.connect_tab)
        for tab, icon_name, title in (
            (self.launch, "launch", "Launch"),
            (self.monitor, "chart", "Monitor"),
            (self.playground, "chat", "Playground"),
        ):
            window.tabs.addTab(tab, icon(icon_name), title)
        window.tabs.currentChanged.connect(self._on_tab_changed)

    # the shared connection ------------------------------------------------------
    @property
    def manager(self) -> ConnectionManager:
        """Return the connection shared by the service tabs (created on first use)."""
        if self._manager is None:
            from ftstudio.gui.connection import ConnectionManager

            self._manager = ConnectionManager(parent=self)
            self._manager.changed.connect(self._on_connection_changed)
            chosen = self._window.settings.provider()
            if chosen == "sandbox":
                self._restart_sandbox(self._manager)
            elif chosen == "local":
                self._restart_local(self._manager)
        return self._manager

    def _restart_local(self, manager: ConnectionManager) -> None:
        # local training was chosen last time: start it again with the same
        # folder and device, on a worker (PyTorch takes seconds to load)
        from ftstudio.core.errors import ErrorKind, FtError
        from ftstudio.gui.connection import check_local, start_local
        from ftstudio.workers import TaskRunner

        folder, device = self._window.settings.local_training()
        try:
            if folder is None:
                raise FtError(
                    ErrorKind.INPUT,
                    "Local training was chosen, but no models folder was saved: choose one in Settings.",
                )
            check_local(folder, device)
        except FtError as error:
            self._window.show_error(error)
            return
        self._local_runner = TaskRunner(self)
        task = self._local_runner.start(
            lambda cancel: start_local(folder, device, cancel),
            "Starting the local trainer",
        )
        task.succeeded.connect(self._adopt_local)
        task.failed.connect(self._window.show_error)
        task.start()

    @Slot(object)
    def _adopt_local(self, service: object) -> None:
        from ftstudio.gui.connection import LocalService

        assert isinstance(service, LocalService)
        self.manager.adopt_local(service)

    def _restart_sandbox(self, manager: ConnectionManager) -> None:
        # the user practised on the sandbox last time: its jobs are still there,
        # and "No API key is set" would only confuse
        from ftstudio.core.errors import FtError

        try:
            manager.use_sandbox()
        except FtError as error:
            self._window.show_error(error)

    @Slot()
    def open_settings(self) -> None:
        """Show the connection settings (key, base URL, offline sandbox)."""
        from ftstudio.gui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.manager, self._window)
        dialog.exec()
        dialog.deleteLater()

    @Slot()
    def open_shutdown_kit(self) -> None:
        """Show the provider choice and the shutdown kit (inventory, archive)."""
        from ftstudio.gui.shutdown.dialog import ShutdownDialog

        dialog = ShutdownDialog(self.manager, self._window)
        dialog.provider_box.chat_requested.connect(self.chat_with)
        dialog.provider_box.chat_requested.connect(dialog.accept)
        dialog.exec()
        dialog.deleteLater()

    @Slot()
    def _on_connection_changed(self) -> None:
        manager = self.manager
        chosen = (
            "local"
            if manager.local_running
            else "sandbox"
            if manager.sandbox_running
            else "service"
        )
        self._window.settings.set_provider(chosen)
        self._window.statusBar().showMessage(
            f"Connected to {self.manager.describe()}", 5000
        )

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        widget = self._window.tabs.widget(index)
        self._preselect_monitored_job()
        if widget in (self.launch, self.monitor, self.playground) and not self._asked:
            # the first visit to a service tab with no key anywhere: offer a key or
            # the offline sandbox once, rather than an error in every tab
            self._asked = True
            from ftstudio.gui.dialogs.connect_prompt import ensure_connection

            ensure_connection(self._window, self.manager)

    # building -------------------------------------------------------------------
    def _build_launcher(self) -> QWidget:
        from ftstudio.gui.dialogs.connect_prompt import ensure_connection
        from ftstudio.gui.launcher.tab import LauncherTab

        tab = LauncherTab(self.manager)
        # no key yet: offer one or the practice sandbox (a dialog the tab cannot import)
        tab.ensure_connection = partial(ensure_connection, self._window, self.manager)
        tab.open_in_monitor.connect(self.show_job)
        tab.show_findings_requested.connect(self._window.show_validator)
        tab.task_started.connect(self._window.progress.follow)
        return tab

    def _build_monitor(self) -> QWidget:
        from ftstudio.gui.monitor.tab import MonitorTab

        tab = MonitorTab(self.manager)
        tab.chat_with_model.connect(self.chat_with)
        tab.evaluate_requested.connect(self.evaluate_job)
        tab.status_message.connect(self._show_status)
        return tab

    def _build_playground(self) -> QWidget:
        from ftstudio.gui.playground.tab import PlaygroundTab

        tab = PlaygroundTab(self.manager)
        tab.new_dataset_requested.connect(self._window.open_store)
        return tab

    # routing --------------------------------------------------------------------
    @Slot(str)
    def show_job(self, job_id: str) -> None:
        """Open ``job_id`` in the Monitor tab."""
        monitor = cast("MonitorTab", self.monitor.ensure())
        self._window.tabs.setCurrentWidget(self.monitor)
        monitor.show_job(job_id)

    @Slot(str)
    def chat_with(self, model: str) -> None:
        """Open the Playground with ``model`` (a fine-tuned model or checkpoint) picked."""
        playground = cast("PlaygroundTab", self.playground.ensure())
        self._window.tabs.setCurrentWidget(self.playground)
        playground.set_model(model)

    @Slot(str)
    def evaluate_job(self, job_id: str) -> None:
        """Open the Playground's Evaluation on a finished job: base against fine-tuned."""
        playground = cast("PlaygroundTab", self.playground.ensure())
        self._window.tabs.setCurrentWidget(self.playground)
        playground.evaluate_job(job_id)

    def _preselect_monitored_job(self) -> None:
        # the Evaluation view offers the Monitor's fine-tuned model against its base
        monitor, playground = self.monitor.widget, self.playground.widget
        job = cast("MonitorTab", monitor).job if monitor is not None else None
        if playground is not None and job is not None and job.fine_tuned_model:
            evaluation = cast("PlaygroundTab", playground).evaluation
            evaluation.preselect(job.model, job.fine_tuned_model)

    @Slot(str)
    def _show_status(self, text: str) -> None:
        """Show the Monitor's line; an empty one withdraws only the Monitor's own."""
        bar = self._window.statusBar()
        if text:
            self._monitor_said = text
            bar.showMessage(text, 10000)
        elif bar.currentMessage() == self._monitor_said:
            bar.clearMessage()  # another tab's newer message stays

    def shutdown(self) -> None:
        """Stop every service tab's workers, then the in-process sandbox if it runs."""
        for lazy in (self.launch, self.monitor, self.playground):
            if lazy.widget is not None:  # a placeholder has nothing to stop
                cast("LauncherTab | MonitorTab | PlaygroundTab", lazy.widget).shutdown()
        if self._local_runner is not None:
            self._local_runner.shutdown()
        if self._manager is not None:
            self._manager.shutdown()
