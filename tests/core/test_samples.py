"""Help → Open sample opens a writable copy and never touches the original."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftstudio.core.errors import FtError
from ftstudio.core.samples import SAMPLES, copy_sample, get_sample


def test_every_listed_sample_is_bundled() -> None:
    for sample in SAMPLES:
        assert sample.path.is_file(), sample.name
        assert sample.title
        assert sample.description.endswith(".")


def test_copy_is_made_once_and_reused(tmp_path: Path) -> None:
    first = copy_sample("customer_support.jsonl", tmp_path)
    assert first == tmp_path / "customer_support.jsonl"
    assert first.read_bytes() == get_sample("customer_support.jsonl").path.read_bytes()
    assert copy_sample("customer_support.jsonl", tmp_path) == first


def test_edited_copy_is_kept_and_a_fresh_one_made(tmp_path: Path) -> None:
    first = copy_sample("customer_support_mistakes.jsonl", tmp_path)
    first.write_text("my own edits\n")
    second = copy_sample("customer_support_mistakes.jsonl", tmp_path)
    assert second == tmp_path / "customer_support_mistakes-2.jsonl"
    assert first.read_text() == "my own edits\n"
    original = get_sample("customer_support_mistakes.jsonl").path
    assert second.read_bytes() == original.read_bytes()


def test_default_folder_is_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FTSTUDIO_DATA_DIR", str(tmp_path))
    copy = copy_sample("customer_support_validation.jsonl")
    assert copy.parent == tmp_path / "samples"


def test_unwritable_folder_gives_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(FtError) as info:
        copy_sample("customer_support.jsonl", blocker / "samples")
    assert info.value.kind == "io"
    assert "could not be copied" in info.value.message


def test_unknown_sample_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"customer_support\.jsonl"):
        get_sample("nope.jsonl")
