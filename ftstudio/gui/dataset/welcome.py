"""The first screen: try the studio in one click, open or import, recent files, a guide."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ftstudio.gui.icons import icon
from ftstudio.gui.widgets.guide import guide_html

EMPTY_STATE = "Open a training file or import a spreadsheet to start."


class WelcomePage(QWidget):
    """What a first-time user sees: one button that shows the whole studio working."""

    try_requested = Signal()
    """Open the sample dataset and start the practice service ("Try it now")."""
    open_requested = Signal()
    """The user clicked "Open a file…"."""
    import_requested = Signal()
    """The user clicked "Import a spreadsheet…"."""
    recent_requested = Signal(object)
    """Open this recent file (a Path)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Welcome")
        title = QLabel("<h2>Welcome to ftstudio</h2>")
        intro = QLabel(
            "Prepare a training file, check it, and fine-tune a chat model. "
            + EMPTY_STATE
        )
        intro.setWordWrap(True)
        self.try_button = QPushButton(icon("chat"), "Try it now")
        self.try_button.setToolTip(
            "Open a sample dataset and start the practice service on this computer: "
            "no account, no key, nothing to pay."
        )
        self.try_button.setDefault(True)
        font = self.try_button.font()
        font.setBold(True)
        self.try_button.setFont(font)
        self.try_button.setMinimumHeight(self.try_button.sizeHint().height() + 8)
        self.try_button.clicked.connect(self.try_requested)
        note = QLabel(
            "Opens a sample of 60 support conversations and a practice service "
            "that trains in seconds, free and offline."
        )
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        buttons = QHBoxLayout()
        buttons.addWidget(self.try_button)
        for label, name, signal in (
            ("Open a file…", "open", self.open_requested),
            ("Import a spreadsheet…", "import", self.import_requested),
        ):
            button = QPushButton(icon(name), label)
            button.clicked.connect(signal)
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.recent_box = QVBoxLayout()
        self.recent_box.setContentsMargins(0, 0, 0, 0)
        recent = QVBoxLayout()
        recent.addWidget(QLabel("<b>Recent files</b>"))
        recent.addLayout(self.recent_box)
        recent.addStretch(1)
        guide = QLabel("<b>Six steps to a trained model</b>" + guide_html())
        guide.setWordWrap(True)
        guide.setAccessibleName("Guide")
        guide.setAlignment(Qt.AlignmentFlag.AlignTop)
        columns = QHBoxLayout()
        columns.addLayout(recent, 1)
        columns.addWidget(guide, 2)

        body = QWidget()
        body.setMaximumWidth(860)
        layout = QVBoxLayout(body)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(note)
        layout.addSpacing(12)
        layout.addLayout(columns)
        layout.addStretch(1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(body, 6)
        outer.addStretch(1)
        self.set_recent([])

    def set_recent(self, paths: list[Path]) -> None:
        """List ``paths`` (newest first) as buttons that open them."""
        while self.recent_box.count():
            item = self.recent_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # deleted later: never drawn at a stale place
                widget.deleteLater()
        shown = [p for p in paths if p.exists()][:6]
        if not shown:
            self.recent_box.addWidget(QLabel("None yet."))
        for path in shown:
            button = QPushButton(path.name)
            button.setFlat(True)
            button.setToolTip(str(path))
            button.setAccessibleName(f"Open {path.name}")
            button.setStyleSheet("text-align: left")
            button.clicked.connect(
                lambda _=False, p=path: self.recent_requested.emit(p)
            )
            self.recent_box.addWidget(button)
