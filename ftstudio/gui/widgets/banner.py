"""The one place errors are shown: an inline banner with a "Details" dialog."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.errors import FtError
from ftstudio.gui.icons import icon


class DetailsDialog(QDialog):
    """Shows an error's message and its technical details (selectable, copyable)."""

    def __init__(self, error: FtError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Details")
        layout = QVBoxLayout(self)
        message = QLabel(error.message)
        message.setWordWrap(True)
        layout.addWidget(message)
        details = QPlainTextEdit(error.detail or "No further details.")
        details.setReadOnly(True)
        details.setAccessibleName("Technical details")
        layout.addWidget(details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 320)


class ErrorBanner(QFrame):
    """A dismissable strip above the tabs with a plain message and a Details button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setStyleSheet(
            "#errorBanner { background: #fdecea; border: 1px solid #f5c2c0; }"
            "#errorBanner QLabel { color: #611a15; }"
        )
        self._error: FtError | None = None
        self._origin = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        badge = QLabel()
        badge.setPixmap(icon("error").pixmap(18, 18))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Error message")
        self.details = QPushButton("Details…")
        self.details.clicked.connect(self.show_details)
        close = QToolButton()
        close.setIcon(icon("cancel"))
        close.setToolTip("Hide this message")
        close.setAccessibleName("Hide the error message")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        layout.addWidget(badge)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.details)
        layout.addWidget(close)
        self.hide()

    @property
    def error(self) -> FtError | None:
        """Return the error shown last."""
        return self._error

    def show_error(self, error: FtError, origin: str = "") -> None:
        """Show ``error``'s plain message (replacing any earlier one).

        ``origin`` names what failed (a listing, a call to the service), so that
        a later success of the same thing can :meth:`withdraw` it.
        """
        self._error = error
        self._origin = origin
        self.message.setText(error.message)
        self.details.setVisible(bool(error.detail))
        self.show()

    def withdraw(self, *origins: str) -> None:
        """Hide the error shown when it came from one of ``origins``: it is no longer true."""
        if self._error is not None and self._origin and self._origin in origins:
            self._error, self._origin = None, ""
            self.hide()

    @Slot()
    def show_details(self) -> None:
        """Open the details dialog for the current error."""
        if self._error is not None:
            DetailsDialog(self._error, self).exec()
