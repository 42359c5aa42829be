"""Stream one model's reply into its panel on a worker thread (tokens arrive in batches)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from ftstudio.core.chat.stream import Delta, Reply, stream_chat
from ftstudio.gui.playground.side import usage_text
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    import openai

    from ftstudio.core.chat.stream import ChatSettings
    from ftstudio.core.errors import FtError
    from ftstudio.core.progress import Notice
    from ftstudio.gui.playground.side import SidePanel


class ReplyStream(QObject):
    """Runs :func:`stream_chat` for one side and writes what arrives into its panel.

    The worker batches deltas (at most one GUI update every 50 ms), so a fast
    model does not flood the event loop with one signal per token.
    """

    ended = Signal(int, str)
    """Side ``int``'s reply ended (done, stopped or failed) with this text."""
    notice = Signal(str)
    """A line for the status area (a retry, a stop)."""
    failed = Signal(object)
    """The reply failed with this :class:`FtError`."""

    def __init__(self, panel: SidePanel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.panel = panel
        self.side = panel.side
        self.runner = TaskRunner(self)
        self._text: list[str] = []
        self._running = False
        self.last_reply: Reply | None = None

    @property
    def running(self) -> bool:
        """Whether a reply is streaming (False as soon as ``ended`` is emitted)."""
        return self._running

    def start(
        self,
        client: openai.OpenAI,
        model: str,
        messages: list[dict[str, Any]],
        settings: ChatSettings,
    ) -> None:
        """Ask ``model`` for its reply to ``messages`` and stream it into the panel."""
        self._text = []
        self.last_reply = None
        self.panel.begin_reply()
        self._running = True
        fn = partial(stream_chat, client, model, messages, settings, side=self.side)
        task = self.runner.start(fn, f"Asking {model}")
        task.partial.connect(self._on_partial)
        task.noticed.connect(self._on_noticed)
        task.succeeded.connect(self._on_succeeded)
        task.failed.connect(self._on_failed)
        task.cancelled.connect(self._on_cancelled)
        task.start()

    def stop(self) -> None:
        """Stop the reply now; what arrived so far is kept.

        The panel is free at once, even while the service has not answered at
        all: the request is dropped and ends in the background (the stream is
        shut as soon as it opens, or the request times out).
        """
        if not self._running:
            return
        self.runner.discard()
        self._on_cancelled()

    def shutdown(self) -> bool:
        """Stop and wait for the worker thread (the tab is closing)."""
        ended = self.runner.shutdown()
        if self._running:  # its signals are dropped now: end the reply here
            self._running = False
            self.panel.end_reply("Stopped.")
            self.ended.emit(self.side, "".join(self._text))
        return ended

    @Slot(list)
    def _on_partial(self, items: list[Delta]) -> None:
        text = "".join(item.text for item in items)
        if text:
            self._text.append(text)
            self.panel.append(text)

    @Slot(object)
    def _on_noticed(self, notice: Notice) -> None:
        self.notice.emit(notice.text)

    @Slot(object)
    def _on_succeeded(self, reply: Reply) -> None:
        self.last_reply = reply
        note = usage_text(reply.usage)
        if reply.finish_reason == "length":
            note += " · cut off at the token limit"
        self.panel.end_reply(note)
        self._running = False
        self.ended.emit(self.side, reply.text)

    @Slot(object)
    def _on_failed(self, error: FtError) -> None:
        self.panel.end_reply("The reply failed.")
        self._running = False
        self.failed.emit(error)
        self.ended.emit(self.side, "".join(self._text))

    @Slot()
    def _on_cancelled(self) -> None:
        self.panel.end_reply("Stopped: the reply is cut short where you stopped it.")
        self._running = False
        self.ended.emit(self.side, "".join(self._text))
