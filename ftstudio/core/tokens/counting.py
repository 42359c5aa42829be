"""Count the tokens of text and of whole training examples, offline.

Messages follow OpenAI's published counting recipe for chat (the cookbook's
"How to count tokens with tiktoken", ``num_tokens_from_messages``,
https://github.com/openai/openai-cookbook/blob/main/examples/How_to_count_tokens_with_tiktoken.ipynb):
every message costs 3 tokens plus the tokens of each of its string values
(role, content, name, tool_call_id…) and 1 more when it has a ``name``; the
reply costs 3. Content given as a list of parts counts its text and refusal
parts, and its images by OpenAI's image method (:mod:`.images`).

Tool and function definitions follow the same notebook's
``num_tokens_for_tools``: per function 7 tokens (10 with the cl100k_base
models gpt-3.5-turbo and gpt-4) plus ``name:description`` (one trailing full
stop dropped); when it has properties, 3 more, and per property 3 plus
``key:type:description`` and, for an enum, 3 per item plus the item's tokens
minus 3; 12 once at the end. The notebook ignores nested objects; ftstudio
adds their compact JSON. Tool calls in assistant messages have no published
method: ftstudio counts each call's name and arguments plus 3 tokens.

Every count that involves tools, tool calls, ``auto`` detail images or images
whose size is unknown offline is an *estimate* (OpenAI says its tool format may
change), and :class:`ExampleTokens` says so.

Preference examples count their input messages plus both outputs (each output
message priced like a chat message) and the reply overhead once: that is what
the model reads during preference training. Completion examples count
``prompt`` + ``completion``.

Text is counted as tiktoken's ``encode_ordinary`` counts it, so a literal
``<|endoftext|>`` in a dataset is counted as the text it is, never rejected;
the counting itself is done by :func:`.fastcount.ordinary_counter` (rs-bpe when
installed, the same counts at ~0.65x the CPU; tiktoken otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ftstudio.core.dataset.formats import Format
from ftstudio.core.models import ModelTable, default_table
from ftstudio.core.tokens.encodings import get_encoding
from ftstudio.core.tokens.fastcount import ordinary_counter
from ftstudio.core.tokens.images import image_tokens
from ftstudio.core.tokens.toolcount import ToolCounting

if TYPE_CHECKING:
    from collections.abc import Callable

REPLY_TOKENS = 3
MESSAGE_TOKENS = 3
NAME_TOKENS = 1
_CACHE_MAX_ENTRIES = 20_000  # bounded: a 1 GB file must not keep every string


@dataclass(frozen=True, slots=True)
class ExampleTokens:
    """Token figures of one example.

    ``assistant`` is the tokens of assistant messages the model trains on
    (weight not 0), each counted with its message overhead; ``messages`` is how
    many messages the example has (0 for prompt/completion lines).
    ``estimated`` is True when part of the count has no exact published method
    (tools, tool calls, images of unknown size); ``unknown_images`` is how many
    images are web addresses whose size cannot be known offline.
    """

    total: int
    assistant: int
    messages: int
    estimated: bool = False
    unknown_images: int = 0


class _Tally:
    """Running figures of one example while it is counted."""

    __slots__ = ("estimated", "unknown_images")

    def __init__(self) -> None:
        self.estimated = False
        self.unknown_images = 0


class TokenCounter(ToolCounting):
    """Count tokens with one encoding, caching repeated long strings.

    Parameters
    ----------
    encoding_name
        ``"o200k_base"`` or ``"cl100k_base"``.
    """

    def __init__(self, encoding_name: str) -> None:
        super().__init__(encoding_name)
        self.encoding_name = encoding_name
        self._count: Callable[[str], int] = ordinary_counter(encoding_name)
        self._encode: Callable[[str], list[int]] | None = None  # loaded when needed
        self._cache: dict[str, int] = {}
        self.text_memo: dict[str, int] = {}
        """Scratch memo for the validator's fast path (text → tokens, or ``~tokens``
        when the text holds a secret); it lives as long as this counter."""
        self.tools_check_memo: dict[bytes, tuple[int, frozenset[str]]] = {}
        """Scratch memo for the validator's tool fast path (a serialised ``tools``
        list → its tokens and declared names, or -1 when the full rules must see it)."""
        self.memo_hits = 0
        self.memo_misses = 0
        """How often texts other than system prompts were found in the memo."""
        self._probes = 0

    def memo_pays(self) -> bool:
        """Whether memoising texts other than system prompts still pays.

        True for the first 2,000 such texts, then while at least 1 in 20 of
        them were found in the memo.
        """
        return self.memo_misses < 2000 or self.memo_hits * 20 >= self.memo_misses

    def memo_probe(self) -> bool:
        """Whether to look texts up in the memo although it does not pay now.

        True for one call in 16: looking up texts that are not there costs a
        hash each, and a sample of lookups still tells when texts start to
        repeat (hits and misses are then counted on the sample only).
        """
        self._probes += 1
        return not self._probes & 15

    @property
    def raw_count(self) -> Callable[[str], int]:
        """The counting function itself, for hot loops.

        Like :meth:`count_ordinary` without the method call, but raising
        ``UnicodeEncodeError`` for text that holds lone surrogates.
        """
        return self._count

    def encode_ordinary(self, text: str) -> list[int]:
        """Encode ``text`` to token ids, special-token text as plain text (uncached).

        Only for callers that need the ids: counting uses :meth:`count_ordinary`.
        """
        if self._encode is None:
            # the Rust core's method skips the Python wrapper's per-call checks
            self._encode = get_encoding(self.encoding_name)._core_bpe.encode_ordinary
        try:
            return self._encode(text)
        except UnicodeEncodeError:
            return self._encode(_no_surrogates(text))

    def count_ordinary(self, text: str) -> int:
        """Return the tokens of ``text``, special-token text as plain text (uncached).

        Lone surrogates (JSON may hold them as escapes, e.g. of U+D800) cannot be
        UTF-8 encoded: like tiktoken's own wrapper, replace them and count that.
        """
        try:
            return self._count(text)
        except UnicodeEncodeError:
            return self._count(_no_surrogates(text))

    def count_text(self, text: str) -> int:
        """Return the number of tokens of ``text`` (cached for repeated strings).

        System prompts and roles repeat in most examples of a dataset; the cache
        makes them cost one dictionary lookup after the first time.
        """
        cache = self._cache
        hit = cache.get(text)
        if hit is None:
            hit = self.count_ordinary(text)
            if len(cache) >= _CACHE_MAX_ENTRIES:
                cache.clear()  # cheap eviction: repeated strings come back at once
            cache[text] = hit
        return hit

    def count_text_once(self, text: str) -> int:
        """Return the tokens of a text that usually does not repeat (a reply).

        Such texts are memoised only while the memo pays (:meth:`memo_pays`):
        storing every distinct reply costs time and memory when none repeats.
        """
        hit = self._cache.get(text)
        if hit is not None:
            self.memo_hits += 1
            return hit
        self.memo_misses += 1
        if self.memo_pays():
            return self.count_text(text)
        return self.count_ordinary(text)

    def count_message(self, message: Any, tally: _Tally | None = None) -> int:
        """Return the tokens one message adds to an example (never raises)."""
        if not isinstance(message, dict):
            return MESSAGE_TOKENS
        tally = tally or _Tally()
        tokens = MESSAGE_TOKENS
        shared = message.get("role") in ("system", "developer")
        for key, value in message.items():
            if isinstance(value, str):
                if key == "content" and not shared:
                    tokens += self.count_text_once(value)
                else:
                    tokens += self.count_text(value)
                if key == "name":
                    tokens += NAME_TOKENS
            elif key == "content" and isinstance(value, list):
                tokens += self._count_parts(value, tally)
            elif key in ("tool_calls", "function_call") and value is not None:
                tokens += self.count_calls(value)
                tally.estimated = True
        return tokens

    def _count_parts(self, parts: list[Any], tally: _Tally) -> int:
        tokens = 0
        for part in parts:
            if isinstance(part, str):
                tokens += self.count_text(part)
            if not isinstance(part, dict):
                continue
            for key in ("text", "refusal"):
                text = part.get(key)
                if isinstance(text, str):
                    tokens += self.count_text(text)
            image = part.get("image_url")
            if part.get("type") == "image_url" and isinstance(image, dict):
                url = image.get("url")
                url = url if isinstance(url, str) else ""
                n, exact = image_tokens(url, str(image.get("detail", "auto")))
                tokens += n
                if not exact:
                    tally.estimated = True
                    if not url.startswith("data:") and image.get("detail") != "low":
                        tally.unknown_images += 1
        return tokens

    def _count_messages(self, messages: Any, tally: _Tally) -> tuple[int, int, int]:
        """Return (tokens, trained assistant tokens, count) of a message list."""
        if not isinstance(messages, list):
            return 0, 0, 0
        total = assistant = 0
        for message in messages:
            tokens = self.count_message(message, tally)
            total += tokens
            if (
                isinstance(message, dict)
                and message.get("role") == "assistant"
                and message.get("weight", 1) != 0
            ):
                assistant += tokens
        return total, assistant, len(messages)

    def _count_definitions(self, value: dict[str, Any], tally: _Tally) -> int:
        total = 0
        for key in ("tools", "functions"):
            if value.get(key) is not None:
                n, _ = self.count_tools(value[key], legacy=key == "functions")
                total += n
                tally.estimated = True
        return total

    def count_example(self, value: Any, fmt: Format) -> ExampleTokens:
        """Return the token figures of one parsed example (never raises)."""
        if not isinstance(value, dict):
            return ExampleTokens(0, 0, 0)
        if fmt is Format.COMPLETION:
            prompt, completion = value.get("prompt"), value.get("completion")
            p = self.count_text(prompt) if isinstance(prompt, str) else 0
            c = self.count_text(completion) if isinstance(completion, str) else 0
            return ExampleTokens(p + c, c, 0)
        tally = _Tally()
        if fmt is Format.PREFERENCE:
            total, assistant, count = self._count_preference(value, tally)
        else:
            total, assistant, count = self._count_messages(value.get("messages"), tally)
            total += self._count_definitions(value, tally) + REPLY_TOKENS
        return ExampleTokens(
            total, assistant, count, tally.estimated, tally.unknown_images
        )

    def _count_preference(
        self, value: dict[str, Any], tally: _Tally
    ) -> tuple[int, int, int]:
        given = value.get("input")
        total = count = 0
        if isinstance(given, dict):
            total, _, count = self._count_messages(given.get("messages"), tally)
            total += self._count_definitions(given, tally)
        assistant = 0
        for key in ("preferred_output", "non_preferred_output"):
            output = value.get(key)
            if output is None:
                output = value.get(key.replace("output", "completion"))
            tokens, _, n = self._count_messages(output, tally)
            assistant += tokens
            count += n
        return total + assistant + REPLY_TOKENS, assistant, count


def _no_surrogates(text: str) -> str:
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


_counters: dict[str, TokenCounter] = {}


def counter_for_encoding(encoding_name: str) -> TokenCounter:
    """Return a shared counter for ``encoding_name`` (one per encoding)."""
    counter = _counters.get(encoding_name)
    if counter is None:
        counter = _counters.setdefault(encoding_name, TokenCounter(encoding_name))
    return counter


def counter_for_model(model: str, table: ModelTable | None = None) -> TokenCounter:
    """Return a counter with the encoding ``model`` uses (``ft:`` models: their base's)."""
    info = (table or default_table()).lookup(model)
    return counter_for_encoding(info.encoding)
