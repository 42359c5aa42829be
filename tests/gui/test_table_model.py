from __future__ import annotations

import json

import numpy as np
from PySide6.QtCore import Qt

from ftstudio.core.cancel import NEVER
from ftstudio.core.dataset.edits import delete_rows, insert_values, set_value
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.validation.findings import Severity
from ftstudio.gui.dataset.filtering import Problems, RowFilter, filter_rows
from ftstudio.gui.dataset.table_model import (
    SEVERITY_ROLE,
    SOURCE_ROW_ROLE,
    Column,
    DatasetTableModel,
)
from tests.gui.conftest import drain

NEW = {
    "messages": [
        {"role": "user", "content": "new"},
        {"role": "assistant", "content": "row"},
    ]
}


def text(model, row, column):
    return model.data(model.index(row, column))


def test_model_passes_qt_model_tester_through_edits(qtmodeltester, make_doc):
    doc = make_doc()
    model = DatasetTableModel(doc)
    qtmodeltester.check(model)
    # the tester stays attached: structural edits must keep the model consistent
    doc.push(insert_values(doc.store, 1, [NEW]))
    doc.push(delete_rows(doc.store, [0]))
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    model.set_rows(np.array([0, 2], dtype=np.int64))
    doc.push(insert_values(doc.store, 1, [NEW]))
    doc.push(delete_rows(doc.store, [0, 1]))
    qtmodeltester.check(model)
    model.detach()


def test_columns_show_what_the_user_reads(make_doc):
    doc = make_doc()
    model = DatasetTableModel(doc)
    assert text(model, 0, Column.FORMAT) == "chat"
    assert text(model, 0, Column.MESSAGES) == "3"
    assert text(model, 0, Column.USER) == "What is the capital of France?"
    assert text(model, 0, Column.ASSISTANT) == "Paris."
    assert text(model, 1, Column.ASSISTANT) == "Hello again!"
    assert int(text(model, 0, Column.TOKENS).replace(",", "")) > 0
    assert model.headerData(2, Qt.Orientation.Vertical) == "3"
    # the example without a reply is flagged, the good one is not
    assert model.data(model.index(2, 0), SEVERITY_ROLE) is Severity.ERROR
    assert model.data(model.index(0, 0), SEVERITY_ROLE) is None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is not None
    model.detach()


def test_edit_updates_the_row_text(qtbot, make_doc):
    doc = make_doc()
    model = DatasetTableModel(doc)
    value = json.loads(doc.store.raw(0))
    value["messages"][1]["content"] = "What is the capital of Italy?"
    with qtbot.waitSignal(model.dataChanged):
        doc.push(set_value(doc.store, 0, value))
    assert text(model, 0, Column.USER) == "What is the capital of Italy?"
    model.detach()


def test_filter_by_text_and_problems(make_doc):
    doc = make_doc()
    model = DatasetTableModel(doc)
    by_text = drain(
        filter_rows(
            doc.store, doc.store.keys, RowFilter("HELLO"), doc.validator.row_info
        )(NEVER)
    )
    assert by_text.tolist() == [1]
    errors = drain(
        filter_rows(
            doc.store,
            doc.store.keys,
            RowFilter("", Problems.ERRORS),
            doc.validator.row_info,
        )(NEVER)
    )
    assert errors.tolist() == [2]
    model.set_rows(errors)
    assert model.rowCount() == 1
    assert model.data(model.index(0, 0), SOURCE_ROW_ROLE) == 2
    assert model.headerData(0, Qt.Orientation.Vertical) == "3"
    # a row added while filtered stays visible; rows after it move down
    doc.push(insert_values(doc.store, 0, [NEW]))
    assert [model.source_row(r) for r in range(model.rowCount())] == [0, 3]
    model.detach()


def test_filter_finds_text_written_as_json_escapes():
    store = DatasetStore.from_bytes(
        b'{"messages": [{"role": "user", "content": "caf\\u00e9"}]}\n{"messages": []}\n'
    )
    task = filter_rows(store, store.keys, RowFilter("Café"), lambda _row: None)
    assert drain(task(NEVER)).tolist() == [0]


def _rows_of(model):
    return [
        (model.headerData(r, Qt.Orientation.Vertical), text(model, r, Column.USER))
        for r in range(model.rowCount())
    ]


def test_a_general_splice_keeps_qt_model_invariants(qtmodeltester, qtbot, make_doc):
    from ftstudio.core.dataset.edits import Splice

    rows = [
        {"messages": [{"role": "user", "content": f"u{i}"}, NEW["messages"][1]]}
        for i in range(6)
    ]
    doc = make_doc(rows)
    model = DatasetTableModel(doc)
    qtmodeltester.check(model)
    one = doc.store.new_key(b'{"messages":[{"role":"user","content":"one"}]}')
    with qtbot.waitSignals(
        [model.rowsAboutToBeRemoved, model.rowsRemoved, model.dataChanged],
        order="strict",
    ):
        doc.push(Splice(1, 3, (one,), "Replace three rows by one"))
    assert [t for _, t in _rows_of(model)] == ["u0", "one", "u4", "u5"]
    doc.undo_stack.undo()  # one row by three: an insert and a change
    assert [t for _, t in _rows_of(model)] == [f"u{i}" for i in range(6)]
    # filtered: rows 0, 2 and 5 shown
    model.set_rows(np.array([0, 2, 5], dtype=np.int64))
    doc.push(Splice(1, 3, (one,), "Replace three rows by one"))
    # row 1 (hidden) now holds "one"; shown row 2 went, row 5 is row 3 now
    assert _rows_of(model) == [("1", "u0"), ("4", "u5")]
    doc.undo_stack.undo()  # rows come back as new rows, which stay visible
    assert _rows_of(model) == [("1", "u0"), ("3", "u2"), ("4", "u3"), ("6", "u5")]
    qtmodeltester.check(model)
    model.detach()


def test_an_edit_repaints_its_row_once(qtbot, make_doc):
    doc = make_doc()
    model = DatasetTableModel(doc)
    changes: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: changes.append((a.row(), b.row())))
    value = json.loads(doc.store.raw(1))
    value["messages"][0]["content"] = "changed"
    doc.push(set_value(doc.store, 1, value))
    assert changes == [(1, 1)]
    model.detach()
