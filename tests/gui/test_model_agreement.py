"""Issue 15, problems 5 and 6: one model for Validator, Cost and Launch; no stale errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt

from ftstudio.core.models import default_table
from ftstudio.gui.launcher.tab import LauncherTab
from tests.gui.api_fixtures import (  # noqa: F401 - fixtures
    KEY,
    chat_rows,
    manager_fixture,
    sandbox_fixture,
    write_jsonl,
)
from tests.gui.test_walkthrough_launch import launch_refused

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from ftstudio.gui.connection import ConnectionManager
    from ftstudio.sandbox.server import SandboxServer

PICKED = "gpt-4o-mini-2024-07-18"


@pytest.fixture
def tab(qtbot: Any, manager: ConnectionManager) -> Iterator[LauncherTab]:
    widget = LauncherTab(manager)
    qtbot.addWidget(widget)
    widget.ask = lambda _title, _text: False
    yield widget
    widget.shutdown()


def _type_model(qtbot: Any, tab: LauncherTab, name: str) -> None:
    line = tab.picker.combo.lineEdit()
    assert line is not None
    line.selectAll()
    qtbot.keyClicks(line, name)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def test_a_model_picked_in_launch_is_the_one_cost_and_validator_show(
    qtbot: Any, tab: LauncherTab, make_doc: Any, tmp_path: Path
) -> None:
    from ftstudio.gui.cost import CostTab
    from ftstudio.gui.validator.tab import ValidatorTab

    doc = make_doc(path=write_jsonl(tmp_path / "train.jsonl", chat_rows(40)))
    cost, validator = CostTab(), ValidatorTab()
    for widget in (cost, validator):
        qtbot.addWidget(widget)
        widget.set_document(doc)
    tab.set_document(doc)
    assert doc.model != PICKED
    _type_model(qtbot, tab, PICKED)
    assert doc.model == PICKED  # the dataset's model, not Launch's own
    assert cost.model_picker.chosen_model == PICKED
    assert validator.model_picker.chosen_model == PICKED
    qtbot.waitUntil(
        lambda: doc.report is not None and doc.report.model == PICKED, timeout=20_000
    )
    tab.start_check()
    qtbot.waitUntil(lambda: tab._check is not None, timeout=20_000)
    check = tab._check
    assert check is not None
    assert check.inputs.model == PICKED
    estimate = cost.current_estimate()
    assert estimate is not None
    price = default_table().lookup(PICKED).price_per_1m
    assert cost.price.value() == price == check.report.cost.price_per_1m
    # the same epochs and the same price, so the same dollars in both tabs
    assert tab.hyper.rows["n_epochs"].spin.value() == estimate.epochs
    launch_cost = check.cost(tab.hyper.epochs())
    assert launch_cost.epochs == estimate.epochs
    assert launch_cost.billing_tokens == estimate.billing_tokens
    assert f"${estimate.usd:,.2f}" in tab.cost.text()


def test_epochs_chosen_in_launch_go_back_to_auto_for_the_next_file(
    tab: LauncherTab, make_doc: Any, tmp_path: Path
) -> None:
    first = make_doc(path=write_jsonl(tmp_path / "a.jsonl", chat_rows(20)))
    tab.set_document(first)
    epochs = tab.hyper.rows["n_epochs"]
    epochs.set_value(2)
    assert tab.hyper.epochs() == 2
    tab.set_document(make_doc(path=write_jsonl(tmp_path / "b.jsonl", chat_rows(30))))
    assert epochs.value() == "auto"
    assert tab.hyper.epochs() is None


def test_cannot_reach_goes_once_the_new_service_lists_its_models(
    qtbot: Any, tab: LauncherTab, manager: ConnectionManager, sandbox: SandboxServer
) -> None:
    # the real OpenAI URL out of reach, then the practice sandbox
    manager.use_endpoint("http://127.0.0.1:9/v1", KEY)
    with qtbot.waitSignal(tab.picker.load_failed, timeout=60_000):
        tab.load_models()
    assert tab.banner.isVisibleTo(tab)
    assert "Cannot reach" in tab.banner.message.text()
    manager.use_endpoint(sandbox.base_url, KEY)
    assert not tab.banner.isVisibleTo(tab)  # said of the last service, not this one
    with qtbot.waitSignal(tab.picker.loaded, timeout=20_000):
        tab.load_models()
    assert not tab.banner.isVisibleTo(tab)


def test_a_listing_error_goes_when_the_listing_works_again(
    qtbot: Any, tab: LauncherTab
) -> None:
    from ftstudio.core.errors import FtError

    tab.picker.load_failed.emit(FtError("network", "Cannot reach the service."))
    assert tab.banner.isVisibleTo(tab)
    with qtbot.waitSignal(tab.picker.loaded, timeout=20_000):
        tab.load_models()
    assert not tab.banner.isVisibleTo(tab)


def test_nothing_uploaded_goes_when_the_file_changes(
    qtbot: Any, tab: LauncherTab, tmp_path: Path
) -> None:
    rows = launch_refused(qtbot, tab, tmp_path)
    # another file: the problems above are being checked again, not yet found
    tab.files.set_training_file(write_jsonl(tmp_path / "other.jsonl", rows))
    assert "Nothing was uploaded" not in tab.status.text()
