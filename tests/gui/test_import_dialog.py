"""The import dialog: preview a spreadsheet, map its columns, open the result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ftstudio.core.dataset.store import DatasetStore
from ftstudio.gui.dialogs.import_dialog import ImportDialog
from ftstudio.gui.dialogs.import_mapping import FIXED_SYSTEM


class Opened:
    """Records what the dialog hands to ``open_store``."""

    def __init__(self) -> None:
        self.calls: list[tuple[DatasetStore, str]] = []

    def __call__(self, store: DatasetStore, title: str) -> None:
        self.calls.append((store, title))

    def examples(self) -> list[dict[str, object]]:
        store = self.calls[-1][0]
        return [json.loads(store.raw(row)) for row in range(len(store))]


@pytest.fixture
def opened() -> Opened:
    return Opened()


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "faq.csv"
    rows = ["question,answer,notes"]
    rows += [f'"How do I {i}?","You {i}, then done.",note {i}' for i in range(30)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def open_dialog(qtbot, opened: Opened, path: Path | None = None) -> ImportDialog:
    dialog = ImportDialog(open_store=opened)
    qtbot.addWidget(dialog)
    if path is not None:
        load(qtbot, dialog, path)
    return dialog


def load(qtbot, dialog: ImportDialog, path: Path, sheet: str | None = None) -> None:
    dialog.load(path, sheet)
    qtbot.waitUntil(lambda: dialog.loader.current is None, timeout=20_000)


def convert(qtbot, dialog: ImportDialog) -> None:
    dialog.import_button.click()
    # finished, or discarded because the dialog closed itself on success
    qtbot.waitUntil(lambda: dialog.converter.current is None, timeout=20_000)


def test_preview_shows_the_first_rows(qtbot, qtmodeltester, opened, csv_file) -> None:
    dialog = open_dialog(qtbot, opened, csv_file)
    model = dialog.preview
    qtmodeltester.check(model)
    assert model.columns == ("question", "answer", "notes")
    assert model.rowCount() == 20
    assert model.index(0, 0).data() == "How do I 0?"
    assert "first 20 rows" in dialog.rows_note.text()
    assert "more rows follow" in dialog.rows_note.text()
    # question/answer are recognised, and the headers say what each column becomes
    assert dialog.mapping_form.user.currentData() == "question"
    assert dialog.mapping_form.assistant.currentData() == "answer"
    header = model.headerData(0, Qt.Orientation.Horizontal)
    assert "user message" in header
    assert dialog.import_button.isEnabled()


def test_import_with_one_system_prompt(qtbot, opened, csv_file) -> None:
    dialog = open_dialog(qtbot, opened, csv_file)
    form = dialog.mapping_form
    form.system.setCurrentIndex(form.system.findData(FIXED_SYSTEM))
    assert not dialog.import_button.isEnabled()
    assert "Type the system prompt" in dialog.status.text()
    form.system_text.setPlainText("You are Skye, a support assistant.")
    assert dialog.import_button.isEnabled()
    convert(qtbot, dialog)
    assert len(opened.calls) == 1
    assert opened.calls[0][1] == "faq.jsonl"
    examples = opened.examples()
    assert len(examples) == 30
    assert examples[3] == {
        "messages": [
            {"role": "system", "content": "You are Skye, a support assistant."},
            {"role": "user", "content": "How do I 3?"},
            {"role": "assistant", "content": "You 3, then done."},
        ]
    }
    assert dialog.result() == ImportDialog.DialogCode.Accepted


def test_system_prompt_from_a_column_and_different_columns(
    qtbot, opened, tmp_path
) -> None:
    path = tmp_path / "chat.tsv"
    path.write_text(
        "prompt\treply\tpersona\nHi\tHello!\tBe brief.\nBye\tSee you.\tBe kind.\n",
        encoding="utf-8",
    )
    dialog = open_dialog(qtbot, opened, path)
    form = dialog.mapping_form
    form.user.setCurrentIndex(form.user.findData("prompt"))
    form.assistant.setCurrentIndex(form.assistant.findData("prompt"))
    assert "different columns" in dialog.status.text()
    assert not dialog.import_button.isEnabled()
    form.assistant.setCurrentIndex(form.assistant.findData("reply"))
    form.system.setCurrentIndex(form.system.findData("persona"))
    convert(qtbot, dialog)
    first = opened.examples()[0]["messages"]
    assert first[0] == {"role": "system", "content": "Be brief."}
    assert first[2] == {"role": "assistant", "content": "Hello!"}


def test_rows_left_out_are_listed_before_opening(qtbot, opened, tmp_path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("question,answer\nA?,Yes.\nB?,\nC?,No.\n,\n", encoding="utf-8")
    dialog = open_dialog(qtbot, opened, path)
    convert(qtbot, dialog)
    assert opened.calls == []  # not yet: the user reads the note first
    assert "2 examples are ready" in dialog.status.text()
    assert "no assistant reply" in dialog.status.text()
    assert dialog.import_button.text() == "&Open 2 examples"
    dialog.import_button.click()
    assert len(opened.examples()) == 2


def test_excel_sheets_can_be_picked(qtbot, opened, tmp_path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Notes"
    first.append(["just", "notes"])
    second = book.create_sheet("Training")
    second.append(["question", "answer"])
    second.append(["Where is my order?", "Let me check that for you."])
    book.save(path)
    dialog = open_dialog(qtbot, opened, path)
    dialog.show()
    assert dialog.sheet.isVisible()
    assert dialog.sheet.isEnabled()
    assert [dialog.sheet.itemText(i) for i in range(dialog.sheet.count())] == [
        "Notes",
        "Training",
    ]
    load(qtbot, dialog, path, "Training")
    assert dialog.sheet.currentText() == "Training"
    assert dialog.preview.columns == ("question", "answer")
    convert(qtbot, dialog)
    assert opened.examples()[0]["messages"][0]["content"] == "Where is my order?"


def test_json_examples_need_no_mapping(qtbot, opened, tmp_path) -> None:
    path = tmp_path / "pretty.json"
    examples = [
        {
            "messages": [
                {"role": "user", "content": "Hi"},
                {"role": "assistant", "content": "Hello"},
            ]
        },
        {
            "messages": [
                {"role": "user", "content": "Bye"},
                {"role": "assistant", "content": "Ciao"},
            ]
        },
    ]
    path.write_text(json.dumps(examples, indent=2), encoding="utf-8")
    dialog = open_dialog(qtbot, opened, path)
    assert "already holds training examples" in dialog.rows_note.text()
    assert not dialog.mapping_form.isEnabled()
    convert(qtbot, dialog)
    assert opened.examples() == examples


def test_unreadable_file_is_explained(qtbot, opened, tmp_path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a spreadsheet")
    dialog = open_dialog(qtbot, opened, path)
    assert dialog.status.text()
    assert "Traceback" not in dialog.status.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.preview.rowCount() == 0


def test_main_window_receives_the_result(qtbot, csv_file) -> None:
    from PySide6.QtWidgets import QWidget

    class Window(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.opened: list[str] = []

        def open_store(self, store: DatasetStore, title: str) -> None:
            self.opened.append(title)

    window = Window()
    qtbot.addWidget(window)
    dialog = ImportDialog(window)
    load(qtbot, dialog, csv_file)
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.import_button.click()
    assert window.opened == ["faq.jsonl"]


def test_closing_stops_the_work(qtbot, opened, csv_file) -> None:
    dialog = open_dialog(qtbot, opened)
    dialog.load(csv_file)
    dialog.reject()  # at once, while the file is read
    assert dialog.loader.current is None
    assert opened.calls == []


def test_worksheet_row_only_for_workbooks(qtbot, opened, csv_file) -> None:
    dialog = open_dialog(qtbot, opened, csv_file)
    dialog.show()
    assert not dialog.sheet.isVisible()
