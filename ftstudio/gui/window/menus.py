"""The main window's menus and actions, with the platform's standard shortcuts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

import ftstudio
from ftstudio.core.errors import FtError
from ftstudio.core.samples import SAMPLES, copy_sample
from ftstudio.gui.dialogs import help_dialogs
from ftstudio.gui.icons import icon
from ftstudio.gui.theme import TITLES, Theme, apply_theme

if TYPE_CHECKING:
    from collections.abc import Callable

    from ftstudio.gui.mainwindow import MainWindow

Key = QKeySequence.StandardKey


@dataclass
class Actions:
    """The actions other parts of the window enable, disable or trigger."""

    save: QAction
    save_as: QAction
    export: QAction
    split: QAction
    find: QAction
    add_example: QAction
    duplicate: QAction
    delete: QAction
    recent: QMenu

    def set_document_open(self, is_open: bool) -> None:
        """Enable the actions that need an open dataset."""
        for action in (
            self.save,
            self.save_as,
            self.export,
            self.split,
            self.find,
            self.add_example,
            self.duplicate,
            self.delete,
        ):
            action.setEnabled(is_open)


def _action(
    window: MainWindow,
    menu: QMenu,
    text: str,
    slot: Callable[[], object],
    *,
    shortcut: QKeySequence.StandardKey | str | None = None,
    icon_name: str | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    if icon_name:
        action.setIcon(icon(icon_name))
    if isinstance(shortcut, QKeySequence.StandardKey):
        action.setShortcuts(shortcut)
    elif shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    # triggered(bool) would hand its "checked" flag to the first parameter of
    # slots such as import_spreadsheet(path=None): the dialog then read "False"
    # as a file name. Menu commands take no argument from the menu.
    action.triggered.connect(partial(_call_without_arguments, slot))
    menu.addAction(action)
    return action


def _with_extra(standard: QKeySequence.StandardKey, extra: str) -> list[QKeySequence]:
    keys = QKeySequence.keyBindings(standard)
    more = QKeySequence(extra)
    return keys if more in keys else [*keys, more]


def _call_without_arguments(slot: Callable[[], object], *_checked: object) -> None:
    slot()


def _open_sample(window: MainWindow, name: str, *_: object) -> None:
    """Open a writable copy of a bundled sample (the originals stay pristine)."""
    try:
        path = copy_sample(name)
    except FtError as error:
        window.show_error(error)
        return
    window.open_path(path)


def _set_theme(window: MainWindow, theme: Theme) -> None:
    apply_theme(theme)
    window.settings.set_theme(theme.value)


def _about(window: MainWindow, *_: object) -> None:
    QMessageBox.about(
        window,
        "About ftstudio",
        f"<b>ftstudio {ftstudio.__version__}</b><p>A studio for preparing "
        "training files and fine-tuning OpenAI chat models.</p>",
    )


def build_menus(window: MainWindow) -> Actions:
    """Create the File, Edit, View and Help menus of ``window``."""
    bar = window.menuBar()
    file = bar.addMenu("&File")
    _action(
        window, file, "&New", window.new_document, shortcut=Key.New, icon_name="new"
    )
    _action(
        window, file, "&Open…", window.choose_file, shortcut=Key.Open, icon_name="open"
    )
    recent = file.addMenu("Open &Recent")
    recent.aboutToShow.connect(window.fill_recent_menu)
    _action(
        window,
        file,
        "&Import spreadsheet…",
        window.import_spreadsheet,
        shortcut="Ctrl+I",
        icon_name="import",
        tip="Turn a CSV, TSV or Excel file into training examples",
    )
    file.addSeparator()
    save = _action(
        window, file, "&Save", window.saving.save, shortcut=Key.Save, icon_name="save"
    )
    save_as = _action(
        window, file, "Save &As…", window.saving.save_as, shortcut=Key.SaveAs
    )
    export = _action(
        window,
        file,
        "&Export a copy…",
        window.saving.export_copy,
        tip="Write the dataset to another file and keep editing this one",
    )
    from ftstudio.gui.window.export_for import TrainerExport

    trainer_export = TrainerExport(window)  # owned by the window
    trainer_export.action = _action(
        window,
        file,
        "Export for another &trainer…",
        trainer_export.ask,
        tip="Write the dataset for Together, Fireworks, TRL, Hugging Face text, ShareGPT or Alpaca",
    )
    trainer_export.action.setEnabled(window.document is not None)
    split = _action(
        window,
        file,
        "S&plit into training and validation…",
        window.split,
        icon_name="split",
        tip="Write a training file and a validation file from this dataset",
    )
    file.addSeparator()
    _action(window, file, "&Quit", window.close, shortcut=Key.Quit)

    edit = bar.addMenu("&Edit")
    undo = window.undo_group.createUndoAction(window, "&Undo")
    undo.setShortcuts(Key.Undo)
    undo.setIcon(icon("undo"))
    redo = window.undo_group.createRedoAction(window, "&Redo")
    # Key.Redo is only Ctrl+Shift+Z on Linux; Windows users expect Ctrl+Y too
    redo.setShortcuts(_with_extra(Key.Redo, "Ctrl+Y"))
    redo.setIcon(icon("redo"))
    edit.addAction(undo)
    edit.addAction(redo)
    edit.addSeparator()
    find = _action(
        window,
        edit,
        "&Find…",
        window.find_examples,
        shortcut=Key.Find,
        icon_name="find",
    )
    add = _action(
        window,
        edit,
        "&Add example",
        window.dataset_tab.add_example,
        shortcut="Ctrl+Shift+N",
        icon_name="add",
    )
    duplicate = _action(
        window,
        edit,
        "D&uplicate examples",
        window.dataset_tab.duplicate_examples,
        shortcut="Ctrl+D",
        icon_name="duplicate",
    )
    delete = _action(
        window,
        edit,
        "&Delete examples",
        window.dataset_tab.delete_examples,
        shortcut="Ctrl+Shift+Del",
        icon_name="delete",
    )

    edit.addSeparator()
    _action(
        window,
        edit,
        "&Settings…",
        window.api_tabs.open_settings,
        shortcut=Key.Preferences,
        icon_name="settings",
        tip="API key, service address and the offline sandbox",
    )
    _action(
        window,
        edit,
        "&Provider and shutdown kit…",
        window.api_tabs.open_shutdown_kit,
        tip="Train with OpenAI, Azure, Nebius or locally; see when fine-tunes shut down; archive everything",
    )

    view = bar.addMenu("&View")
    for number, (name, tab) in enumerate(window.tab_entries(), start=1):
        action = _action(window, view, f"&{name}", tab, shortcut=f"Ctrl+{number}")
        action.setStatusTip(f"Show the {name} tab")

    view.addSeparator()
    themes = view.addMenu("&Theme")
    group = QActionGroup(themes)
    chosen = window.settings.theme()
    for theme, title in TITLES.items():
        action = _action(window, themes, title, partial(_set_theme, window, theme))
        action.setCheckable(True)
        action.setChecked(theme.value == chosen)
        action.setStatusTip(f"Use the {theme.value} colours in every tab and plot")
        group.addAction(action)

    help_menu = bar.addMenu("&Help")
    _action(
        window,
        help_menu,
        "Getting &started",
        partial(help_dialogs.show_guide, window),
        shortcut=Key.HelpContents,
        tip="The six steps from a file to a trained model",
    )
    _action(
        window,
        help_menu,
        "&Keyboard shortcuts",
        partial(help_dialogs.show_shortcuts, window),
        shortcut="Ctrl+/",
    )
    _action(
        window, help_menu, "&What's new", partial(help_dialogs.show_whats_new, window)
    )
    help_menu.addSeparator()
    samples = help_menu.addMenu("Open &Sample")
    for sample in SAMPLES:
        _action(
            window,
            samples,
            sample.title,
            partial(_open_sample, window, sample.name),
            tip=sample.description,
        )
    help_menu.addSeparator()
    _action(window, help_menu, "&About ftstudio", partial(_about, window))
    return Actions(save, save_as, export, split, find, add, duplicate, delete, recent)
