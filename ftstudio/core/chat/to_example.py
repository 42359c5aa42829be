"""Turn a playground conversation into a training example in OpenAI's exact formats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ftstudio.core.errors import ErrorKind, FtError

if TYPE_CHECKING:
    from ftstudio.core.chat.conversation import Conversation


def chat_example(conversation: Conversation, side: int = 0) -> dict[str, Any]:
    """Return ``{"messages": [...]}`` with model ``side``'s replies (as edited).

    Raises
    ------
    FtError
        When the conversation has no reply yet to learn from.
    """
    messages = conversation.messages(side, pending=False)
    if not messages or messages[-1]["role"] != "assistant":
        raise FtError(
            ErrorKind.INPUT,
            "There is no reply to add yet: send a message and wait for the answer first.",
        )
    return {"messages": messages}


def preference_example(conversation: Conversation, chosen: int) -> dict[str, Any]:
    """Return a preference (DPO) example: reply ``chosen`` preferred, the other rejected.

    The input is the conversation up to the last user message, with the chosen
    model's earlier replies (the history the preferred answer followed).

    Raises
    ------
    FtError
        When there are not two different replies to the last message.
    """
    if not conversation.compare or chosen not in (0, 1):
        raise FtError(
            ErrorKind.INPUT,
            "A preference example needs two models compared side by side.",
        )
    if not conversation.turns:
        raise FtError(
            ErrorKind.INPUT,
            "There is no reply to add yet: send a message to both models first.",
        )
    replies = conversation.turns[-1].replies
    if len(replies) < 2 or not replies[0].strip() or not replies[1].strip():
        raise FtError(
            ErrorKind.INPUT,
            "Both models must have answered the last message before it can become a preference example.",
        )
    preferred, rejected = replies[chosen], replies[1 - chosen]
    if preferred == rejected:
        raise FtError(
            ErrorKind.INPUT,
            "The two replies are the same, so there is nothing to prefer: edit one or ask again.",
        )
    history = conversation.messages(chosen, pending=True)[:-1]  # drop its last reply
    return {
        "input": {"messages": history},
        "preferred_output": [{"role": "assistant", "content": preferred}],
        "non_preferred_output": [{"role": "assistant", "content": rejected}],
    }
