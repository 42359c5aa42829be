"""The Validator applies another trainer's rules when the file is for that trainer."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ftstudio.core.dataset.store import DatasetStore
from ftstudio.gui.document import Document
from ftstudio.gui.validator import ValidatorTab

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot


def _rows() -> bytes:
    rows = [
        {
            "messages": [
                {"role": "user", "content": f"Question {i}?"},
                {"role": "assistant", "content": f"Answer {i}."},
            ]
        }
        for i in range(10)
    ]
    rows.append(
        {
            "messages": [
                {"role": "user", "content": "Hi"},
                {"role": "user", "content": "Hello?"},
                {"role": "assistant", "content": "Yes."},
            ]
        }
    )
    rows.append(
        {
            "messages": [
                {"role": "user", "content": "Why?"},
                {
                    "role": "assistant",
                    "content": "Because.",
                    "thinking": "The user asks why.",
                },
            ]
        }
    )
    return b"".join(json.dumps(r).encode() + b"\n" for r in rows)


def _codes(tab: ValidatorTab) -> set[tuple[int | None, str]]:
    return {(f.line, f.code) for f in tab.findings.findings()}


def test_choosing_a_target_adds_its_rules_and_drops_what_it_accepts(
    qtbot: QtBot,
) -> None:
    doc = Document(DatasetStore.from_bytes(_rows()))
    tab = ValidatorTab()
    qtbot.addWidget(tab)
    tab.set_document(doc)
    with qtbot.waitSignal(doc.report_changed, timeout=30_000):
        doc.revalidate()
    assert (12, "message_unrecognized_key") in _codes(tab)  # OpenAI refuses "thinking"
    assert not any(code.startswith("together.") for _, code in _codes(tab))

    with qtbot.waitSignal(tab.target.findings_ready, timeout=30_000):
        tab.target.combo.setCurrentIndex(tab.target.combo.findData("together"))
    assert (11, "together.roles-alternate") in _codes(tab)
    assert (
        "Together AI docs" in tab.target.combo.toolTip()
    )  # each rule names its source

    with qtbot.waitSignal(tab.target.findings_ready, timeout=30_000):
        tab.target.combo.setCurrentIndex(tab.target.combo.findData("gpt-oss"))
    assert (12, "message_unrecognized_key") not in _codes(tab)  # gpt-oss reads it

    with qtbot.waitSignal(tab.target.findings_ready, timeout=30_000):
        tab.target.combo.setCurrentIndex(tab.target.combo.findData("openai"))
    assert (12, "message_unrecognized_key") in _codes(tab)
    tab.set_document(None)
    doc.close()
