"""Run the Evaluation view on its own against an in-process sandbox: ``python -m ftstudio.gui.evaluation``."""

from __future__ import annotations

import logging
import sys

from ftstudio.core.models import DEFAULT_MODEL
from ftstudio.core.samples import get_sample
from ftstudio.gui.application import studio_application
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.evaluation.view import EvalView


def main() -> int:
    """Start a sandbox, open the view on the sample validation file, run until closed."""
    logging.basicConfig(level=logging.INFO)
    app = studio_application(sys.argv[1:])
    connection = ConnectionManager()
    connection.use_sandbox()
    view = EvalView(connection.client)
    view.setup.models_box.set_models([DEFAULT_MODEL, ""])
    view.set_test_file(get_sample("customer_support_validation.jsonl").path)
    view.status.connect(view.setWindowTitle)
    view.setWindowTitle(f"ftstudio Evaluation — {connection.describe()}")
    view.resize(1100, 800)
    view.show()
    code = app.exec()
    view.shutdown()
    connection.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main())
