"""A job's event log is read once, then only what was appended (the Monitor polls it)."""

from __future__ import annotations

from pathlib import Path

from ftstudio.sandbox.local.spec import append_line, read_lines


def test_appended_lines_are_added_and_a_half_written_line_waits(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    assert read_lines(log) == []
    append_line(log, {"step": 1})
    append_line(log, {"step": 2})
    assert [e["step"] for e in read_lines(log)] == [1, 2]
    with log.open("ab") as fh:
        fh.write(b'{"step": 3')  # the trainer is writing it now
    assert [e["step"] for e in read_lines(log)] == [1, 2]
    with log.open("ab") as fh:
        fh.write(b"}\n")
    assert [e["step"] for e in read_lines(log)] == [1, 2, 3]


def test_a_replaced_or_shortened_log_is_read_again(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    for step in range(5):
        append_line(log, {"step": step})
    assert len(read_lines(log)) == 5
    log.write_bytes(b'{"step": 9}\n')  # shorter: not an append
    assert read_lines(log) == [{"step": 9}]
    other = tmp_path / "new.jsonl"
    other.write_bytes(b'{"step": 7}\n{"step": 8}\n')
    other.replace(log)  # a new file (inode) with more bytes
    assert [e["step"] for e in read_lines(log)] == [7, 8]
