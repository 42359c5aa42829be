"""The Validator tab on tool-calling data: new findings, estimates, the field repair."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.validation.fixlist import FixName
from ftstudio.gui.document import Document
from ftstudio.gui.validator import ValidatorTab
from tests.gui.test_validator_tab import wait_report

TOOLS = [
    {"type": "function", "function": {"name": "weather", "description": "Weather."}}
]


def example(
    i: int, arguments: object = '{"city": "Paris"}', role: str = "system"
) -> bytes:
    call = {
        "id": "c1",
        "type": "function",
        "function": {"name": "weather", "arguments": arguments},
    }
    return json.dumps(
        {
            "messages": [
                {"role": role, "content": "You report the weather."},
                {"role": "user", "content": f"Weather in city {i}?"},
                {"role": "assistant", "content": None, "tool_calls": [call]},
                {"role": "tool", "content": "18 °C", "tool_call_id": "c1"},
                {"role": "assistant", "content": f"It is 18 °C in city {i}."},
            ],
            "tools": TOOLS,
        }
    ).encode()


@pytest.fixture
def doc(tmp_path: Path) -> Iterator[Document]:
    rows = [example(i) for i in range(20)]
    rows[3] = example(3, arguments={"city": "Paris"})
    rows[5] = example(5, role="developer")
    path = tmp_path / "tools.jsonl"
    path.write_bytes(b"\n".join(rows) + b"\n")
    document = Document(DatasetStore.open(path), model="gpt-4o-mini")
    yield document
    document.close()


def test_tool_findings_estimate_and_repair(qtbot, doc: Document) -> None:
    widget = ValidatorTab()
    qtbot.addWidget(widget)
    widget.set_document(doc)
    report = wait_report(qtbot, doc)
    codes = {f.code for f in report.findings}
    assert {"tool_arguments_not_string", "developer_role", "estimated_tokens"} <= codes
    tokens = widget.summary.values["tokens"]
    assert tokens.text().startswith("≈ ")
    assert "estimate" in tokens.toolTip()
    widget.search.setText("developer_role")
    assert widget.findings.rowCount() == 1
    button = widget.fix_bar.buttons[FixName.FIELDS]
    assert button.isEnabled()
    assert not button.isHidden()
    if os.environ.get("FTSTUDIO_SHOT"):
        widget.search.setText("")
        widget.resize(1100, 700)
        widget.grab().save(os.environ["FTSTUDIO_SHOT"])
    with qtbot.waitSignal(doc.report_changed, timeout=20_000):
        button.click()
    assert doc.report is not None
    after = {f.code for f in doc.report.findings}
    assert not {"tool_arguments_not_string", "developer_role"} & after
    assert doc.undo_stack.count() == 1
    widget.set_document(None)


def test_first_findings_show_before_the_report(
    qtbot, doc: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ftstudio.core.validation import validator as validator_module

    monkeypatch.setattr(validator_module, "EARLY_BYTES", 0)  # as for a big file
    widget = ValidatorTab()
    qtbot.addWidget(widget)
    seen: list[tuple[int, str]] = []

    def on_early(batch: object) -> None:
        seen.append((widget.findings.rowCount(), widget.status.text()))

    widget.set_document(doc)
    doc.early_findings.connect(on_early)  # after the tab's own slot: sees its work
    with qtbot.waitSignal(doc.report_changed, timeout=20_000):
        doc.revalidate()
    assert len(seen) == 1
    rows, status = seen[0]
    assert rows == 2  # line 4's arguments and line 6's developer role
    assert "first problems in the top 20 lines" in status
    assert "token counts follows" in status
    widget.set_document(None)
