"""The split dialog writes two files that together hold every example exactly once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ftstudio.core.dataset.edits import insert_values
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.gui.dialogs.split_dialog import SplitDialog
from ftstudio.gui.document import Document
from tests.gui.report_fakes import FakeValidator


def example(i: int) -> dict[str, object]:
    return {
        "messages": [
            {"role": "user", "content": f"Question {i}"},
            {"role": "assistant", "content": f"Answer {i}"},
        ]
    }


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "support.jsonl"
    lines = [json.dumps(example(i)) for i in range(40)]
    lines.append(lines[0])  # a duplicate: must land beside its twin
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def doc(source: Path) -> Iterator[Document]:
    document = Document(DatasetStore.open(source), validator=FakeValidator(examples=41))
    yield document
    document.close()


@pytest.fixture
def dialog(qtbot, doc: Document) -> SplitDialog:
    widget = SplitDialog(doc)
    qtbot.addWidget(widget)
    return widget


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_defaults_sit_beside_the_dataset(dialog: SplitDialog, source: Path) -> None:
    assert dialog.train_path.text() == str(source.parent / "support_train.jsonl")
    assert dialog.validation_path.text() == str(
        source.parent / "support_validation.jsonl"
    )
    assert dialog.share.value() == 10
    assert "About 37 examples for training and 4 for validation" in dialog.counts.text()
    assert dialog.split_button.isEnabled()


def test_split_writes_both_files(qtbot, dialog: SplitDialog, source: Path) -> None:
    dialog.share.setValue(25)
    with qtbot.waitSignal(dialog.split_written, timeout=10_000) as blocker:
        dialog.split_button.click()
    train, validation = blocker.args
    assert (train, validation) == (
        source.parent / "support_train.jsonl",
        source.parent / "support_validation.jsonl",
    )
    train_lines, validation_lines = read_lines(train), read_lines(validation)
    original = read_lines(source)
    assert sorted(train_lines + validation_lines) == sorted(original)
    assert 8 <= len(validation_lines) <= 12
    assert (original[0] in train_lines) != (original[0] in validation_lines)
    assert f"{len(train_lines)} examples in support_train.jsonl" in dialog.status.text()
    assert dialog.split_button.text() == "&Close"
    dialog.split_button.click()
    assert dialog.result() == SplitDialog.DialogCode.Accepted


def test_same_seed_same_split(
    qtbot, dialog: SplitDialog, doc: Document, tmp_path: Path
) -> None:
    dialog.seed.setValue(7)
    with qtbot.waitSignal(dialog.split_written, timeout=10_000):
        dialog.split_button.click()
    first = read_lines(Path(dialog.validation_path.text()))
    again = SplitDialog(doc)
    qtbot.addWidget(again)
    again.seed.setValue(7)
    again.validation_path.setText(str(tmp_path / "again_validation.jsonl"))
    again.train_path.setText(str(tmp_path / "again_train.jsonl"))
    with qtbot.waitSignal(again.split_written, timeout=10_000):
        again.split_button.click()
    assert read_lines(tmp_path / "again_validation.jsonl") == first


def test_unsaved_edits_are_included(qtbot, dialog: SplitDialog, doc: Document) -> None:
    doc.push(insert_values(doc.store, 0, [example(99)]))
    with qtbot.waitSignal(dialog.split_written, timeout=10_000) as blocker:
        dialog.split_button.click()
    written = read_lines(blocker.args[0]) + read_lines(blocker.args[1])
    assert sum("Question 99" in line for line in written) == 1
    assert len(written) == 42


def test_refuses_to_overwrite_the_dataset(dialog: SplitDialog, source: Path) -> None:
    dialog.train_path.setText(str(source))
    assert not dialog.split_button.isEnabled()
    assert "must not overwrite the open dataset" in dialog.status.text()
    dialog.train_path.setText(dialog.validation_path.text())
    assert "two different files" in dialog.status.text()
    dialog.train_path.setText(str(source.parent / "missing" / "x.jsonl"))
    assert "does not exist" in dialog.status.text()


def test_existing_files_are_announced(dialog: SplitDialog) -> None:
    Path(dialog.train_path.text()).write_text("old\n", encoding="utf-8")
    dialog.share.setValue(20)
    assert "support_train.jsonl will be replaced" in dialog.status.text()
    assert dialog.split_button.isEnabled()


def test_failure_is_shown_in_plain_words(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "same.jsonl"
    line = json.dumps(example(1))
    path.write_text(f"{line}\n{line}\n", encoding="utf-8")
    document = Document(DatasetStore.open(path), validator=FakeValidator(examples=2))
    widget = SplitDialog(document)
    qtbot.addWidget(widget)
    widget.split_button.click()
    qtbot.waitUntil(
        lambda: "at least two different examples" in widget.status.text(),
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: widget.runner.current is None)
    assert not Path(widget.train_path.text()).exists()
    widget.reject()
    document.close()


def test_bare_names_go_beside_the_dataset(
    qtbot, dialog: SplitDialog, source: Path
) -> None:
    dialog.train_path.setText("mine_train.jsonl")
    dialog.validation_path.setText("")
    assert "Choose a name for both files" in dialog.status.text()
    dialog.validation_path.setText(str(source.parent))
    assert "not a folder" in dialog.status.text()
    dialog.validation_path.setText("mine_validation.jsonl")
    with qtbot.waitSignal(dialog.split_written, timeout=10_000) as blocker:
        dialog.split_button.click()
    assert blocker.args[0] == source.parent / "mine_train.jsonl"
    assert (source.parent / "mine_validation.jsonl").is_file()
