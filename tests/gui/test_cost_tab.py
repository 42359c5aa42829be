"""The Cost tab: its figures match the core's cost rules and follow every input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ftstudio.core.cost import CostEstimate, auto_epochs, auto_epochs_explained
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.models import default_table
from ftstudio.gui.cost import CostTab
from ftstudio.gui.cost.epochs_model import EpochCostModel, format_usd
from ftstudio.gui.document import Document
from tests.gui.report_fakes import FakeValidator


@pytest.fixture
def fake() -> FakeValidator:
    return FakeValidator(examples=42, billing=123_456)


@pytest.fixture
def doc(qtbot, fake: FakeValidator) -> Iterator[Document]:
    document = Document(DatasetStore.from_bytes(b'{"messages": []}\n'), validator=fake)
    with qtbot.waitSignal(document.report_changed):
        document.revalidate()
    yield document
    document.close()


@pytest.fixture
def tab(qtbot, doc: Document) -> CostTab:
    widget = CostTab()
    qtbot.addWidget(widget)
    widget.set_document(doc)
    return widget


def test_estimate_is_the_cores(tab: CostTab, doc: Document) -> None:
    info = default_table().lookup(doc.model)
    expected = CostEstimate(123_456, auto_epochs(42), info.price_per_1m)
    assert tab.current_estimate() == expected
    assert tab.total.text() == f"Estimated cost: {format_usd(expected.usd)}"
    assert "123,456" in tab.billing.text()
    assert tab.auto_rule.text() == auto_epochs_explained(42)


def test_epoch_table_rows_are_core_estimates(qtmodeltester, tab: CostTab) -> None:
    model = tab.epochs_model
    qtmodeltester.check(model)
    price = tab.price.value()
    for row in range(10):
        usd = CostEstimate(123_456, row + 1, price).usd
        assert model.index(row, 2).data() == format_usd(usd)
        assert model.index(row, 1).data() == f"{123_456 * (row + 1):,}"


def test_chosen_epochs_update_the_estimate_at_once(tab: CostTab) -> None:
    tab.epochs.setValue(7)
    estimate = tab.current_estimate()
    assert estimate is not None
    assert estimate.epochs == 7
    assert tab.total.text().endswith(format_usd(estimate.usd))
    assert "You chose 7 epochs" in tab.auto_rule.text()
    bold = tab.epochs_model.index(6, 0).data(Qt.ItemDataRole.FontRole)
    assert bold is not None
    assert bold.bold()
    tab.epochs.setValue(0)
    assert tab.epochs.text() == "Auto"
    assert tab.current_estimate().epochs == auto_epochs(42)


def test_edited_price_is_used_and_can_be_reset(tab: CostTab) -> None:
    table_price = tab.price.value()
    assert not tab.reset_price.isEnabled()
    tab.price.setValue(12.5)
    assert tab.current_estimate().usd == pytest.approx(123_456 * 3 * 12.5 / 1e6)
    assert tab.reset_price.isEnabled()
    tab.reset_price.click()
    assert tab.price.value() == table_price
    assert "last checked 2026-11-21" in tab.price_note.text()


def test_model_change_goes_to_the_document_and_reprices(
    qtbot, tab: CostTab, doc: Document
) -> None:
    picker = tab.model_picker
    with qtbot.waitSignal(doc.report_changed):
        picker.setCurrentIndex(picker.findText("gpt-4o-mini"))
        picker.activated.emit(picker.currentIndex())
    assert doc.model == "gpt-4o-mini"
    assert tab.price.value() == default_table().lookup("gpt-4o-mini").price_per_1m
    assert tab.current_estimate().price_per_1m == 3.0


def test_model_without_price_says_so(qtbot, tab: CostTab, doc: Document) -> None:
    with qtbot.waitSignal(doc.report_changed):
        doc.set_model("o4-mini")
    assert tab.model_picker.currentText() == "o4-mini"
    assert tab.price.text() == "unknown"
    assert tab.total.text() == "Estimated cost: unknown"
    assert "does not know the price" in tab.price_note.text()
    tab.price.setValue(2)
    assert tab.current_estimate().usd == pytest.approx(123_456 * 3 * 2 / 1e6)


def test_new_report_updates_the_figures(
    qtbot, tab: CostTab, doc: Document, fake
) -> None:
    fake.examples, fake.billing = 5, 1_000  # a small set: auto picks 20 epochs
    with qtbot.waitSignal(doc.report_changed):
        doc.revalidate()
    assert tab.current_estimate().epochs == auto_epochs(5) == 20
    assert "1,000" in tab.billing.text()
    assert tab.auto_rule.text() == auto_epochs_explained(5)


def test_empty_state_without_a_document(qtbot) -> None:
    widget = CostTab()
    qtbot.addWidget(widget)
    widget.set_document(None)
    widget.show()
    assert widget.empty_label.isVisible()
    assert "Open a training file or import a spreadsheet" in widget.empty_label.text()
    assert widget.current_estimate() is None


def test_costs_below_a_cent_are_worded() -> None:
    assert format_usd(None) == "unknown"
    assert format_usd(0.004) == "less than $0.01"
    assert format_usd(1234.5) == "$1,234.50"


def _tab_for(qtbot, path: Path) -> tuple[CostTab, Document]:
    document = Document(DatasetStore.open(path))
    widget = CostTab()
    qtbot.addWidget(widget)
    widget.set_document(document)
    with qtbot.waitSignal(document.report_changed, timeout=20_000):
        document.revalidate()
    return widget, document


def test_real_validation_feeds_the_tab(qtbot, tmp_path: Path) -> None:
    sample = (
        Path(__file__).resolve().parents[2] / "resources/samples/customer_support.jsonl"
    )
    widget, document = _tab_for(qtbot, sample)
    report = document.report
    assert report is not None
    assert widget.current_estimate() == CostEstimate(
        report.tokens.billing, auto_epochs(report.examples), report.cost.price_per_1m
    )
    assert widget.current_estimate() == report.cost
    widget.set_document(None)
    document.close()


def test_epoch_model_standalone(qtbot, qtmodeltester) -> None:
    model = EpochCostModel()
    model.set_inputs(1_000_000, 2.0, 4)
    qtmodeltester.check(model)
    assert model.index(3, 2).data() == "$8.00"


def test_figures_for_another_model_are_marked_until_recounted(
    qtbot, tab: CostTab, doc: Document
) -> None:
    with qtbot.waitSignal(doc.report_changed):
        doc.set_model("gpt-4o-mini")
        assert "counting for gpt-4o-mini" in tab.billing.text()
    assert "counting" not in tab.billing.text()


TOOL_EXAMPLE = {
    "messages": [
        {"role": "user", "content": "Weather in Paris?"},
        {
            "role": "assistant",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "weather", "arguments": '{"city": "Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "Sunny"},
        {"role": "assistant", "content": "It is sunny."},
    ],
    "tools": [
        {
            "type": "function",
            "function": {
                "name": "weather",
                "description": "Weather of a city.",
                "parameters": {
                    "type": "object",
                    "properties": {"city": {"type": "string"}},
                },
            },
        }
    ],
}


def test_tool_counts_are_marked_as_estimates(qtbot, tmp_path: Path) -> None:
    import json

    path = tmp_path / "tools.jsonl"
    path.write_text("\n".join(json.dumps(TOOL_EXAMPLE) for _ in range(12)) + "\n")
    widget, document = _tab_for(qtbot, path)
    widget.show()
    assert widget.billing.text().startswith("≈ ")
    assert widget.total.text().startswith("Estimated cost: ≈ ")
    assert widget.estimate_note.isVisible()
    assert "12 examples hold tools, tool calls or images" in (
        widget.estimate_note.text()
    )
    widget.grab().save(str(tmp_path / "cost_estimated.png"))
    widget.set_document(None)
    document.close()


def test_exact_counts_are_not_marked(qtbot) -> None:
    sample = (
        Path(__file__).resolve().parents[2] / "resources/samples/customer_support.jsonl"
    )
    widget, document = _tab_for(qtbot, sample)
    widget.show()
    assert "≈" not in widget.billing.text() + widget.total.text()
    assert not widget.estimate_note.isVisible()
    widget.set_document(None)
    document.close()
