"""One finding: where, which rule, how bad, and what it means in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters: errors block upload, warnings ask, info tells."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Return 0 for errors, 1 for warnings, 2 for info (sort order)."""
        return ("error", "warning", "info").index(self.value)


@dataclass(frozen=True, slots=True)
class Finding:
    """What the validator found.

    ``line`` is 1-based, or None for a finding about the whole file. ``code`` is
    stable (scripts match on it). ``fixable`` says an automatic fix exists.
    """

    line: int | None
    code: str
    severity: Severity
    message: str
    fixable: bool = False

    def to_json(self) -> dict[str, object]:
        """Return the finding as the CLI's ``--json`` output shows it."""
        return {
            "line": self.line,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "fixable": self.fixable,
        }
