"""Run the launcher tab on its own against an in-process offline sandbox.

``python -m ftstudio.gui.launcher [FILE]`` (the bundled sample without FILE).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from ftstudio.core.resources import resource_path
from ftstudio.gui.application import studio_application
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.launcher.tab import LauncherTab


def main() -> int:
    """Show the tab pointed at a fresh sandbox; return the exit code."""
    logging.basicConfig(level=logging.INFO)
    app = studio_application(sys.argv[1:])
    args = app.arguments()[1:]
    manager = ConnectionManager()
    manager.use_sandbox()
    tab = LauncherTab(manager)
    tab.files.set_training_file(
        Path(args[0]) if args else resource_path("samples", "customer_support.jsonl")
    )
    tab.setWindowTitle(f"ftstudio launcher — {manager.describe()}")
    tab.resize(1100, 800)
    tab.show()
    code = app.exec()
    tab.shutdown()
    manager.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main())
