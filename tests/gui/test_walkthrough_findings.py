"""The findings list holds still under the mouse: a double-click opens what it hit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt

from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.validation.findings import Finding, Severity
from ftstudio.gui.document import Document
from ftstudio.gui.validator import ValidatorTab
from ftstudio.gui.validator.findings_model import ROW_ROLE
from tests.gui.report_fakes import FakeValidator

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

LONG = (
    "The assistant's reply is empty, so there is nothing for the model to learn "
    "from in this example; write the reply or untick its training box. "
)


def test_first_click_in_a_scrolled_list_neither_shrinks_it_nor_moves_the_rows(
    qtbot: QtBot,
) -> None:
    findings = tuple(
        Finding(line, "missing_content", Severity.ERROR, LONG * 2)
        for line in range(1, 201)
    )
    fake = FakeValidator(examples=200, findings=findings, tokens=[5], messages=[2])
    doc = Document(DatasetStore.from_bytes(b"{}\n" * 200), validator=fake)
    with qtbot.waitSignal(doc.report_changed, timeout=20_000):
        doc.revalidate()
    tab = ValidatorTab()
    qtbot.addWidget(tab)
    tab.set_document(doc)
    tab.resize(700, 700)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.wait(50)  # the layout settles
    table = tab.table
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum() // 2)
    height = table.height()
    point = QPoint(40, table.viewport().height() // 2)
    aimed = table.indexAt(point).data(ROW_ROLE)
    viewport, left = table.viewport(), Qt.MouseButton.LeftButton
    with qtbot.waitSignal(tab.jump_requested) as jumped:
        qtbot.mouseClick(viewport, left, pos=point)
        qtbot.wait(50)  # the layout settles as it would between two clicks
        assert tab.detail.text()  # the chosen finding is shown in full…
        assert table.height() == height  # …without taking room from the list
        qtbot.mouseDClick(viewport, left, pos=point)
    assert jumped.args == [aimed]
    tab.close()
    doc.close()
