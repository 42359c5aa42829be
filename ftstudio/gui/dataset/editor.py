"""The example editor beside the table: a form for whichever format the line is in."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.dataset.formats import Format, detect_format
from ftstudio.core.dataset.parse import LineKind, parse_line
from ftstudio.gui.dataset.cards import MessageCard
from ftstudio.gui.dataset.fields import JsonField, TextField
from ftstudio.gui.dataset.hidden import hidden_parts, without
from ftstudio.gui.dataset.hidden_box import HiddenBox
from ftstudio.gui.dataset.keys import add_keys
from ftstudio.gui.icons import icon

if TYPE_CHECKING:
    from ftstudio.gui.document import Document

EMPTY_TEXT = "Select an example in the table to read and edit it here."


class ExampleEditor(QScrollArea):
    """Edits one example; every change goes through the document's undo stack.

    The editor keeps a private copy of the example. A change updates the copy and
    pushes it as one edit; typing in one field merges into one undo step. When
    the line changes underneath (undo, a bulk action) the form is rebuilt.
    Building the form never changes the copy: an empty field shown for a part
    the example lacks is added to it only when the user types there.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName("Example editor")
        self._doc: Document | None = None
        self._row: int | None = None
        self._raw: bytes | None = None
        self._value: Any = None
        self._findings: QWidget | None = None
        self.json_mode = False
        self._build()
        add_keys(self)

    # public -------------------------------------------------------------------
    @property
    def row(self) -> int | None:
        """Return the store row being edited."""
        return self._row

    def set_document(self, doc: Document | None) -> None:
        """Edit examples of ``doc`` (None clears the editor)."""
        self._doc = doc
        self.show_row(None)

    def show_row(self, row: int | None) -> None:
        """Show example ``row`` (None shows a hint instead)."""
        doc = self._doc
        if doc is None or row is None or not 0 <= row < len(doc.store):
            self._row, self._raw = None, None
            self._build()
            return
        raw = doc.store.raw(row)
        if row == self._row and raw == self._raw:
            return
        self._row, self._raw = row, raw
        self._build()

    def refresh(self) -> None:
        """Rebuild the form if the edited line changed other than through it."""
        doc, row = self._doc, self._row
        if doc is None or row is None or row >= len(doc.store):
            self.show_row(None)
            return
        raw = doc.store.raw(row)
        if raw == self._raw:
            return
        parsed = parse_line(raw)
        self._raw = raw
        if parsed.kind is LineKind.JSON and parsed.value == self._value:
            return  # our own edit coming back: keep the cursor where it is
        self._build()

    # building -----------------------------------------------------------------
    def _build(self) -> None:
        self._findings = None
        body = QWidget()
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(4, 4, 4, 4)  # room for the buttons at 1024 px
        self._layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        if self._raw is None:
            self._value = None
            hint = QLabel(EMPTY_TEXT)
            hint.setWordWrap(True)
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._layout.addWidget(hint)
        else:
            self._build_line(self._raw)
        self._layout.addStretch(1)  # keep the cards at the top, at their size
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(body)

    def _title(self, text: str) -> None:
        label = QLabel(f"<b>{text}</b>")
        self._layout.addWidget(label)

    def _build_line(self, raw: bytes) -> None:
        assert self._row is not None
        parsed = parse_line(raw)
        is_object = parsed.kind is LineKind.JSON and isinstance(parsed.value, dict)
        self._header(f"Example on line {self._row + 1:,}", with_json=is_object)
        if not is_object:
            self._value = None
            self._build_raw(raw)
        else:
            self._value = copy.deepcopy(parsed.value)
            self._build_value()
        # Below the form, not above it: a finding that appears while the user
        # types would otherwise push the card being typed in down the page.
        self._add_findings()

    def _build_value(self) -> None:
        if self.json_mode:
            self._build_json()
            return
        hidden = hidden_parts(self._value)
        if hidden:
            box = HiddenBox(hidden)
            box.remove_requested.connect(self._remove_hidden)
            box.json_requested.connect(self.json_toggle.toggle)
            self._layout.addWidget(box)
        fmt = detect_format(self._value)
        if fmt is Format.COMPLETION:
            self._build_completion()
        elif fmt is Format.PREFERENCE:
            self._build_preference()
        else:
            self._build_chat()

    def _header(self, text: str, *, with_json: bool) -> None:
        row = QHBoxLayout()
        self._heading = QLabel(f"<b>{text}</b>")
        row.addWidget(self._heading, 1)
        self.json_toggle = QToolButton()
        self.json_toggle.setText("Edit as JSON")
        self.json_toggle.setCheckable(True)
        self.json_toggle.setChecked(self.json_mode)
        self.json_toggle.setToolTip(
            "Show the whole example as JSON, including fields the form has no box "
            "for (unknown keys, tool definitions). It is checked as you type."
        )
        self.json_toggle.setVisible(with_json)
        self.json_toggle.toggled.connect(self.set_json_mode)
        row.addWidget(self.json_toggle)
        self._layout.addLayout(row)

    @Slot(bool)
    def set_json_mode(self, on: bool) -> None:
        """Edit examples as JSON (True) or in the form (False); kept between rows."""
        if on != self.json_mode:
            self.json_mode = on
            self._build()

    def _build_json(self) -> None:
        field = JsonField(self._value, "Example as JSON")
        field.value_edited.connect(self._on_json_value)
        self._layout.addWidget(field)

    @Slot(object)
    def _on_json_value(self, value: Any) -> None:
        if not isinstance(value, dict):
            return  # a line must stay one JSON object; the Validator says so too
        self._value = value
        self._commit("json", typing=True)

    @Slot(object)
    def _remove_hidden(self, path: tuple[str | int, ...]) -> None:
        self._value = without(self._value, path)
        self._commit(None)
        self._build()

    def _add_findings(self) -> None:
        self._findings = QWidget()
        QVBoxLayout(self._findings).setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self._findings)
        self.update_findings()

    def update_findings(self) -> None:
        """Show what the validator found in the example now (after a new report)."""
        box, doc, row = self._findings, self._doc, self._row
        if box is None or doc is None or row is None or row >= len(doc.store):
            return
        layout = box.layout()
        assert layout is not None
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for finding in doc.validator.row_findings(row)[:8]:
            line = QWidget()
            row_layout = QHBoxLayout(line)
            row_layout.setContentsMargins(0, 0, 0, 0)
            badge = QLabel()
            badge.setPixmap(icon(finding.severity.value).pixmap(16, 16))
            badge.setAccessibleName(finding.severity.value)
            text = QLabel(finding.message)
            text.setWordWrap(True)
            row_layout.addWidget(badge, alignment=Qt.AlignmentFlag.AlignTop)
            row_layout.addWidget(text, 1)
            layout.addWidget(line)

    def _build_raw(self, raw: bytes) -> None:
        # the validator's finding above already says what is wrong
        note = QLabel("Edit the line's text below; the table updates as you type.")
        note.setWordWrap(True)
        self._layout.addWidget(note)
        field = TextField(raw.decode("utf-8", errors="replace"))
        field.setAccessibleName("Line text")
        field.text_edited.connect(self._on_raw_text)
        self._layout.addWidget(field)

    def _build_chat(self) -> None:
        messages = self._value.get("messages")
        self._add_cards(messages if isinstance(messages, list) else [], "messages")
        add = QPushButton(icon("add"), "Add message")
        add.setToolTip("Add a message at the end of the conversation")
        add.clicked.connect(self._on_add_message)
        self._layout.addWidget(add, alignment=Qt.AlignmentFlag.AlignLeft)
        for key, title in (("tools", "Tool definitions"), ("functions", "Functions")):
            if key in self._value:
                self._title(f"{title} (JSON)")
                field = JsonField(self._value[key], title)
                field.value_edited.connect(lambda v, k=key: self._set_key(k, v))
                self._layout.addWidget(field)

    def _add_cards(self, messages: list[Any], where: str) -> None:
        for i, message in enumerate(messages):
            if not isinstance(message, dict):
                continue
            card = MessageCard(message, i + 1)
            card.edited.connect(
                lambda field, i=i: self._commit(f"{where}:{i}:{field}", typing=True)
            )
            card.action.connect(
                lambda name, i=i: self._on_card_action(messages, i, name)
            )
            self._layout.addWidget(card)

    def _build_preference(self) -> None:
        value = self._value
        given = value.get("input")
        conversation = given.get("messages") if isinstance(given, dict) else None
        self._title("Conversation so far")
        self._add_cards(conversation if isinstance(conversation, list) else [], "input")
        grid = QGridLayout()
        for column, (key, title, tip) in enumerate(
            (
                (
                    "preferred_output",
                    "Preferred reply",
                    "The reply the model should prefer",
                ),
                (
                    "non_preferred_output",
                    "Rejected reply",
                    "A worse reply the model should avoid",
                ),
            )
        ):
            replies = value.get(key)
            reply = replies[0] if isinstance(replies, list) and replies else None
            shown = reply.get("content") if isinstance(reply, dict) else ""
            label = QLabel(f"<b>{title}</b>")
            label.setToolTip(tip)
            field = TextField(str(shown or ""))
            field.setAccessibleName(title)
            field.setToolTip(tip)
            field.text_edited.connect(lambda text, k=key: self._set_reply(k, text))
            grid.addWidget(label, 0, column)
            grid.addWidget(field, 1, column)
        self._layout.addLayout(grid)

    def _build_completion(self) -> None:
        for key, title in (("prompt", "Prompt"), ("completion", "Completion")):
            self._title(title)
            field = TextField(str(self._value.get(key) or ""))
            field.setAccessibleName(title)
            field.text_edited.connect(lambda text, k=key: self._set_key(k, text))
            self._layout.addWidget(field)

    # edits --------------------------------------------------------------------
    def _commit(self, field: str | None, typing: bool = False) -> None:
        doc, row = self._doc, self._row
        if doc is None or row is None:
            return
        from ftstudio.core.dataset.edits import set_value

        label = "Typing" if typing else "Edit example"
        edit = set_value(doc.store, row, copy.deepcopy(self._value), label)
        self._raw = doc.store.raw_for_key(edit.insert[0])
        doc.push(edit, merge_key=f"{row}:{field}" if typing and field else None)

    def _set_key(self, key: str, value: Any) -> None:
        self._value[key] = value
        self._commit(key, typing=True)

    def _set_reply(self, key: str, text: str) -> None:
        replies = self._value.get(key)
        if not (isinstance(replies, list) and replies and isinstance(replies[0], dict)):
            # the user typed a reply the example lacked: only now does it get one
            replies = self._value[key] = [{"role": "assistant", "content": ""}]
        replies[0]["content"] = text
        self._commit(key, typing=True)

    @Slot(str)
    def _on_raw_text(self, text: str) -> None:
        doc, row = self._doc, self._row
        if doc is None or row is None:
            return
        from ftstudio.core.dataset.edits import set_raw

        raw = " ".join(text.splitlines()).encode("utf-8")
        edit = set_raw(doc.store, row, raw)
        self._raw = raw
        doc.push(edit, merge_key=f"{row}:raw")
        if parse_line(raw).kind is LineKind.JSON:
            self._build()  # it parses now: show the proper form

    @Slot()
    def _on_add_message(self) -> None:
        messages = self._value.get("messages")
        if not isinstance(messages, list):
            messages = self._value["messages"] = []
        last = (
            messages[-1].get("role")
            if messages and isinstance(messages[-1], dict)
            else None
        )
        role = "assistant" if last == "user" else "user"
        messages.append({"role": role, "content": ""})
        self._commit(None)
        self._build()  # renumber the cards
        self.focus_message(len(messages) - 1)

    @Slot()
    def add_message(self) -> None:
        """Add a message to a chat example shown in the form, and type in it."""
        value = self._value
        if (
            value is not None
            and not self.json_mode
            and detect_format(value) is Format.CHAT
        ):
            self._on_add_message()

    def focus_message(self, index: int) -> None:
        """Put the cursor in message ``index``'s text, scrolled into view."""
        body = self.widget()
        cards = body.findChildren(MessageCard) if body is not None else []
        if 0 <= index < len(cards):
            field = cards[index].content
            target = field.editor if isinstance(field, JsonField) else field
            target.setFocus()
            self.ensureWidgetVisible(cards[index])

    def _on_card_action(self, messages: list[Any], i: int, name: str) -> None:
        if name == "delete":
            del messages[i]
        elif name == "duplicate":
            messages.insert(i + 1, copy.deepcopy(messages[i]))
        elif name == "up" and i > 0:
            messages[i - 1], messages[i] = messages[i], messages[i - 1]
        elif name == "down" and i + 1 < len(messages):
            messages[i + 1], messages[i] = messages[i], messages[i + 1]
        else:
            return
        self._commit(None)
        self._build()  # renumber the cards
