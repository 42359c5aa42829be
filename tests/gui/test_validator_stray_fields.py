"""The Validator tab offers removing fields OpenAI refuses, keeping the trainer's own."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.validation.fixlist import FixName
from ftstudio.gui.document import Document
from ftstudio.gui.validator import ValidatorTab
from tests.core.validation_helpers import lines
from tests.gui.test_validator_tab import wait_report

if TYPE_CHECKING:
    from pathlib import Path

STRAY = {
    "messages": [
        {"role": "user", "content": "Hello", "weight": 1},
        {"role": "assistant", "content": "Hi.", "thinking": "A greeting."},
    ]
}


def test_fix_all_removes_stray_fields_but_keeps_the_targets(
    qtbot, tmp_path: Path
) -> None:
    path = tmp_path / "stray.jsonl"
    path.write_bytes(lines(STRAY, b""))
    doc = Document(DatasetStore.open(path))
    widget = ValidatorTab()
    qtbot.addWidget(widget)
    widget.set_document(doc)
    wait_report(qtbot, doc)
    stray = widget.fix_bar.buttons[FixName.STRAY_FIELDS]
    assert stray.isVisibleTo(widget)
    assert stray.isEnabled()
    # for gpt-oss, "thinking" is what the trainer reads: Fix all keeps it
    with qtbot.waitSignal(widget.target.findings_ready, timeout=20_000):
        widget.target.combo.setCurrentIndex(widget.target.combo.findData("gpt-oss"))
    with qtbot.waitSignal(doc.report_changed, timeout=20_000):
        widget.fix_bar.buttons[FixName.ALL].click()
    first = json.loads(next(iter(doc.store.iter_raw())))
    assert first["messages"] == [
        {"role": "user", "content": "Hello"},
        {"role": "assistant", "content": "Hi.", "thinking": "A greeting."},
    ]
    assert doc.undo_stack.count() == 1
    # for OpenAI it is an unknown field, and the same button removes it
    widget.target.combo.setCurrentIndex(widget.target.combo.findData("openai"))
    assert stray.isVisibleTo(widget)
    with qtbot.waitSignal(doc.report_changed, timeout=20_000):
        stray.click()
    first = json.loads(next(iter(doc.store.iter_raw())))
    assert first["messages"][1] == {"role": "assistant", "content": "Hi."}
    assert not [f for f in doc.report.findings if f.fixable]
    widget.set_document(None)
    doc.close()
