"""Show one tab in its own window over a file or a bundled sample (Orange3-style)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QWidget

from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.resources import resource_path
from ftstudio.gui.application import studio_application
from ftstudio.gui.document import Document


class DocumentView(Protocol):
    """A tab that shows one document (or its empty state for None)."""

    def set_document(self, doc: Document | None) -> None: ...


def run_standalone(make_tab: Callable[[], DocumentView], sample: str) -> int:
    """Open ``sys.argv[1]`` (or the bundled sample ``sample``) in a new tab; run the app."""
    logging.basicConfig(level=logging.INFO)
    app = studio_application(sys.argv[1:])
    args = app.arguments()[1:]
    path = Path(args[0]) if args else resource_path("samples", sample)
    tab = make_tab()
    assert isinstance(tab, QWidget)
    doc = Document(DatasetStore.open(path))
    tab.set_document(doc)
    tab.setWindowTitle(f"ftstudio — {path.name}")
    tab.resize(1000, 720)
    tab.show()
    doc.revalidate()
    code = app.exec()
    tab.set_document(None)
    doc.close()
    return code
