"""Files changed, shortened or removed by another program, and how files are written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pytest

from ftstudio.core.dataset.atomic import (
    TEMP_SUFFIX,
    atomic_file,
    clean_stale_temps,
    new_file_mode,
    write_atomic,
)
from ftstudio.core.dataset.edits import set_value
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.errors import FtError
from ftstudio.core.validation import parallel

LINE = b'{"messages":[{"role":"user","content":"hi %d"},{"role":"assistant","content":"yo"}]}\n'


def dataset(path: Path, rows: int = 200) -> Path:
    path.write_bytes(
        b"".join(LINE.replace(b"%d", str(i).encode()) for i in range(rows))
    )
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_file_shortened_while_open_keeps_every_row_readable(tmp_path: Path) -> None:
    path = dataset(tmp_path / "train.jsonl")
    original = path.read_bytes()
    store = DatasetStore.open(path)
    with path.open("r+b") as f:  # what `python make_data.py > train.jsonl` does
        f.truncate(10)
    assert store.to_bytes() == original  # a memory map would die with SIGBUS here
    assert store.raw(199) == LINE.replace(b"%d", b"199").rstrip(b"\n")
    assert store.changed_on_disk()
    store.close()


def test_save_refuses_to_overwrite_another_programs_changes(tmp_path: Path) -> None:
    path = dataset(tmp_path / "train.jsonl")
    store = DatasetStore.open(path)
    set_value(store, 0, {"mine": True}).apply(store)
    theirs = b'{"theirs": true}\n'
    path.write_bytes(theirs)
    with pytest.raises(FtError, match="changed by another program") as caught:
        store.save()
    assert caught.value.kind == "changed"
    assert path.read_bytes() == theirs
    # keep yours, save elsewhere
    elsewhere = store.save(tmp_path / "mine.jsonl")
    assert elsewhere.read_bytes().startswith(b'{"mine":true}\n')
    assert path.read_bytes() == theirs


def test_a_same_size_rewrite_is_noticed_and_never_mixed_in(tmp_path: Path) -> None:
    path = dataset(tmp_path / "train.jsonl")
    original = path.read_bytes()
    store = DatasetStore.open(path)
    set_value(store, 5, {"mine": True}).apply(store)
    expected = store.to_bytes()
    with path.open("r+b") as f:
        f.write(b"X" * 50)  # same size, bytes changed in place
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert store.changed_on_disk()
    with pytest.raises(FtError, match="changed by another program"):
        store.save()
    copy = store.save(tmp_path / "copy.jsonl").read_bytes()
    assert copy == expected
    assert b"X" not in copy
    assert copy.count(b"\n") == original.count(b"\n")


def test_a_removed_file_is_a_plain_error_on_save(tmp_path: Path) -> None:
    path = dataset(tmp_path / "train.jsonl")
    store = DatasetStore.open(path)
    set_value(store, 0, {"a": 1}).apply(store)
    path.unlink()
    with pytest.raises(FtError, match="removed or renamed"):
        store.save()
    assert not path.exists()


def test_our_own_save_is_not_a_change(tmp_path: Path) -> None:
    path = dataset(tmp_path / "train.jsonl")
    store = DatasetStore.open(path)
    set_value(store, 0, {"a": 1}).apply(store)
    store.save()
    assert not store.changed_on_disk()
    set_value(store, 1, {"b": 2}).apply(store)
    store.save()
    assert path.read_bytes().startswith(b'{"a":1}\n{"b":2}\n')


def test_a_worker_never_reads_a_changed_file(tmp_path: Path) -> None:
    path = dataset(tmp_path / "train.jsonl")
    store = DatasetStore.open(path)
    spans = parallel.make_spans(store, np.arange(len(store)), "o200k_base")
    assert parallel.check_span(spans[0]).cls.shape[0] == len(store)
    with path.open("r+b") as f:
        f.truncate(len(LINE) * 3)
    with pytest.raises(parallel.FileChanged):
        parallel.check_span(spans[0])
    path.unlink()
    with pytest.raises(parallel.FileChanged):
        parallel.check_span(spans[0])


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_saves_keep_the_files_permissions_and_new_files_follow_the_umask(
    tmp_path: Path,
) -> None:
    private = dataset(tmp_path / "private.jsonl")
    private.chmod(0o600)
    store = DatasetStore.open(private)
    set_value(store, 0, {"a": 1}).apply(store)
    store.save()
    assert mode(private) == 0o600
    fresh = store.save(tmp_path / "new.jsonl")
    assert mode(fresh) == new_file_mode()
    umask = os.umask(0o022)
    os.umask(umask)
    assert new_file_mode() == 0o666 & ~umask
    assert mode(write_atomic(tmp_path / "other.json", b"{}")) == new_file_mode()
    assert mode(write_atomic(tmp_path / "secret", b"x", mode=0o600)) == 0o600


def test_a_failed_write_leaves_no_temporary_and_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "data.jsonl"
    target.write_bytes(b"old\n")

    def killed_midway() -> None:
        with atomic_file(target) as out:
            out.write(b"half")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        killed_midway()
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["data.jsonl"]


def test_stale_temporaries_are_removed_on_the_next_open(tmp_path: Path) -> None:
    path = dataset(tmp_path / "train.jsonl", rows=3)
    dead = tmp_path / f".train.jsonl.999999999-deadbeef{TEMP_SUFFIX}"
    dead.write_bytes(b"x" * 1000)
    older = tmp_path / ".train.jsonl.ab12cd34.tmp"  # an older version's name
    older.write_bytes(b"x")
    os.utime(older, (0, 0))
    mine = tmp_path / ".train.jsonl.notes.tmp"  # the user's own file: kept
    mine.write_bytes(b"x")
    os.utime(mine, (0, 0))
    other = tmp_path / f".other.jsonl.999999999-deadbeef{TEMP_SUFFIX}"
    other.write_bytes(b"x")
    running = tmp_path / f".train.jsonl.{os.getpid()}-cafe0000{TEMP_SUFFIX}"
    running.write_bytes(b"x")
    DatasetStore.open(path).close()
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(["train.jsonl", mine.name, other.name, running.name])
    assert clean_stale_temps(path) == 0
