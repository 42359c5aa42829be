"""Run the Playground on its own against an in-process sandbox: ``python -m ftstudio.gui.playground``."""

from __future__ import annotations

import logging
import sys

from ftstudio.core.dataset.store import DatasetStore
from ftstudio.gui.application import studio_application
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.document import Document
from ftstudio.gui.playground.tab import PlaygroundTab


def main() -> int:
    """Start a sandbox, open the tab over an empty dataset, run until closed."""
    logging.basicConfig(level=logging.INFO)
    app = studio_application(sys.argv[1:])
    connection = ConnectionManager()
    connection.use_sandbox()
    doc = Document(DatasetStore.from_bytes(b""), title="Playground examples")
    tab = PlaygroundTab(connection)
    tab.set_document(doc)
    tab.setWindowTitle(f"ftstudio Playground — {connection.describe()}")
    tab.resize(1100, 760)
    tab.show()
    code = app.exec()
    tab.shutdown()
    doc.close()
    connection.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main())
