"""The shipped tokenizer files load to exactly what their lines say."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from ftstudio.core.errors import FtError
from ftstudio.core.resources import resource_path
from ftstudio.core.tokens import encodings
from ftstudio.core.tokens.encodings import SPECS, get_encoding, load_ranks


@pytest.mark.parametrize("name", sorted(SPECS))
def test_fast_load_gives_each_token_the_rank_its_line_states(name: str) -> None:
    # load_ranks numbers tokens by line; that is right only while every file's
    # ranks run 0, 1, 2… in order, which this reads the slow way to check
    data = resource_path("tokenizers", f"{name}.tiktoken").read_bytes()
    stated = {}
    for line in data.splitlines():
        token, rank = line.split()
        stated[base64.b64decode(token)] = int(rank)
    assert load_ranks(name) == stated


def test_the_encoding_round_trips_text() -> None:
    enc = get_encoding("o200k_base")
    text = "Arr, matey! Ünïcödé and 12345 tokens"
    assert enc.decode(enc.encode(text)) == text
    assert len(enc.encode("hello world")) == 2


def test_a_damaged_or_missing_file_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = resource_path("tokenizers", "cl100k_base.tiktoken").read_bytes()
    (tmp_path / "cl100k_base.tiktoken").write_bytes(good[:-10])
    monkeypatch.setattr(encodings, "resource_path", lambda *parts: tmp_path / parts[-1])
    with pytest.raises(FtError, match="damaged"):
        load_ranks("cl100k_base")
    with pytest.raises(FtError, match="missing"):
        load_ranks("o200k_base")
