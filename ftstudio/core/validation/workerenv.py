"""Settings a validation worker process applies before it imports numpy.

The pool's ``initializer`` runs in a fresh (spawned) worker before its first
task is unpickled, and this module imports nothing heavy, so numpy is not
loaded yet when it runs. The workers do no linear algebra: OpenBLAS's own
threads only spin at start-up (~0.1 s of CPU per worker, measured).
"""

from __future__ import annotations

import os

_ONE_THREAD = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread() -> None:
    """Ask numpy's BLAS for one thread, unless the user chose otherwise."""
    for name in _ONE_THREAD:
        os.environ.setdefault(name, "1")
