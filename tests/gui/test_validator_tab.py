"""The Validator tab: summary, findings table (sort, filter, jump), fixes, charts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.validation.findings import Finding, Severity
from ftstudio.core.validation.fixlist import FixName
from ftstudio.core.validation.report import Report
from ftstudio.gui.document import Document
from ftstudio.gui.validator import ValidatorTab
from ftstudio.gui.validator.charts import histogram
from ftstudio.gui.validator.findings_model import (
    CODE_COLUMN,
    FINDING_ROLE,
    LINE_COLUMN,
    MESSAGE_COLUMN,
    SEVERITY_COLUMN,
    FindingsModel,
)
from ftstudio.gui.validator.guidance import guidance
from tests.gui.report_fakes import FakeValidator

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
FINDINGS = (
    Finding(None, "few_examples", Severity.WARNING, "Only a few examples."),
    Finding(7, "invalid_json", Severity.ERROR, "This line is not valid JSON."),
    Finding(3, "blank_line", Severity.WARNING, "This line is empty.", True),
    Finding(12, "possible_secret", Severity.WARNING, "Looks like an API key."),
    Finding(5, "missing_content", Severity.ERROR, "The content is empty."),
    Finding(None, "unknown_price", Severity.INFO, "The price is unknown."),
)


def wait_report(qtbot, doc: Document, timeout: int = 20_000) -> Report:
    with qtbot.waitSignal(doc.report_changed, timeout=timeout):
        doc.revalidate()
    assert doc.report is not None
    return doc.report


@pytest.fixture
def fake_doc(qtbot) -> Iterator[Document]:
    fake = FakeValidator(
        examples=30, findings=FINDINGS, tokens=[5, 9, 9, 40], messages=[2, 3, 3, 3]
    )
    doc = Document(DatasetStore.from_bytes(b"{}\n" * 15), validator=fake)
    wait_report(qtbot, doc)
    yield doc
    doc.close()


@pytest.fixture
def tab(qtbot, fake_doc: Document) -> ValidatorTab:
    widget = ValidatorTab()
    qtbot.addWidget(widget)
    widget.set_document(fake_doc)
    return widget


def shown_lines(tab: ValidatorTab) -> list[str]:
    model = tab.findings
    return [model.index(r, LINE_COLUMN).data() for r in range(model.rowCount())]


def test_models_pass_the_model_tester(qtmodeltester, tab: ValidatorTab) -> None:
    qtmodeltester.check(tab.findings)
    tab.search.setText("line")
    qtmodeltester.check(tab.findings)


def test_summary_shows_the_report(tab: ValidatorTab) -> None:
    values = tab.summary.values
    assert values["examples"].text() == "30"
    assert values["errors"].text() == "2"
    assert values["warnings"].text() == "3"
    assert values["tokens"].text() == "123,456"
    assert values["format"].text() == "Chat"
    assert tab.shown.text() == "6 findings"


def test_errors_come_first_then_sort_by_line(tab: ValidatorTab) -> None:
    severities = [tab.findings.index(r, SEVERITY_COLUMN).data() for r in range(6)]
    assert severities == ["Error", "Error", "Warning", "Warning", "Warning", "Note"]
    assert shown_lines(tab)[:2] == ["5", "7"]
    tab.table.sortByColumn(LINE_COLUMN, Qt.SortOrder.AscendingOrder)
    assert shown_lines(tab) == ["whole file", "whole file", "3", "5", "7", "12"]
    tab.table.sortByColumn(LINE_COLUMN, Qt.SortOrder.DescendingOrder)
    assert shown_lines(tab)[0] == "12"


def test_severity_and_text_filters(tab: ValidatorTab) -> None:
    tab.severity_boxes[Severity.WARNING].setChecked(False)
    tab.severity_boxes[Severity.INFO].setChecked(False)
    assert sorted(shown_lines(tab)) == ["5", "7"]
    assert tab.shown.text() == "2 of 6 findings"
    tab.severity_boxes[Severity.WARNING].setChecked(True)
    tab.search.setText("JSON")
    assert shown_lines(tab) == ["7"]
    tab.search.setText("blank_line")  # codes match too
    assert shown_lines(tab) == ["3"]
    tab.search.setText("12")  # and line numbers
    assert shown_lines(tab) == ["12"]
    tab.search.clear()
    assert len(shown_lines(tab)) == 5


def test_filter_survives_a_new_report_and_a_sort(
    qtbot, tab: ValidatorTab, fake_doc: Document
) -> None:
    tab.severity_boxes[Severity.ERROR].setChecked(False)
    wait_report(qtbot, fake_doc)
    assert "Error" not in [
        tab.findings.index(r, 0).data() for r in range(tab.findings.rowCount())
    ]
    tab.table.sortByColumn(LINE_COLUMN, Qt.SortOrder.DescendingOrder)
    assert shown_lines(tab) == ["12", "3", "whole file", "whole file"]


def test_double_click_jumps_to_the_row(qtbot, tab: ValidatorTab) -> None:
    tab.show()
    qtbot.waitExposed(tab)
    index = tab.findings.index(1, LINE_COLUMN)  # the error on line 7
    assert index.data() == "7"
    rect = tab.table.visualRect(index)
    viewport, left = tab.table.viewport(), Qt.MouseButton.LeftButton
    with qtbot.waitSignal(tab.jump_requested) as blocker:
        # a real double-click: Qt6's QTest.mouseDClick alone lacks the first press
        qtbot.mouseClick(viewport, left, pos=rect.center())
        qtbot.mouseDClick(viewport, left, pos=rect.center())
    assert blocker.args == [6]  # 0-based row of line 7


def test_enter_key_jumps_and_whole_file_findings_do_not(
    qtbot, tab: ValidatorTab
) -> None:
    tab.show()
    qtbot.waitExposed(tab)
    jumps: list[int] = []
    tab.jump_requested.connect(jumps.append)
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.findings.index(0, 0))  # line 5
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    whole = next(
        r
        for r in range(tab.findings.rowCount())
        if tab.findings.index(r, LINE_COLUMN).data() == "whole file"
    )
    tab.table.setCurrentIndex(tab.findings.index(whole, 0))
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert jumps == [4]


def test_fix_button_enabled_only_for_its_finding(tab: ValidatorTab) -> None:
    buttons = tab.fix_bar.buttons
    assert buttons[FixName.BLANK_LINES].isEnabled()
    assert not buttons[FixName.BLANK_LINES].isHidden()
    for other in (FixName.BOM, FixName.DUPLICATES, FixName.ALL):
        assert not buttons[other].isEnabled()
        assert buttons[other].isHidden()


def test_advice_follows_the_counts(tab: ValidatorTab) -> None:
    text = tab.advice.text()
    assert "Fix the 2 errors first" in text
    assert "50 to 100" in text
    assert "training and validation" in text


def test_guidance_wording_for_small_and_over_long_sets(fake_doc: Document) -> None:
    from dataclasses import replace

    report = fake_doc.report
    assert report is not None
    few = replace(report, examples=4, findings=())
    assert any("at least 10 examples" in n and "Add 6 more" in n for n in guidance(few))
    long = replace(
        report, tokens=replace(report.tokens, over_limit_examples=3, limit=4096)
    )
    assert any(
        "3 examples are longer than the 4,096 tokens" in n for n in guidance(long)
    )
    assert any("cuts" in n for n in guidance(long))


def test_charts_show_the_sizes_and_limit(qtbot, tab: ValidatorTab) -> None:
    tab.show()
    qtbot.waitExposed(tab)
    charts = tab.charts
    assert charts.built  # created on first show, not at start
    assert "Longest example: 40 tokens" in charts.caption.text()
    edges, counts = histogram([5, 9, 9, 40])
    assert counts.sum() == 4
    assert edges[0] <= 5 <= edges[-1]
    assert edges[-1] >= 40
    assert histogram([3, 3, 5])[1].tolist() == [2, 0, 1]


def test_limit_line_at_the_models_limit(
    qtbot, tab: ValidatorTab, fake_doc: Document
) -> None:
    tab.show()
    qtbot.waitExposed(tab)
    with qtbot.waitSignal(fake_doc.report_changed):
        fake_doc.set_model("gpt-3.5-turbo-0613")  # a 4,096-token limit
    line = tab.charts._limit_line
    assert line.isVisible()
    assert line.value() == 4096
    assert "limit of 4,096 tokens" in tab.charts.caption.text()


def test_model_picker_sets_the_documents_model(
    qtbot, tab: ValidatorTab, fake_doc: Document
) -> None:
    picker = tab.model_picker
    with qtbot.waitSignal(fake_doc.report_changed):
        picker.setEditText("gpt-4o-mini-2024-07-18")
        picker.lineEdit().editingFinished.emit()
    assert fake_doc.model == "gpt-4o-mini-2024-07-18"
    assert "gpt-4o-mini-2024-07-18" in tab.status.text()


def test_empty_state(qtbot) -> None:
    widget = ValidatorTab()
    qtbot.addWidget(widget)
    widget.set_document(None)
    widget.show()
    assert widget.empty_label.isVisible()
    assert "Open a training file or import a spreadsheet" in widget.empty_label.text()
    assert widget.findings.rowCount() == 0


def test_sort_keeps_the_selection_on_the_same_finding(tab: ValidatorTab) -> None:
    tab.table.selectRow(1)
    chosen = tab.table.currentIndex().data(FINDING_ROLE)
    tab.table.sortByColumn(LINE_COLUMN, Qt.SortOrder.DescendingOrder)
    assert tab.table.currentIndex().data(FINDING_ROLE) == chosen


def test_findings_model_alone(qtbot, qtmodeltester) -> None:
    model = FindingsModel()
    model.set_findings(FINDINGS)
    qtmodeltester.check(model)
    model.set_severities({Severity.INFO})
    assert model.rowCount() == 1
    assert model.finding(0).code == "unknown_price"
    model.set_findings(FINDINGS[:3])  # a new report keeps the filter
    assert model.rowCount() == 0
    assert model.total == 3
    model.set_severities(Severity)
    model.sort(CODE_COLUMN, Qt.SortOrder.AscendingOrder)
    assert [f.code for f in model.findings()] == [
        "blank_line",
        "few_examples",
        "invalid_json",
    ]
    model.sort(MESSAGE_COLUMN, Qt.SortOrder.DescendingOrder)
    assert model.finding(0).message == "This line is not valid JSON."


# with the real validator ----------------------------------------------------------
@pytest.fixture
def mistakes_doc(qtbot, tmp_path: Path) -> Iterator[Document]:
    path = tmp_path / "mistakes.jsonl"
    path.write_bytes((SAMPLES / "customer_support_mistakes.jsonl").read_bytes())
    doc = Document(DatasetStore.open(path))
    yield doc
    doc.close()


def test_real_findings_and_jump(qtbot, mistakes_doc: Document) -> None:
    widget = ValidatorTab()
    qtbot.addWidget(widget)
    widget.set_document(mistakes_doc)
    report = wait_report(qtbot, mistakes_doc)
    assert widget.summary.values["errors"].text() == str(report.errors)
    assert widget.findings.rowCount() == len(report.findings)
    widget.search.setText("invalid_json")
    assert widget.findings.rowCount() >= 1
    index = widget.findings.index(0, 0)
    line = index.data(FINDING_ROLE).line
    with qtbot.waitSignal(widget.jump_requested) as blocker:
        widget.table.activated.emit(index)
    assert blocker.args == [line - 1]
    widget.set_document(None)


def test_fix_blank_lines_is_one_undo_step(qtbot, mistakes_doc: Document) -> None:
    widget = ValidatorTab()
    qtbot.addWidget(widget)
    widget.set_document(mistakes_doc)
    wait_report(qtbot, mistakes_doc)
    button = widget.fix_bar.buttons[FixName.BLANK_LINES]
    assert button.isEnabled()
    assert widget.fix_bar.buttons[FixName.DUPLICATES].isEnabled()
    assert widget.fix_bar.buttons[FixName.ALL].isEnabled()  # two kinds of fixes
    rows = len(mistakes_doc.store)
    with qtbot.waitSignal(mistakes_doc.report_changed, timeout=20_000):
        button.click()
    assert len(mistakes_doc.store) < rows
    assert "blank_line" not in {f.code for f in mistakes_doc.report.findings}
    assert not button.isEnabled()
    assert mistakes_doc.undo_stack.count() == 1
    with qtbot.waitSignal(mistakes_doc.report_changed, timeout=20_000):
        mistakes_doc.undo_stack.undo()
    assert len(mistakes_doc.store) == rows
    assert button.isEnabled()
    widget.set_document(None)


def test_layout_fix_revalidates_and_fix_all_is_one_step(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "windows.jsonl"
    lines = (SAMPLES / "customer_support.jsonl").read_bytes().splitlines()
    path.write_bytes(
        b"\xef\xbb\xbf" + b"\r\n".join(lines[:12]) + b"\r\n\r\n" + lines[0] + b"\r\n"
    )
    doc = Document(DatasetStore.open(path))
    widget = ValidatorTab()
    qtbot.addWidget(widget)
    widget.set_document(doc)
    report = wait_report(qtbot, doc)
    codes = {f.code for f in report.findings}
    assert {"utf8_bom", "crlf_line_endings", "blank_line", "duplicate_example"} <= codes
    bom = widget.fix_bar.buttons[FixName.BOM]
    with qtbot.waitSignal(doc.report_changed, timeout=20_000):
        bom.click()
    assert "utf8_bom" not in {f.code for f in doc.report.findings}
    assert bom.isHidden()
    with qtbot.waitSignal(doc.report_changed, timeout=20_000):
        doc.undo_stack.undo()  # the mark comes back, and so does its finding
    assert "utf8_bom" in {f.code for f in doc.report.findings}
    with qtbot.waitSignal(doc.report_changed, timeout=20_000):
        doc.undo_stack.redo()
    assert "utf8_bom" not in {f.code for f in doc.report.findings}
    with qtbot.waitSignal(doc.report_changed, timeout=20_000):
        widget.fix_bar.buttons[FixName.ALL].click()
    assert not [f for f in doc.report.findings if f.fixable]
    assert doc.undo_stack.count() == 2
    assert not doc.store.to_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in doc.store.to_bytes()
    assert widget.fix_bar.none_needed.isVisibleTo(widget.fix_bar)
    widget.set_document(None)
    doc.close()


def test_real_histograms_match_the_report(qtbot, mistakes_doc: Document) -> None:
    widget = ValidatorTab()
    qtbot.addWidget(widget)
    widget.set_document(mistakes_doc)
    widget.show()
    report = wait_report(qtbot, mistakes_doc)
    tokens, messages = mistakes_doc.validator.example_sizes()
    assert len(tokens) == len(messages) > 10
    assert max(tokens) == report.tokens.per_example.max
    assert max(messages) == report.tokens.messages_per_example.max
    assert f"Longest example: {max(tokens):,} tokens" in widget.charts.caption.text()
    assert widget.charts.built
    widget.set_document(None)


def test_failed_validation_is_said_in_plain_words(qtbot, fake_doc: Document) -> None:
    from ftstudio.core.errors import FtError

    widget = ValidatorTab()
    qtbot.addWidget(widget)
    widget.set_document(fake_doc)
    fake_doc.validation_failed.emit(
        FtError("internal", "Something went wrong while checking.", "trace")
    )
    assert widget.status.text() == (
        "Checking stopped: Something went wrong while checking."
    )
    assert widget.status.toolTip() == "trace"


def test_fix_is_dropped_when_the_dataset_changed_meanwhile(
    qtbot, mistakes_doc: Document
) -> None:
    from ftstudio.core.dataset.edits import set_raw

    widget = ValidatorTab()
    qtbot.addWidget(widget)
    widget.set_document(mistakes_doc)
    wait_report(qtbot, mistakes_doc)
    bar = widget.fix_bar
    bar.buttons[FixName.DUPLICATES].click()  # prepared on a worker
    assert not bar.buttons[FixName.BLANK_LINES].isEnabled()  # one fix at a time
    store = mistakes_doc.store
    mistakes_doc.push(set_raw(store, 0, store.raw(0) + b" "))  # before it is back
    qtbot.waitUntil(lambda: bar.runner.current is None, timeout=20_000)
    assert "changed while the fix was prepared" in bar.result.text()
    assert mistakes_doc.undo_stack.count() == 1  # only the user's own edit
    assert bar.buttons[FixName.BLANK_LINES].isEnabled()
    widget.set_document(None)


def test_pretty_printed_file_is_converted(qtbot, tmp_path: Path) -> None:
    import json

    examples = [
        {
            "messages": [
                {"role": "user", "content": f"Q{i}"},
                {"role": "assistant", "content": f"A{i}"},
            ]
        }
        for i in range(12)
    ]
    path = tmp_path / "pretty.jsonl"
    path.write_text(json.dumps(examples, indent=2), encoding="utf-8")
    doc = Document(DatasetStore.open(path))
    widget = ValidatorTab()
    qtbot.addWidget(widget)
    widget.set_document(doc)
    report = wait_report(qtbot, doc)
    assert "pretty_printed_json" in {f.code for f in report.findings}
    button = widget.fix_bar.buttons[FixName.PRETTY_JSON]
    pretty_lines = len(doc.store)
    button.click()
    # parsed on a worker: the window stays live, nothing changed yet
    assert widget.fix_bar.result.text().endswith("…")
    assert len(doc.store) == pretty_lines
    qtbot.waitUntil(lambda: len(doc.store) == 12, timeout=20_000)
    qtbot.waitUntil(
        lambda: "pretty_printed_json" not in {f.code for f in doc.report.findings},
        timeout=20_000,
    )
    assert doc.report.errors == 0
    doc.undo_stack.undo()  # one step takes it back
    assert len(doc.store) == pretty_lines
    widget.set_document(None)
    doc.close()


def test_chosen_finding_is_shown_in_full(tab: ValidatorTab) -> None:
    tab.table.setCurrentIndex(tab.findings.index(1, 0))  # line 7
    assert "This line is not valid JSON." in tab.detail.text()
    assert "Line 7" in tab.detail.text()
    tab.search.setText("empty")  # a new filter: nothing chosen any more
    assert tab.detail.text() == ""
