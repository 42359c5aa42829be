"""The validator as the window and the CLI use it: incremental, cancellable, per row."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from ftstudio.core.cancel import Cancelled, CancelToken
from ftstudio.core.dataset.edits import delete_rows, set_raw, set_value
from ftstudio.core.dataset.formats import Format
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.errors import FtError
from ftstudio.core.validation.findings import Severity
from ftstudio.core.validation.validator import Validator, validate_file, validate_path
from tests.core.validation_helpers import KNOWN_LIMITS, good, lines


def make(n: int = 60) -> tuple[DatasetStore, Validator]:
    store = DatasetStore.from_bytes(lines(pad=n))
    return store, Validator(store, "gpt-4o-mini", workers=0)


def test_revalidation_checks_only_the_edited_line(calls: list[bytes]) -> None:
    store, v = make()
    v.validate()
    assert len(calls) == 60
    calls.clear()
    set_value(store, 5, {"messages": [{"role": "user", "content": "x"}]}).apply(store)
    report = v.validate()
    assert len(calls) == 1
    assert [f.code for f in report.findings] == ["example_missing_assistant_message"]
    assert report.findings[0].line == 6


def test_undo_needs_no_recheck(calls: list[bytes]) -> None:
    store, v = make()
    v.validate()
    undo = set_raw(store, 3, b"{broken").apply(store)
    assert v.validate().errors == 1
    calls.clear()
    undo.apply(store)
    assert v.validate().errors == 0
    assert calls == []


def test_line_numbers_follow_deletions() -> None:
    store = DatasetStore.from_bytes(lines(b"[1]", pad=60))
    v = Validator(store, KNOWN_LIMITS, workers=0)
    assert v.validate().findings[0].line == 1
    set_value(store, 0, good(5000)).apply(store)
    delete_rows(store, [0]).apply(store)
    set_raw(store, 10, b"[2]").apply(store)
    assert [f.line for f in v.validate().findings] == [11]


def test_row_info_is_none_until_validated() -> None:
    store, v = make()
    assert v.row_info(0) is None
    v.validate()
    info = v.row_info(0)
    assert info is not None
    assert (info.format, info.severity, info.messages) == (Format.CHAT, None, 3)
    assert info.tokens > info.assistant_tokens > 0
    set_raw(store, 0, b"[1]").apply(store)
    assert v.row_info(0) is None
    v.validate()
    bad = v.row_info(0)
    assert bad is not None
    assert (bad.format, bad.severity) == (Format.UNKNOWN, Severity.ERROR)
    assert v.row_info(10_000) is None


def test_row_findings_include_duplicates_with_line_numbers() -> None:
    store = DatasetStore.from_bytes(lines(good(1), good(1)))
    v = Validator(store, KNOWN_LIMITS, workers=0)
    v.validate()
    info = v.row_info(1)
    assert info is not None
    assert info.severity is Severity.WARNING
    assert [(f.line, f.code) for f in v.row_findings(1)] == [(2, "duplicate_example")]
    assert v.row_findings(0) == []


def test_set_model_rechecks_nothing_for_the_same_tokenizer(calls: list[bytes]) -> None:
    long = {
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "word " * 5000},
        ]
    }
    store = DatasetStore.from_bytes(lines(long))
    v = Validator(store, "gpt-4o-mini", workers=0)
    assert v.validate().tokens.over_limit_examples == 0
    calls.clear()
    v.set_model("ft:gpt-4o-mini:acme::x1")
    assert v.model == "ft:gpt-4o-mini:acme::x1"
    v.validate()
    assert calls == []
    v.set_model("gpt-3.5-turbo-0613")  # another tokenizer: every line again
    report = v.validate()
    assert len(calls) == 61
    assert report.encoding == "cl100k_base"
    assert report.tokens.over_limit_examples == 1
    assert report.tokens.billing == report.tokens.total - (
        report.tokens.per_example.max - 4096
    )


def test_report_figures() -> None:
    _store, v = make(100)
    report = v.validate()
    tokens = report.tokens
    assert report.examples == 100
    assert tokens.billing == tokens.total
    assert tokens.limit == 65536
    assert tokens.messages_per_example.median == 3
    assert tokens.per_example.min <= tokens.per_example.p10 <= tokens.per_example.median
    assert report.cost.epochs == 3
    assert report.cost.usd == pytest.approx(tokens.total * 3 * 3.0 / 1e6)
    assert v.last_report is report


def test_cancel_keeps_work_done_and_resumes(calls: list[bytes]) -> None:
    _store, v = make(5000)
    token = CancelToken()
    gen = v.run(token)
    next(gen)
    next(gen)  # one step of lines done
    token.cancel()
    with pytest.raises(Cancelled):
        for _ in gen:
            pass
    done = len(calls)
    assert 0 < done < 5000
    calls.clear()
    v.validate()
    assert len(calls) == 5000 - done
    assert v.last_report is not None


def test_run_on_a_thread_while_the_store_is_edited() -> None:
    store, v = make(3000)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                v.validate()
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    for i in range(200):
        set_value(store, i, good(10_000 + i)).apply(store)
        v.row_info(i)
    thread.join()
    assert errors == []
    assert v.validate().errors == 0


def test_overlap_with_the_validation_file() -> None:
    train = DatasetStore.from_bytes(lines(good(1), good(2)))
    other = DatasetStore.from_bytes(
        b"\n".join(json.dumps(x).encode() for x in (good(7), good(2), b"oops".decode()))
    )
    report = Validator(train, KNOWN_LIMITS, validation=other, workers=0).validate()
    overlap = [f for f in report.findings if f.code == "train_validation_overlap"]
    assert [(f.line, f.severity) for f in overlap] == [(2, Severity.WARNING)]
    assert "line 2" in overlap[0].message
    assert "validation_file_errors" in {f.code for f in report.findings}


def write(tmp_path: Path, data: bytes, name: str = "train.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_validate_path_reports_progress_and_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, lines(pad=5000))
    gen = validate_path(path, "gpt-4o-mini", workers=0)
    steps = []
    try:
        while True:
            steps.append(next(gen))
    except StopIteration as stop:
        report = stop.value
    assert report.file == str(path)
    assert report.examples == 5000
    assert any(p.label == "Checking examples" and p.total == 5000 for p in steps)


def test_validate_file_with_validation_file(tmp_path: Path) -> None:
    train = write(tmp_path, lines(good(1)))
    val = write(tmp_path, json.dumps(good(1)).encode() + b"\n", "val.jsonl")
    report = validate_file(train, "gpt-4o-mini", val)
    assert "train_validation_overlap" in {f.code for f in report.findings}


@pytest.mark.parametrize("name", ["missing.jsonl", "."])
def test_unreadable_paths_raise_a_plain_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(FtError) as info:
        validate_file(tmp_path / name, "gpt-4o-mini")
    assert str(tmp_path) in info.value.message


def test_parallel_first_pass_matches_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ftstudio.core.validation import parallel

    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(parallel, "SPAN_BYTES", 20_000)
    data = lines(b"[1]", good(3), b"", good(3), b"{bad", pad=400).replace(
        b"\n", b"\r\n", 3
    )
    path = write(tmp_path, data)
    used: list[int] = []
    real = parallel.run_spans

    def spy(spans: list[Any], workers: int, cancel: CancelToken) -> Any:
        used.append(len(spans))
        return real(spans, workers, cancel)

    monkeypatch.setattr(parallel, "run_spans", spy)
    serial_store = DatasetStore.open(path)
    serial = Validator(serial_store, KNOWN_LIMITS, workers=0)
    store = DatasetStore.open(path)
    v = Validator(store, KNOWN_LIMITS, workers=2)
    assert v.validate() == serial.validate()
    assert used
    assert used[0] > 3
    assert [v.row_info(r) for r in range(6)] == [serial.row_info(r) for r in range(6)]
    store.close()
    serial_store.close()


def test_parallel_pass_notices_a_changed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ftstudio.core.validation import parallel

    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    path = write(tmp_path, lines(b"{ }", pad=50))
    store = DatasetStore.from_bytes(
        lines(b"[1]", pad=50), path=path
    )  # not what is on disk
    report = Validator(store, KNOWN_LIMITS, workers=2).validate()
    assert [(f.line, f.code) for f in report.findings] == [(1, "data_type")]


def test_cancel_during_the_parallel_pass_stops_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    from ftstudio.core.validation import parallel

    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(parallel, "SPAN_BYTES", 5_000)
    path = write(tmp_path, lines(pad=2000))
    store = DatasetStore.open(path)
    v = Validator(store, KNOWN_LIMITS, workers=2)
    token = CancelToken()
    gen = v.run(token)
    next(gen)
    next(gen)
    token.cancel()
    with pytest.raises(Cancelled):
        for _ in gen:
            pass
    assert multiprocessing.active_children() == []
    assert v.validate().examples == 2000  # resumes, keeping what was done
    store.close()


def test_validation_file_progress_has_its_own_label() -> None:
    train = DatasetStore.from_bytes(lines())
    other = DatasetStore.from_bytes(lines(pad=5000))
    gen = Validator(train, KNOWN_LIMITS, validation=other, workers=0).run()
    labels = set()
    try:
        while True:
            labels.add(next(gen).label)
    except StopIteration:
        pass
    assert labels == {"Checking examples", "Checking the validation file"}


def test_a_user_model_table_sets_limit_and_price() -> None:
    from ftstudio.core.models import ModelTable

    table = ModelTable(
        (
            {
                "prefix": "my-model",
                "encoding": "cl100k_base",
                "training_context": 20,
                "price_per_1m_training_tokens": 1_000_000.0,
            },
        )
    )
    store = DatasetStore.from_bytes(lines(pad=10))
    report = Validator(store, "my-model-v2", table=table, workers=0).validate()
    assert report.encoding == "cl100k_base"
    assert report.tokens.limit == 20
    assert report.tokens.over_limit_examples == 10
    assert report.tokens.billing == 200
    assert report.cost.epochs == 10  # 10 examples: auto picks 100 // 10
    assert report.cost.usd == pytest.approx(200 * 10)


@pytest.mark.parametrize(
    ("busy", "expected"), [(0.0, 2), (0.4, 2), (0.6, 1), (1.0, 1), (2.0, 1)]
)
def test_worker_processes_only_on_idle_cpus(
    monkeypatch: pytest.MonkeyPatch, busy: float, expected: int
) -> None:
    from ftstudio.core.validation import parallel

    monkeypatch.setattr(parallel, "_allowed_cpus", lambda: 2)
    monkeypatch.setattr(parallel, "_busy_cpus", lambda _cancel: busy)
    assert parallel.idle_cpus(CancelToken()) == expected


def test_idle_cpus_measures_something_real() -> None:
    from ftstudio.core.validation import parallel

    assert 1 <= parallel.idle_cpus(CancelToken()) <= parallel._allowed_cpus()
