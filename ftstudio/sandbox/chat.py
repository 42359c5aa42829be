"""Chat answers: a fine-tuned model replies like its training data, a base model plainly."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ftstudio.core.models import default_table
from ftstudio.core.tokens.encodings import get_encoding
from ftstudio.sandbox.errors import ApiError, bad_request
from ftstudio.sandbox.grading import grade_reply
from ftstudio.sandbox.state import new_id
from ftstudio.sandbox.training import Pair, content_text, words

_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})


@dataclass(frozen=True)
class ChatRequest:
    """A checked chat-completion request."""

    model: str
    messages: list[dict[str, Any]]
    stream: bool
    include_usage: bool
    max_tokens: int | None
    n: int
    temperature: float = 1.0
    top_p: float = 1.0
    seed: int | None = None


def parse_chat_request(body: Any) -> ChatRequest:
    """Check the body of ``POST /chat/completions``; raise a 400 :class:`ApiError`."""
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise bad_request("Missing required parameter: 'model'.", param="model")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise bad_request("Missing required parameter: 'messages'.", param="messages")
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or m.get("role") not in _ROLES:
            raise bad_request(
                f"Invalid value for 'messages[{i}].role'.", param=f"messages[{i}].role"
            )
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, int) or limit < 1
    ):
        raise bad_request(
            "Invalid 'max_completion_tokens': a positive integer.",
            param="max_completion_tokens",
        )
    n = body.get("n") or 1
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 8:
        raise bad_request("Invalid 'n': an integer from 1 to 8.", param="n")
    options = body.get("stream_options") or {}
    sampling = {}
    for key, low, high in (("temperature", 0.0, 2.0), ("top_p", 0.0, 1.0)):
        value = body.get(key)
        if value is None:
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            raise bad_request(
                f"Invalid '{key}': a number from {low:g} to {high:g}.", param=key
            )
        sampling[key] = float(value)
    seed = body.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise bad_request("Invalid 'seed': an integer.", param="seed")
    return ChatRequest(
        model=model,
        messages=messages,
        stream=bool(body.get("stream")),
        include_usage=bool(isinstance(options, dict) and options.get("include_usage")),
        max_tokens=limit,
        n=n,
        seed=seed,
        **sampling,
    )


def _last_user(messages: list[dict[str, Any]]) -> str:
    for m in reversed(messages):
        if m.get("role") == "user":
            return content_text(m.get("content"))
    return ""


def most_similar(pairs: tuple[Pair, ...], question: str) -> Pair:
    """Return the training example whose prompt shares most words with ``question``.

    Jaccard overlap of word sets; ties go to the earlier example.
    """
    asked = words(question)
    best, best_score = pairs[0], -1.0
    for pair in pairs:
        union = len(asked | pair.prompt_words) or 1
        score = len(asked & pair.prompt_words) / union
        if score > best_score:
            best, best_score = pair, score
    return best


def base_reply(model: str, question: str) -> str:
    """Return the plain answer of a base (not fine-tuned) sandbox model."""
    said = " ".join(question.split()[:12])
    if not said:
        return f"Hello. I am {model} in the offline sandbox. How can I help?"
    return (
        f'You wrote: "{said}{"…" if len(question.split()) > 12 else ""}". '
        f"I am the plain base model {model} in the offline sandbox, so I have not "
        "learned any special style; a fine-tuned model answers in the style of its "
        "training examples."
    )


class Reply:
    """One chat answer, produced piece by piece, with its token accounting.

    Subclasses produce the text of each choice in :meth:`produce`; this class
    keeps what was produced and writes OpenAI's objects from it.
    """

    #: seconds to wait between streamed pieces (the simulated model's pace)
    delay = 0.0

    def __init__(self, model: str, req: ChatRequest, prompt_tokens: int) -> None:
        self.model = model
        self.req = req
        self.n = req.n
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = 0
        self.texts = [""] * req.n
        self.finish = ["stop"] * req.n
        self.id = new_id("chatcmpl-", 29)
        self.created = int(time.time())

    def produce(self, index: int) -> Iterator[str]:
        """Yield the text pieces of choice ``index`` (subclasses)."""
        raise NotImplementedError

    def pieces(self, index: int) -> Iterator[str]:
        """Yield choice ``index`` piece by piece, keeping its text."""
        for piece in self.produce(index):
            self.texts[index] += piece
            yield piece

    def stop(self) -> None:
        """Stop producing (the client went away); subclasses that generate stop here."""

    def finish_reason(self, index: int) -> str:
        """Return why choice ``index`` stopped (once it has)."""
        return self.finish[index]

    def usage(self) -> dict[str, int]:
        """Return the ``usage`` object (all choices count)."""
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
        }

    def completion(self) -> dict[str, Any]:
        """Produce every choice and return the non-streamed ``chat.completion``."""
        for i in range(self.n):
            for _ in self.pieces(i):
                pass
        return {
            "id": self.id,
            "object": "chat.completion",
            "created": self.created,
            "model": self.model,
            "system_fingerprint": "fp_ftstudio",
            "choices": [
                {
                    "index": i,
                    "message": {
                        "role": "assistant",
                        "content": self.texts[i],
                        "refusal": None,
                    },
                    "logprobs": None,
                    "finish_reason": self.finish[i],
                }
                for i in range(self.n)
            ],
            "usage": self.usage(),
        }

    def chunk(
        self, index: int, delta: dict[str, Any], finish: str | None
    ) -> dict[str, Any]:
        """Return one ``chat.completion.chunk``."""
        return {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "system_fingerprint": "fp_ftstudio",
            "choices": [
                {
                    "index": index,
                    "delta": delta,
                    "logprobs": None,
                    "finish_reason": finish,
                }
            ],
        }


class Answer(Reply):
    """A simulated reply: a known text, handed out one token at a time."""

    def __init__(self, model: str, req: ChatRequest, reply: str) -> None:
        enc = get_encoding(default_table().lookup(model).encoding)
        # 3 tokens per message plus 3 to prime the reply (OpenAI's cookbook rule).
        prompt_tokens = 3 + sum(
            3 + len(enc.encode_ordinary(content_text(m.get("content"))))
            for m in req.messages
        )
        super().__init__(model, req, prompt_tokens)
        tokens = enc.encode_ordinary(reply)
        finish = "stop"
        if req.max_tokens is not None and len(tokens) > req.max_tokens:
            tokens = tokens[: req.max_tokens]
            finish = "length"
        self._pieces = [enc.decode([t]) for t in tokens]
        self.finish = [finish] * self.n
        self.completion_tokens = len(tokens) * self.n

    def produce(self, index: int) -> Iterator[str]:
        """Yield the known reply's tokens."""
        yield from self._pieces


def answer_text(model: str, req: ChatRequest, pairs: tuple[Pair, ...] | None) -> str:
    """Return the reply text: from the training data if ``pairs``, else plain."""
    graded = grade_reply(req.messages)  # the judge of issue 12
    if graded is not None:
        return graded
    question = _last_user(req.messages)
    if pairs:
        return most_similar(pairs, question).reply
    return base_reply(model, question)


def model_not_found(model: str) -> ApiError:
    """Return the 404 OpenAI answers for an unknown model."""
    return ApiError(
        404,
        f"The model `{model}` does not exist or you do not have access to it.",
        param="model",
        code="model_not_found",
    )
