"""Start the studio: the application, the crash handler, the first window."""

from __future__ import annotations

import logging
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QMessageBox

import ftstudio
from ftstudio.core.paths import user_data_dir
from ftstudio.core.redact import redact

if TYPE_CHECKING:
    from types import TracebackType

    from ftstudio.gui.mainwindow import MainWindow

log = logging.getLogger(__name__)


def write_crash_log(text: str) -> Path | None:
    """Write ``text`` (redacted) to a new crash log; return its path, or None."""
    folder = user_data_dir() / "crashes"
    path = folder / time.strftime("crash-%Y%m%d-%H%M%S.log")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"ftstudio {ftstudio.__version__}, Python {sys.version.split()[0]}\n\n"
            + redact(text),
            encoding="utf-8",
        )
    except OSError:
        log.exception("could not write the crash log")
        return None
    return path


def excepthook(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    """Log an unexpected error, write a crash log and tell the user in a dialog."""
    text = "".join(traceback.format_exception(kind, error, tb))
    log.error("unexpected error:\n%s", redact(text))
    path = write_crash_log(text)
    if QApplication.instance() is None:
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "ftstudio ran into a problem", "")
    box.setText(
        "Something went wrong inside ftstudio. Your unsaved edits are kept in a "
        "recovery copy; save your work now to be safe."
    )
    if path is not None:
        box.setInformativeText(f"A report was written to {path}.")
    box.setDetailedText(redact(text))
    box.exec()


def offer_recovery(window: MainWindow) -> None:
    """Ask whether to restore unsaved edits left behind by a session that crashed."""
    from ftstudio.gui.recovery import ask_restore, pending_copies

    copies = pending_copies()
    if not copies:
        return
    newest = copies[0]
    answer = ask_restore(window, newest, "ftstudio closed without saving.")
    if answer:
        window.restore_copy(newest)
    elif answer is not None:
        newest.discard()


def run_app(argv: list[str]) -> int:
    """Run the studio window; ``argv`` may name a file to open. Return the exit code."""
    from ftstudio.gui.application import leave, studio_application
    from ftstudio.gui.mainwindow import MainWindow

    app = studio_application(argv)
    sys.excepthook = excepthook
    window = MainWindow()
    from ftstudio.gui.theme import apply_theme

    apply_theme(window.settings.theme())
    window.show()
    files = [a for a in argv if not a.startswith("-")]
    if files:
        path = Path(files[0])
        if path.suffix.lower() in (".csv", ".tsv", ".xlsx", ".xls"):
            window.import_spreadsheet(path)
        else:
            window.open_path(path)
    else:
        offer_recovery(window)
    return leave(app.exec())
