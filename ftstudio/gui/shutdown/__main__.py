"""Run the shutdown kit on its own against an in-process sandbox: ``python -m ftstudio.gui.shutdown``."""

from __future__ import annotations

import logging
import sys

from ftstudio.gui.application import studio_application
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.shutdown.dialog import ShutdownDialog


def main() -> int:
    """Start a sandbox, open the dialog on it, run until closed."""
    logging.basicConfig(level=logging.INFO)
    studio_application(sys.argv[1:])
    connection = ConnectionManager()
    connection.use_sandbox()
    dialog = ShutdownDialog(connection)
    code = dialog.exec()
    connection.shutdown()
    return 0 if code >= 0 else 1


if __name__ == "__main__":
    sys.exit(main())
