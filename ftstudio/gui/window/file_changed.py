"""Ask what to do when another program changed the open dataset's file."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

if TYPE_CHECKING:
    from ftstudio.gui.document import Document
    from ftstudio.gui.mainwindow import MainWindow


class Choice(Enum):
    """What the user chose."""

    RELOAD = "reload"
    SAVE_ELSEWHERE = "save elsewhere"
    LATER = "later"


def build_box(
    parent: QWidget | None, doc: Document
) -> tuple[QMessageBox, dict[QAbstractButton, Choice | None]]:
    """Return the question and its buttons (None: the Compare button)."""
    from ftstudio.core.dataset.diskfile import changed_message

    assert doc.path is not None
    gone = not doc.path.exists()
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("File changed by another program")
    box.setText(changed_message(doc.path))
    kept = (
        " Your unsaved edits are kept as a recovery copy, which ftstudio offers "
        "the next time you open this file."
        if doc.modified
        else ""
    )
    reload = "" if gone else f"Reload shows the file as it is now.{kept} "
    box.setInformativeText(
        f"{reload}Keep mine saves your version under another name, leaving "
        f"{doc.path.name} as the other program wrote it."
    )
    buttons: dict[QAbstractButton, Choice | None] = {}
    role = QMessageBox.ButtonRole
    if not gone:
        buttons[box.addButton("Reload", role.DestructiveRole)] = Choice.RELOAD
    keep = box.addButton("Keep mine, save elsewhere…", role.AcceptRole)
    buttons[keep] = Choice.SAVE_ELSEWHERE
    if not gone:
        buttons[box.addButton("Compare…", role.ActionRole)] = None
    buttons[box.addButton("Decide later", role.RejectRole)] = Choice.LATER
    box.setDefaultButton(keep)
    return box, buttons


def ask(parent: QWidget | None, doc: Document) -> Choice:
    """Ask until the user picks reload, save elsewhere or later (Compare shows, then asks)."""
    from ftstudio.core.dataset.compare import compare_with_file

    while True:
        box, buttons = build_box(parent, doc)
        box.exec()
        choice = buttons.get(box.clickedButton(), Choice.LATER)
        if choice is not None:
            return choice
        assert doc.path is not None
        shown = QMessageBox(parent)
        shown.setWindowTitle("Compare")
        shown.setText(compare_with_file(doc.store, doc.path))
        shown.exec()


class FileChangeWatcher(QObject):
    """Asks the user each time the window's dataset file is changed elsewhere."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._asking = False
        window.document_changed.connect(self._on_document)

    @Slot(object)
    def _on_document(self, doc: Document | None) -> None:
        if doc is not None:
            doc.file_changed.connect(self.handle)

    @Slot()
    def handle(self) -> None:
        """Ask what to do about the change and do it."""
        window, doc = self._window, self._window.document
        if doc is None or doc.path is None or self._asking:
            return  # (a change while the question is open: it is already asked)
        self._asking = True
        try:
            choice = ask(window, doc)
        finally:
            self._asking = False
        if choice is Choice.RELOAD:
            path = doc.path
            if doc.modified:
                window.keep_recovery_copy()
            window.open_path(path, ask=False)
            if doc.modified:
                window.statusBar().showMessage(
                    f"Reloading {path.name}; your edits are kept as a recovery copy.",
                    8000,
                )
        elif choice is Choice.SAVE_ELSEWHERE:
            window.saving.save_as()
