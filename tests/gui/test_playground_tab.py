"""The Playground tab against a real sandbox through the SDK: chat, stop, compare, add, evaluate."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openai
import pytest

from ftstudio.core.dataset.parse import parse_line
from ftstudio.core.models import DEFAULT_MODEL
from ftstudio.core.secrets import SecretStore
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.playground import PlaygroundTab
from ftstudio.sandbox.faults import FaultConfig
from ftstudio.sandbox.server import SandboxServer
from ftstudio.workers import live_tasks
from tests.core.chat_sandbox import BASE, KEY, train_model
from tests.gui.notices import NoticesShown
from tests.keyrings import MemoryKeyring

ASK = "Tell me about topic number 3 please"
PREFERENCE_ROW = {
    "input": {"messages": [{"role": "user", "content": "Hi"}]},
    "preferred_output": [{"role": "assistant", "content": "Hello!"}],
    "non_preferred_output": [{"role": "assistant", "content": "What."}],
}
PIRATE = "Arr, 3 it be, matey!"
SHOTS = (
    Path(os.environ.get("FTSTUDIO_SHOTS", ""))
    if os.environ.get("FTSTUDIO_SHOTS")
    else None
)


def connect(qtbot: Any, server: SandboxServer) -> Iterator[ConnectionManager]:
    mgr = ConnectionManager(SecretStore(MemoryKeyring()))
    mgr.use_endpoint(server.base_url, KEY)
    yield mgr
    mgr.shutdown()


@contextmanager
def tab_on_own_service(
    qtbot: Any, folder: Path, **options: Any
) -> Iterator[tuple[SandboxServer, ConnectionManager, PlaygroundTab]]:
    """A Playground tab on a sandbox of its own (slow or silent), all shut after."""
    service = SandboxServer(folder, api_key=KEY, **options)
    service.start()
    gen = connect(qtbot, service)
    manager = next(gen)
    tab = PlaygroundTab(manager)
    qtbot.addWidget(tab)
    try:
        yield service, manager, tab
    finally:
        tab.shutdown()
        next(gen, None)
        service.stop()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    # 50 ms before each answer: an evaluation can be cancelled half-way
    srv = SandboxServer(
        tmp_path / "sandbox", api_key=KEY, speed=60.0, faults=FaultConfig(latency=0.05)
    )
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def tuned(server: SandboxServer, tmp_path: Path) -> str:
    with openai.OpenAI(base_url=server.base_url, api_key=KEY, max_retries=0) as c:
        return train_model(c, tmp_path)


@pytest.fixture
def tab(qtbot: Any, server: SandboxServer) -> Iterator[PlaygroundTab]:
    gen = connect(qtbot, server)
    mgr = next(gen)
    widget = PlaygroundTab(mgr)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    yield widget
    widget.shutdown()
    next(gen, None)


def send(qtbot: Any, tab: PlaygroundTab, text: str) -> None:
    tab.chat.message.setPlainText(text)
    tab.chat.send_button.click()
    qtbot.waitUntil(lambda: not tab.chat.busy, timeout=15_000)


def shot(widget: Any, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / f"{name}.png"))


def test_models_listed_with_fine_tuned_and_checkpoints(
    qtbot: Any, tab: PlaygroundTab, tuned: str
) -> None:
    tab.show()  # the first show lists the models
    picker = tab.chat.panels[0].picker
    qtbot.waitUntil(lambda: picker.findText(tuned) >= 0, timeout=10_000)
    names = [picker.itemText(i) for i in range(picker.count())]
    assert "Base models" in names
    assert BASE in names
    assert "Checkpoints" in names
    assert any(
        n.startswith(tuned.rsplit(":", 1)[0]) and ":ckpt-step-" in n for n in names
    )
    header = picker.model().item(names.index("Checkpoints"))
    assert not header.isEnabled()  # a group title cannot be chosen
    assert "models available" in tab.status.text()


def test_multi_turn_chat_streams_and_shows_usage(
    qtbot: Any, tab: PlaygroundTab, tuned: str
) -> None:
    tab.set_model(tuned)
    send(qtbot, tab, ASK)
    panel = tab.chat.panels[0]
    assert panel.reply_text == PIRATE
    assert panel.usage.text().startswith("Tokens: ")
    send(qtbot, tab, "Tell me about topic number 8 please")
    assert panel.reply_text == "Arr, 8 it be, matey!"
    assert PIRATE in panel.transcript.toPlainText()  # the first turn moved up
    assert [m["role"] for m in tab.chat.conversation.messages(0)] == [
        "user",
        "assistant",
        "user",
        "assistant",
    ]
    shot(tab, "playground_chat")


def test_streaming_reply_stopped_mid_way(qtbot: Any, tmp_path: Path) -> None:
    # a slow sandbox: about 60 ms a token
    with tab_on_own_service(qtbot, tmp_path / "slow", speed=0.5) as (slow, _, tab):
        panel = tab.chat.panels[0]
        tab.chat.message.setPlainText("Please tell me a long story about the sea")
        tab.chat.send_button.click()
        assert tab.chat.stop_button.isEnabled()
        assert not tab.chat.send_button.isEnabled()
        qtbot.waitUntil(lambda: len(panel.reply_text) > 10, timeout=10_000)
        tab.chat.stop_button.click()
        qtbot.waitUntil(lambda: not tab.chat.busy, timeout=2_000)
        shown = panel.reply_text
        assert shown.startswith("You wrote: ")
        assert len(shown) < 120  # the whole reply is much longer
        assert "Stopped" in panel.usage.text()
        assert tab.chat.conversation.turns[-1].replies == [shown]  # kept as shown
        assert tab.chat.send_button.isEnabled()
        assert not panel.reply.isReadOnly()  # it can be edited now
        qtbot.waitUntil(lambda: slow.sandbox.streams_aborted == 1, timeout=3_000)


def test_stop_frees_the_chat_at_once_while_the_service_is_silent(
    qtbot: Any, tmp_path: Path
) -> None:
    # the service takes 2 s before it answers anything at all
    silent = FaultConfig(latency=2.0)
    with tab_on_own_service(qtbot, tmp_path / "silent", faults=silent) as (_, _, tab):
        panel = tab.chat.panels[0]
        tab.chat.message.setPlainText("Hello?")
        tab.chat.send_button.click()
        assert tab.chat.busy
        qtbot.wait(300)  # the request is out; no byte has come back
        tab.chat.stop_button.click()
        assert not tab.chat.busy  # at once, not when the service answers
        assert tab.chat.send_button.isEnabled()
        assert "Stopped" in panel.usage.text()
        assert tab.chat.conversation.turns[-1].replies == [""]
        # the late answer changes nothing; the dropped request ends by itself
        qtbot.waitUntil(lambda: not live_tasks(), timeout=10_000)
        assert panel.reply_text == ""
        assert "Stopped" in panel.usage.text()


def test_switching_service_mid_reply_keeps_the_conversation_whole(
    qtbot: Any, tmp_path: Path
) -> None:
    with tab_on_own_service(qtbot, tmp_path / "slow", speed=0.5) as (slow, mgr, tab):
        panel = tab.chat.panels[0]
        tab.chat.message.setPlainText("Tell me a long story")
        tab.chat.send_button.click()
        qtbot.waitUntil(lambda: len(panel.reply_text) > 5, timeout=10_000)
        mgr.use_endpoint(slow.base_url, KEY)  # e.g. the user picked another key
        assert not tab.chat.busy
        assert tab.chat.send_button.isEnabled()
        assert tab.chat.conversation.turns[-1].replies == [panel.reply_text]


def test_compare_mode_streams_both_and_adds_undoable_examples(
    qtbot: Any, tab: PlaygroundTab, tuned: str, make_doc: Any
) -> None:
    # a preference dataset takes the preferred reply as it is (a chat dataset
    # asks first: tests/gui/test_prefer_reply.py)
    doc = make_doc([PREFERENCE_ROW])
    rows = len(doc.store)
    tab.set_document(doc)
    chat = tab.chat
    chat.set_compare(True)
    assert chat.panels[1].isVisibleTo(tab)
    chat.set_model(BASE, 0)
    chat.set_model(tuned, 1)
    chat.message.setPlainText(ASK)
    chat.send_button.click()
    assert chat.streams[0].running
    assert chat.streams[1].running  # both at once
    qtbot.waitUntil(lambda: not chat.busy, timeout=15_000)
    base_reply = chat.panels[0].reply_text
    assert base_reply.startswith("You wrote: ")
    assert chat.panels[1].reply_text == PIRATE
    shot(tab, "playground_compare")

    chat.panels[1].prefer_button.click()
    assert len(doc.store) == rows + 1
    added = parse_line(doc.store.raw(rows)).value
    assert added["preferred_output"] == [{"role": "assistant", "content": PIRATE}]
    assert added["non_preferred_output"] == [
        {"role": "assistant", "content": base_reply}
    ]
    assert added["input"]["messages"] == [{"role": "user", "content": ASK}]
    doc.undo_stack.undo()
    assert len(doc.store) == rows

    # the user edits model A's reply, then adds it to a chat dataset
    doc = make_doc()
    rows = len(doc.store)
    tab.set_document(doc)
    chat.panels[0].reply.setPlainText("Topic 3 is about ships.")
    chat.panels[0].add_button.click()
    added = parse_line(doc.store.raw(rows)).value
    assert added == {
        "messages": [
            {"role": "user", "content": ASK},
            {"role": "assistant", "content": "Topic 3 is about ships."},
        ]
    }
    assert "Undo" in tab.status.text()
    doc.undo_stack.undo()
    assert len(doc.store) == rows


def test_add_without_a_dataset_says_what_to_do(qtbot: Any, tab: PlaygroundTab) -> None:
    send(qtbot, tab, "Hello")
    assert not tab.chat.panels[0].add_button.isEnabled()
    tab.chat.add_chat_example(0)
    assert tab.banner.isVisibleTo(tab)
    assert "Open or create a dataset first" in tab.banner.message.text()


def test_conversation_saved_and_reopened(
    qtbot: Any, tab: PlaygroundTab, tmp_path: Path
) -> None:
    chat = tab.chat
    chat.system.setPlainText("Be brief.")
    chat.knobs.temperature.setValue(0.3)
    chat.knobs.max_tokens.setValue(50)
    send(qtbot, tab, "Hello there")
    reply = chat.panels[0].reply_text
    path = tmp_path / "chat.json"
    chat.save_conversation(path)
    chat.new_conversation()
    chat.system.clear()
    assert chat.panels[0].reply_text == ""
    chat.open_conversation(path)
    assert chat.system.toPlainText() == "Be brief."
    assert chat.knobs.temperature.value() == pytest.approx(0.3)
    assert chat.knobs.max_tokens.value() == 50
    assert chat.panels[0].reply_text == reply
    assert "Hello there" in chat.panels[0].transcript.toPlainText()
    assert json.loads(path.read_text())["models"] == [DEFAULT_MODEL]  # the one asked


def test_evaluation_needs_a_test_file(
    qtbot: Any, tab: PlaygroundTab, tmp_path: Path
) -> None:
    tab.evaluation.run()
    assert "Choose a test file first" in tab.banner.message.text()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": 1}\n', encoding="utf-8")
    with pytest.raises(Exception, match="not a test example"):
        tab.evaluation.set_test_file(bad)


def test_a_busy_service_is_said_while_the_reply_waits_then_cleared(
    qtbot: Any, tmp_path: Path
) -> None:
    # the first chat requests are answered 429 (seeded): the reply is retried
    busy = FaultConfig(rate_limit=0.6, retry_after=0.05, seed=1)
    with tab_on_own_service(qtbot, tmp_path / "busy", faults=busy) as (_, _, tab):
        notices = NoticesShown(tab.status.text)
        tab.chat.message.setPlainText(ASK)
        tab.chat.send_button.click()
        notices.follow(tab.chat.streams[0].runner.current)
        qtbot.waitUntil(lambda: not tab.chat.busy, timeout=15_000)
        notices.assert_each_was_shown()  # "The service is busy… Trying again…"
        assert tab.chat.panels[0].reply_text.startswith("You wrote: ")
        assert tab.status.text() == "Ready."  # the retry line went with the wait
