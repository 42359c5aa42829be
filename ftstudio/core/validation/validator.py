"""Validate a dataset for a target model, incrementally, off the GUI thread.

Results are cached per store key (a key names unchanged line content), so after
an edit :meth:`Validator.run` checks only the new lines and then re-aggregates
the whole file with vectorised numpy (duplicates, counts, tokens, cost).

Thread safety: ``run()`` may execute on a worker thread while the GUI thread
edits the store and calls :meth:`Validator.row_info`. ``run()`` takes a snapshot
of the key array (edits replace it, never mutate it), reads lines through
``raw_for_key`` and never through the store's parse cache, and writes results
into arrays that grow by swapping under a lock.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Generator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

import numpy as np

from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.dataset.layout import layout_findings, looks_pretty
from ftstudio.core.dataset.store import DatasetStore, Keys
from ftstudio.core.models import ModelTable, default_table
from ftstudio.core.progress import Progress, run_to_end
from ftstudio.core.tokens.counting import TokenCounter
from ftstudio.core.validation import parallel
from ftstudio.core.validation.aggregate import Other, build_report
from ftstudio.core.validation.cache import Columns, KeyResults
from ftstudio.core.validation.early import EARLY_BYTES, EarlyFindings, early_check
from ftstudio.core.validation.findings import Finding
from ftstudio.core.validation.linecheck import NOT_OBJECT, check_line
from ftstudio.core.validation.report import Report
from ftstudio.core.validation.rowinfo import RowInfo, row_findings, row_info
from ftstudio.core.validation.runner import (
    pretty_check,
    relabel,
    validation_summary,
)

log = logging.getLogger(__name__)
_STEP = 2000  # lines between progress reports and cancel checks
# findings that compare rows; row_findings takes them from the last report
_FROM_REPORT = frozenset({"duplicate_example", "train_validation_overlap"})


class Validator:
    """Validate one store (and optionally its validation file) for a model.

    Parameters
    ----------
    store
        The training dataset.
    model
        The target model (a base model, a snapshot or an ``ft:`` name).
    validation
        An optional validation dataset, checked for overlap with ``store``.
    table
        The model table (defaults to the bundled one with the user's override).
    workers
        Processes (this one included) for the first pass over a big file;
        None = as many as there are idle CPUs at that moment, 0 or 1 = this
        process only.
    """

    def __init__(
        self,
        store: DatasetStore,
        model: str,
        *,
        validation: DatasetStore | None = None,
        table: ModelTable | None = None,
        workers: int | None = None,
    ) -> None:
        self._store = store
        self._table = table or default_table()
        self._info = self._table.lookup(model)
        # made when first needed: a big first pass starts its workers before
        # this process spends 0.3 s loading the tokenizer
        self._counter: TokenCounter | None = None
        self._results = KeyResults(len(store))
        self._workers = workers  # None: decided when a big first pass is due
        self._validation = (
            Validator(validation, model, table=self._table, workers=self._workers)
            if validation is not None
            else None
        )
        self._last_report: Report | None = None
        self._report_keys: Keys | None = None
        self._extra_by_line: dict[int, list[Finding]] = {}
        self._pretty: tuple[bytes, Finding | None] | None = None

    @property
    def model(self) -> str:
        """Return the target model."""
        return self._info.name

    @property
    def store(self) -> DatasetStore:
        """Return the dataset being validated."""
        return self._store

    @property
    def last_report(self) -> Report | None:
        """Return the report of the last finished run, or None."""
        return self._last_report

    def example_sizes(self) -> tuple[Keys, Keys]:
        """Return tokens and messages per example of the last report, in row order.

        For the validator tab's histograms: the same examples (rows holding a
        JSON object) that the report's distributions summarise. Both arrays are
        empty before the first run has finished.
        """
        keys, res = self._report_keys, self._results
        if keys is None:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        cls = res.cls  # one read: the arrays may be swapped for bigger ones
        keys = keys[keys < len(cls)]
        done = cls[keys]
        objects = keys[(done >= 0) & (done < NOT_OBJECT)]
        return (
            res.tokens[objects].astype(np.int64),
            res.messages[objects].astype(np.int64),
        )

    def set_model(self, model: str) -> None:
        """Change the target model; only a tokenizer change re-checks every line.

        Token limits, prices and format/model checks are applied when the
        report is aggregated, so they need no line to be checked again. Call it
        between runs (cancel a running one first): a run started before keeps
        its old results to itself.
        """
        info = self._table.lookup(model)
        if info.encoding != self._info.encoding:
            self._counter = None
            self._results = KeyResults(len(self._store))
        self._info = info
        if self._validation is not None:
            self._validation.set_model(model)

    # running ------------------------------------------------------------------
    def run(self, cancel: CancelToken = NEVER) -> Generator[Progress, None, Report]:
        """Check every line not checked yet, then aggregate; return the report.

        Yields :class:`Progress` (each yield is a cancel checkpoint); raises
        :class:`~ftstudio.core.cancel.Cancelled` when ``cancel`` is set. Work
        done before a cancel stays cached.
        """
        store, res, info = self._store, self._results, self._info
        keys = store.keys  # the snapshot: edits replace this array, never change it
        pending = res.pending(keys)
        total = len(pending)
        yield Progress(0, total, "Checking examples")
        done = 0
        # decided on all the pending lines: the early check below takes some
        workers = self._workers_for(pending, cancel)
        if self._last_report is None and self._pending_bytes(pending) >= EARLY_BYTES:
            counter = self._counter_for(res, info.encoding)
            found, scanned = early_check(store, keys, res, counter)
            pending = res.pending(keys)  # the lines checked early are done
            done = total - len(pending)
            yield EarlyFindings(done, total, "Checking examples", found, scanned)
        if workers > 1:
            try:
                done = yield from self._run_parallel(
                    pending, res, cancel, total, workers, done=done
                )
            except (OSError, BrokenProcessPool, parallel.FileChanged) as exc:
                log.warning(
                    "checking in worker processes failed (%s); going on here", exc
                )
            pending = res.pending(keys)
        if len(pending):
            counter = self._counter_for(res, info.encoding)
            raw_for_key = store.raw_for_key
            for start in range(0, len(pending), _STEP):
                if start:
                    cancel.check()
                    yield Progress(done + start, total, "Checking examples")
                block = pending[start : start + _STEP]
                checked = [check_line(raw_for_key(k), counter) for k in block.tolist()]
                # stored as arrays: cheaper than key by key
                res.put_block(block, Columns.of(checked))
        cancel.check()
        other: Other | None = None
        other_findings: list[Finding] = []
        if self._validation is not None:
            val_report = yield from relabel(
                self._validation.run(cancel), "Checking the validation file"
            )
            other, other_findings = validation_summary(self._validation, val_report)
        layout = [*layout_findings(store), *self._pretty_findings(keys, res)]
        report = build_report(
            res,
            keys,
            info,
            info.encoding,
            layout,
            other=other,
            other_findings=other_findings,
        )
        report = replace(report, file=str(store.path) if store.path else "")
        if res is self._results:  # the model did not change the tokenizer meanwhile
            by_line: dict[int, list[Finding]] = {}
            for f in report.findings:
                if f.line is not None and f.code in _FROM_REPORT:
                    by_line.setdefault(f.line, []).append(f)
            self._last_report, self._report_keys = report, keys
            self._extra_by_line = by_line
        yield Progress(total, total, "Checking examples")
        return report

    def _counter_for(self, res: KeyResults, encoding: str) -> TokenCounter:
        """Return the token counter, loading the tokenizer the first time."""
        counter = self._counter
        if counter is None or counter.encoding_name != encoding:
            counter = TokenCounter(encoding)
            if res is self._results:  # not a run the model change made stale
                self._counter = counter
        return counter

    def _pending_bytes(self, pending: Keys) -> int:
        """Return the size of the pending lines that are in the file on disk."""
        store = self._store
        originals = pending[pending < store.original_count]
        if not len(originals):
            return 0
        offsets = store.line_offsets
        return int((offsets[originals + 1] - offsets[originals]).sum())

    def _workers_for(self, pending: Keys, cancel: CancelToken) -> int:
        """Return how many processes should check ``pending`` (1: this one only)."""
        store = self._store
        if (self._workers is not None and self._workers < 2) or store.path is None:
            return 1
        size = self._pending_bytes(pending)
        if not size:
            return 1
        try:
            on_disk = Path(store.path).stat().st_size
        except OSError:
            return 1
        if size < parallel.MIN_PARALLEL_BYTES or on_disk != int(store.line_offsets[-1]):
            return 1
        if self._workers is not None:
            return self._workers
        return parallel.idle_cpus(cancel)

    def _run_parallel(
        self,
        pending: Keys,
        res: KeyResults,
        cancel: CancelToken,
        total: int,
        workers: int,
        *,
        done: int,
    ) -> Generator[Progress, None, int]:
        store = self._store
        originals = pending[pending < store.original_count]
        spans = parallel.make_spans(store, originals, self._info.encoding)
        stored: list[Keys] = []
        try:
            for item in parallel.run_spans(spans, workers, cancel):
                if isinstance(item, Progress):
                    yield Progress(done + item.done, total, item.label)
                    continue
                span, block = item
                span_keys = np.arange(span.first_key, span.first_key + len(block.cls))
                res.put_block(span_keys, block)
                stored.append(span_keys)
        except parallel.FileChanged:
            for span_keys in stored:  # other spans may have read changed bytes too
                res.forget(span_keys)
            raise
        return done + len(originals)

    def _pretty_findings(self, keys: Keys, res: KeyResults) -> list[Finding]:
        """Return the pretty-printed-JSON finding, cached for unchanged rows.

        Parsing the whole file is only tried when it looks pretty-printed: it
        starts like a JSON array or an unfinished object, and it is a single
        line or mostly lines that are not examples on their own.
        """
        if not len(keys) or not looks_pretty(self._store):
            return []
        not_examples = int(np.count_nonzero(res.cls[keys] >= NOT_OBJECT))
        if len(keys) > 1 and not_examples * 2 < len(keys):
            return []
        fingerprint = hashlib.blake2b(keys.tobytes(), digest_size=16).digest()
        if self._pretty is None or self._pretty[0] != fingerprint:
            self._pretty = (fingerprint, pretty_check(self._store))
        found = self._pretty[1]
        return [found] if found is not None else []

    def validate(self) -> Report:
        """Run to the end and return the report."""
        return run_to_end(self.run())

    # per-row answers for the editor -------------------------------------------
    def row_info(self, row: int) -> RowInfo | None:
        """Return what the editor shows for ``row``, or None until it was checked."""
        return row_info(self._store, self._results, self._info, row)

    def row_findings(self, row: int) -> list[Finding]:
        """Return every finding on ``row`` (1-based line numbers, worst first)."""
        extra: list[Finding] = []
        snapshot = self._report_keys
        if snapshot is not None:
            current = self._store.keys
            if current.base is snapshot.base and len(current) == len(snapshot):
                extra = self._extra_by_line.get(row + 1, [])
        return row_findings(self._store, self._results, self._info, row, extra)


def validate_path(
    path: str | Path,
    model: str,
    validation_path: str | Path | None = None,
    cancel: CancelToken = NEVER,
    *,
    workers: int | None = None,
) -> Generator[Progress, None, Report]:
    """Open ``path`` (and ``validation_path``), validate, close; return the report.

    Raises
    ------
    FtError
        If a file is missing, a folder, or cannot be read.
    """
    workers = _prestart(path, model, workers, cancel)
    try:
        store = yield from DatasetStore.open_iter(path, cancel)
    except BaseException:
        parallel.discard_prestarted()
        raise
    other = None
    try:
        if validation_path is not None:
            other = yield from DatasetStore.open_iter(validation_path, cancel)
        validator = Validator(store, model, validation=other, workers=workers)
        report = yield from validator.run(cancel)
    finally:
        parallel.discard_prestarted()  # when the run did not need them after all
        store.close()
        if other is not None:
            other.close()
    return replace(report, file=str(path))


def _prestart(
    path: str | Path, model: str, workers: int | None, cancel: CancelToken
) -> int | None:
    """Start worker processes before a big file is indexed; return how many in all."""
    if workers is not None and workers < 2:
        return workers
    try:
        size = Path(path).stat().st_size
    except OSError:
        return workers  # opening it will say what is wrong
    if size < parallel.MIN_PARALLEL_BYTES:
        return workers
    count = workers if workers is not None else parallel.idle_cpus(cancel)
    parallel.prestart(count, default_table().lookup(model).encoding)
    return count


def validate_file(
    path: str | Path, model: str, validation_path: str | Path | None = None
) -> Report:
    """Validate ``path`` for ``model`` without progress; return the report."""
    return run_to_end(validate_path(path, model, validation_path))


__all__ = ["RowInfo", "Validator", "validate_file", "validate_path"]
