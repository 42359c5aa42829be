"""Per-key validation results in compact arrays (findings only for lines that have some).

A store key identifies unchanged line content, so a result stays valid for as
long as its key exists. Arrays are indexed by key and grow by swapping in a
bigger copy under a lock, so readers on another thread always see whole arrays.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ftstudio.core.validation.findings import Finding
from ftstudio.core.validation.linecheck import NO_SEVERITY, LineResult

NOT_DONE = -1


@dataclass(frozen=True)
class Columns:
    """One block of results for consecutive lines, as arrays (from a worker)."""

    cls: npt.NDArray[np.int8]
    rank: npt.NDArray[np.int8]
    messages: npt.NDArray[np.int32]
    tokens: npt.NDArray[np.int64]
    assistant: npt.NDArray[np.int64]
    digest: npt.NDArray[np.int64]
    findings: dict[int, tuple[Finding, ...]]
    """Offset within the block → that line's findings."""
    flags: npt.NDArray[np.int8]
    prompt: npt.NDArray[np.int64]
    completion: npt.NDArray[np.int64]

    @classmethod
    def of(cls, results: Sequence[LineResult]) -> Columns:
        """Pack per-line results into arrays."""
        return cls(
            np.fromiter((r.cls for r in results), np.int8, len(results)),
            np.fromiter((r.rank for r in results), np.int8, len(results)),
            np.fromiter((r.messages for r in results), np.int32, len(results)),
            np.fromiter((r.tokens for r in results), np.int64, len(results)),
            np.fromiter((r.assistant for r in results), np.int64, len(results)),
            np.fromiter((r.digest for r in results), np.int64, len(results)),
            {i: r.findings for i, r in enumerate(results) if r.findings},
            np.fromiter((r.flags for r in results), np.int8, len(results)),
            np.fromiter((r.prompt for r in results), np.int64, len(results)),
            np.fromiter((r.completion for r in results), np.int64, len(results)),
        )


class KeyResults:
    """Validation results of every key seen so far, thread-safe for one writer."""

    def __init__(self, capacity: int = 0) -> None:
        self._lock = threading.Lock()
        self.findings: dict[int, tuple[Finding, ...]] = {}
        self._alloc(max(capacity, 16))

    def _alloc(self, size: int) -> None:
        self.cls = np.full(size, NOT_DONE, np.int8)
        self.rank = np.full(size, NO_SEVERITY, np.int8)
        self.extra_rank = np.full(size, NO_SEVERITY, np.int8)
        """Worst file-level finding on the key (duplicate, over limit…) at the last report."""
        self.messages = np.zeros(size, np.int32)
        self.tokens = np.zeros(size, np.int64)
        self.assistant = np.zeros(size, np.int64)
        self.digest = np.zeros(size, np.int64)
        self.flags = np.zeros(size, np.int8)
        """Bits of :attr:`LineResult.flags` (estimate, images, foreign format)."""
        self.prompt = np.zeros(size, np.int64)
        self.completion = np.zeros(size, np.int64)

    def reset(self) -> None:
        """Forget everything (the tokenizer changed)."""
        with self._lock:
            self.findings = {}
            self._alloc(len(self.cls))

    def ensure(self, size: int) -> None:
        """Make room for keys below ``size``."""
        if size <= len(self.cls):
            return
        with self._lock:
            old = len(self.cls)
            new = max(size, old * 2)
            for name, fill in (
                ("cls", NOT_DONE),
                ("rank", NO_SEVERITY),
                ("extra_rank", NO_SEVERITY),
                ("messages", 0),
                ("tokens", 0),
                ("assistant", 0),
                ("digest", 0),
                ("flags", 0),
                ("prompt", 0),
                ("completion", 0),
            ):
                arr = getattr(self, name)
                grown = np.full(new, fill, arr.dtype)
                grown[:old] = arr
                setattr(self, name, grown)

    def pending(self, keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Return the keys among ``keys`` not validated yet (each once, sorted)."""
        self.ensure(int(keys.max()) + 1 if len(keys) else 0)
        return np.unique(keys[self.cls[keys] == NOT_DONE])

    def put(self, key: int, result: LineResult) -> None:
        """Store the result of one line."""
        with self._lock:
            if result.findings:
                self.findings[key] = result.findings
            self.rank[key] = result.rank
            self.messages[key] = result.messages
            self.tokens[key] = result.tokens
            self.assistant[key] = result.assistant
            self.digest[key] = result.digest
            self.flags[key] = result.flags
            self.prompt[key] = result.prompt
            self.completion[key] = result.completion
            self.cls[key] = result.cls  # last: marks the key done

    def put_block(self, keys: npt.NDArray[np.int64], block: Columns) -> None:
        """Store results for ``keys`` (``block`` is in the same order)."""
        with self._lock:
            for offset, found in block.findings.items():
                self.findings[int(keys[offset])] = found
            self.rank[keys] = block.rank
            self.messages[keys] = block.messages
            self.tokens[keys] = block.tokens
            self.assistant[keys] = block.assistant
            self.digest[keys] = block.digest
            self.flags[keys] = block.flags
            self.prompt[keys] = block.prompt
            self.completion[keys] = block.completion
            self.cls[keys] = block.cls

    def forget(self, keys: npt.NDArray[np.int64]) -> None:
        """Mark ``keys`` as not validated (their results came from stale bytes)."""
        with self._lock:
            self.cls[keys] = NOT_DONE
            for key in keys.tolist():
                self.findings.pop(key, None)

    def findings_of(self, key: int) -> tuple[Finding, ...]:
        """Return the line-local findings of ``key`` (no line numbers)."""
        return self.findings.get(key, ())
