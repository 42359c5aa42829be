"""Guard against PySide6 builds that drop references (6.12.0 does: the app crashes).

PySide6 6.12.0 on Python 3.11 returns a borrowed ``True`` from every
``Signal.emit()``, and a borrowed ``None`` from ``QModelIndex.data()`` when the
model has no value. Each call takes one reference away; after a few thousand
the interpreter aborts with "Fatal Python error: bool_dealloc". pyproject.toml
excludes that release; this test fails if such a build is installed again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Signal


class _Emitter(QObject):
    fired = Signal()


class _Empty(QAbstractListModel):
    def rowCount(self, parent=QModelIndex()):  # noqa: B008
        return 0 if parent.isValid() else 1

    def data(self, index, role=0):
        return None


def test_emit_keeps_the_reference_count_of_true(qapp) -> None:
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.fired.emit()
    assert sys.getrefcount(True) - before > -50


def test_model_data_keeps_the_reference_count_of_none(qapp) -> None:
    model = _Empty()
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(200):
        index.data()
    assert sys.getrefcount(None) - before > -50
