"""Error kinds are an enum whose words are unchanged, and a bare word no longer type-checks."""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING

from ftstudio.core.errors import ErrorKind, FtError

if TYPE_CHECKING:
    from pathlib import Path


def test_an_error_keeps_its_word_across_processes_and_comparisons() -> None:
    error = FtError(ErrorKind.CHANGED, "The file changed on disk.", "detail", True)
    again = pickle.loads(pickle.dumps(error))
    assert again.kind is ErrorKind.CHANGED
    assert again.kind == "changed"  # a kind compared as a word still matches
    assert (again.message, again.detail, again.retryable) == (
        "The file changed on disk.",
        "detail",
        True,
    )
    assert repr(again) == "FtError('changed', 'The file changed on disk.')"


def test_the_words_are_the_ones_used_before_the_enum() -> None:
    assert {k.value for k in ErrorKind} >= {
        "input",
        "io",
        "format",
        "usage",
        "mapping",
        "changed",
        "sandbox",
        "tokenizer",
        "config",
        "auth",
        "tls",
        "not_found",
        "missing",
        "duplicate",
        "internal",
        "network",
        "rate_limit",
        "quota",
        "server",
    }


def test_a_bare_word_as_a_kind_is_a_type_error(tmp_path: Path) -> None:
    from mypy import api

    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from ftstudio.core.errors import ErrorKind, FtError\n"
        "FtError(ErrorKind.IO, 'fine')\n"
        "FtError('io', 'a bare word')\n"
    )
    out, _, status = api.run(
        ["--strict", "--no-incremental", "--follow-imports=silent", str(snippet)]
    )
    assert status == 1
    assert 'snippet.py:3: error: Argument 1 to "FtError" has incompatible type' in out
    assert "snippet.py:2:" not in out
