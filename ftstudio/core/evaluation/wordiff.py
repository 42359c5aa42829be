"""Word-level differences between the expected answer and a reply, as HTML."""

from __future__ import annotations

import difflib
import html
import re

_PIECE = re.compile(r"\s+|\S+")
SAME, MISSING, EXTRA = "same", "missing", "extra"
STYLE = {
    MISSING: "background-color:#f9d3cf;",
    EXTRA: "background-color:#cdeccb;",
}
"""Missing words (in the expected answer, not the reply) red; added words green."""


def _key(word: str) -> str:
    return word.strip(".,;:!?\"'()[]{}«»“”‘’").casefold() or word


def word_diff(
    expected: str, reply: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return both texts as ``(kind, text)`` pieces.

    The expected side marks words the reply lacks as ``"missing"``; the reply
    side marks words the expected answer lacks as ``"extra"``. Case and
    punctuation at a word's ends do not count as differences. Whitespace is
    kept, so joining the pieces gives each text back unchanged.
    """
    left = _PIECE.findall(expected)
    right = _PIECE.findall(reply)
    left_words = [i for i, p in enumerate(left) if not p.isspace()]
    right_words = [i for i, p in enumerate(right) if not p.isspace()]
    matcher = difflib.SequenceMatcher(
        None,
        [_key(left[i]) for i in left_words],
        [_key(right[i]) for i in right_words],
        autojunk=False,
    )
    left_kind = dict.fromkeys(left_words, MISSING)
    right_kind = dict.fromkeys(right_words, EXTRA)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            left_kind[left_words[block.a + k]] = SAME
            right_kind[right_words[block.b + k]] = SAME
    return (
        [(left_kind.get(i, SAME), p) for i, p in enumerate(left)],
        [(right_kind.get(i, SAME), p) for i, p in enumerate(right)],
    )


def to_html(pieces: list[tuple[str, str]]) -> str:
    """Return the pieces as escaped HTML, differences highlighted, line breaks kept."""
    out: list[str] = []
    for kind, text in pieces:
        escaped = html.escape(text).replace("\n", "<br>")
        if kind == SAME or text.isspace():
            out.append(escaped)
        else:
            out.append(f'<span class="{kind}" style="{STYLE[kind]}">{escaped}</span>')
    return "".join(out)
