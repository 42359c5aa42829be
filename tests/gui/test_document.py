from __future__ import annotations

import json

from ftstudio.core.dataset.edits import set_value
from ftstudio.core.errors import FtError
from tests.gui.conftest import SAMPLE, sample_bytes


def messages(doc, row):
    return doc.store.parsed(row).value["messages"]


def test_edit_undo_redo_and_modified_flag(qtbot, make_doc):
    doc = make_doc()
    assert not doc.modified
    value = json.loads(doc.store.raw(0))
    value["messages"][2]["content"] = "Paris, of course."
    doc.push(set_value(doc.store, 0, value))
    assert messages(doc, 0)[2]["content"] == "Paris, of course."
    assert doc.modified
    doc.undo_stack.undo()
    assert messages(doc, 0)[2]["content"] == "Paris."
    assert not doc.modified
    doc.undo_stack.redo()
    assert messages(doc, 0)[2]["content"] == "Paris, of course."


def test_typing_in_one_field_is_one_undo_step(qtbot, make_doc):
    doc = make_doc()
    value = json.loads(doc.store.raw(1))
    for text in ("H", "Hi", "Hi!"):
        value["messages"][0]["content"] = text
        doc.push(set_value(doc.store, 1, value, "Typing"), merge_key="1:content")
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert messages(doc, 1)[0]["content"] == "Say hello"
    doc.undo_stack.redo()
    assert messages(doc, 1)[0]["content"] == "Hi!"


def test_edit_revalidates_the_row(qtbot, make_doc):
    doc = make_doc()
    assert doc.validator.row_info(0).severity is None
    value = json.loads(doc.store.raw(0))
    value["messages"] = [{"role": "user", "content": "no reply"}]
    with qtbot.waitSignal(doc.report_changed, timeout=10_000):
        doc.push(set_value(doc.store, 0, value))
    assert doc.validator.row_info(0).severity is not None


def test_save_keeps_untouched_lines_byte_identical(qtbot, make_doc, tmp_path):
    path = tmp_path / "train.jsonl"
    # odd spacing and escapes that a re-serialisation would change
    original = [
        '{"messages":[{"role":"user","content":"caf\\u00e9"},{"role":"assistant","content":"ok"}]}',
        '{ "messages" : [ {"role": "user", "content": "x"}, {"role": "assistant", "content": "y"} ] }',
        '{"messages": [{"role": "user", "content": "z"}, {"role": "assistant", "content": "w"}]}',
    ]
    path.write_bytes(("\n".join(original) + "\n").encode())
    doc = make_doc(path=path)
    value = json.loads(doc.store.raw(1))
    value["messages"][1]["content"] = "changed"
    doc.push(set_value(doc.store, 1, value))
    task = doc.save()
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    lines = path.read_bytes().decode().splitlines()
    assert lines[0] == original[0]
    assert lines[2] == original[2]
    assert json.loads(lines[1])["messages"][1]["content"] == "changed"
    assert not doc.modified


def test_failed_save_says_why_and_keeps_the_edits(qtbot, make_doc, tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_bytes(sample_bytes())
    doc = make_doc(path=path)
    value = json.loads(doc.store.raw(0))
    value["messages"][2]["content"] = "edited"
    doc.push(set_value(doc.store, 0, value))
    errors: list[FtError] = []
    task = doc.save(tmp_path / "no such folder" / "train.jsonl")
    task.failed.connect(errors.append)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert "was not saved" in errors[0].message
    assert doc.modified
    assert doc.path == path
    assert messages(doc, 0)[2]["content"] == "edited"
    assert path.read_bytes() == sample_bytes()


def test_model_change_is_announced_and_revalidated(qtbot, make_doc):
    doc = make_doc()
    with qtbot.waitSignals([doc.model_changed, doc.report_changed], timeout=10_000):
        doc.set_model("gpt-4o-mini")
    assert doc.report.model == "gpt-4o-mini"
    assert doc.model == "gpt-4o-mini"


def test_sample_rows_match_the_store(make_doc):
    doc = make_doc()
    assert len(doc.store) == len(SAMPLE)
    assert doc.report.examples == len(SAMPLE)
