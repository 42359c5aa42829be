"""Run the Cost tab on its own: ``python -m ftstudio.gui.cost [FILE]`` (a sample without FILE)."""

from __future__ import annotations

import sys

from ftstudio.gui.cost.tab import CostTab
from ftstudio.gui.widgets.standalone import run_standalone

if __name__ == "__main__":
    sys.exit(run_standalone(CostTab, "customer_support.jsonl"))
