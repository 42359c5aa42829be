"""Run the Validator tab on its own: ``python -m ftstudio.gui.validator [FILE]``."""

from __future__ import annotations

import sys

from ftstudio.gui.validator.tab import ValidatorTab
from ftstudio.gui.widgets.standalone import run_standalone

if __name__ == "__main__":
    sys.exit(run_standalone(ValidatorTab, "customer_support_mistakes.jsonl"))
