"""Entry point of the frozen app: the same as ``python -m ftstudio``."""

from __future__ import annotations

import multiprocessing
import sys

from ftstudio.__main__ import main

if __name__ == "__main__":
    # A frozen app must handle being started as a multiprocessing child itself
    # (spawn start method on Windows and macOS); a no-op elsewhere.
    multiprocessing.freeze_support()
    sys.exit(main())
