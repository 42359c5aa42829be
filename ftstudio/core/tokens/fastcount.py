"""Count the tokens of plain text with the fastest exact counter available.

Counting is most of the validator's CPU on text that does not repeat, and it
needs no token ids. ``rs-bpe`` (the Python binding of GitHub's ``bpe`` crate)
counts o200k_base and cl100k_base tokens without building a token list, in
0.6-0.7x tiktoken's CPU on real datasets, on one thread, with its tables
compiled in (no download, no cache: loading takes ~0.05 s). Its counts equal
tiktoken's ``encode_ordinary`` (a property test checks it on arbitrary text,
special-token text such as ``<|endoftext|>`` included, which both count as
the plain text it is).

tiktoken stays for everything that needs token ids, and is the fallback when
rs-bpe is not installed or fails to load. Everything that counts text (the
validator, cost estimates, the CLI) goes through :func:`ordinary_counter`.
"""

from __future__ import annotations

import importlib
import logging
import threading
from typing import TYPE_CHECKING

from ftstudio.core.tokens.encodings import SPECS, get_encoding

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger(__name__)

_FAST_NAMES = frozenset({"o200k_base", "cl100k_base"})
_lock = threading.Lock()
_loaded: dict[str, tuple[Callable[[str], int], str]] = {}


def _fast(name: str) -> Callable[[str], int] | None:
    """Return rs-bpe's counting method for ``name``, or None when unavailable."""
    if name not in _FAST_NAMES:
        return None
    try:
        # a native module without type stubs: imported by name, it is Any
        openai = importlib.import_module("rs_bpe.bpe").openai
    except ImportError:
        return None
    try:
        tokenizer = getattr(openai, name)()
    except Exception as exc:  # a broken native build must not stop counting
        log.warning("rs-bpe could not load %s (%s); using tiktoken", name, exc)
        return None
    count: Callable[[str], int] = tokenizer.count
    return count


def _tiktoken(name: str) -> Callable[[str], int]:
    """Return a counter built on tiktoken's ``encode_ordinary`` for ``name``."""
    # the Rust core's method skips the Python wrapper's per-call checks
    encode: Callable[[str], list[int]] = get_encoding(name)._core_bpe.encode_ordinary

    def count(text: str) -> int:
        return len(encode(text))

    return count


def _load(name: str) -> tuple[Callable[[str], int], str]:
    with _lock:
        loaded = _loaded.get(name)
        if loaded is None:
            if name not in SPECS:
                get_encoding(name)  # raises the usual "unknown tokenizer" error
            counter = _fast(name)
            # without rs-bpe, load tiktoken; with it, tiktoken is not even loaded
            loaded = (counter, "rs-bpe") if counter else (_tiktoken(name), "tiktoken")
            _loaded[name] = loaded
        return loaded


def ordinary_counter(name: str) -> Callable[[str], int]:
    """Return a function giving the number of tokens of a text in encoding ``name``.

    Special-token text counts as ordinary text, exactly as tiktoken's
    ``encode_ordinary``. Like it, the function raises ``UnicodeEncodeError``
    for text holding lone surrogates (callers replace them and count again).
    Cached per encoding; thread-safe.

    Parameters
    ----------
    name
        The encoding, e.g. ``"o200k_base"``.

    Raises
    ------
    FtError
        If the encoding is unknown, or tiktoken is needed and its bundled file
        is missing or damaged.
    """
    return _load(name)[0]


def counter_kind(name: str) -> str:
    """Return which library counts text of ``name``: ``"rs-bpe"`` or ``"tiktoken"``."""
    return _load(name)[1]
