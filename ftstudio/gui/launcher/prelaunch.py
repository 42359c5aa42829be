"""What is checked before anything is uploaded (no Qt): findings, format, overlap, cost."""

from __future__ import annotations

from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ftstudio.core.cost import CostEstimate
from ftstudio.core.progress import Progress
from ftstudio.core.validation.findings import Finding, Severity

if TYPE_CHECKING:
    from ftstudio.core.cancel import CancelToken
    from ftstudio.core.validation.report import Report

OVERLAP_CODE = "train_validation_overlap"
LOCAL_UNKNOWN = "unknown_model"
"""A model on this computer is not in ftstudio's table of OpenAI models: no warning."""
_SIZE_CODES = frozenset({"too_few_examples", "few_examples"})


def _first(findings: Iterable[Finding]) -> str:
    """Return " (first: line N: message)" for the first error, or ""."""
    for finding in findings:
        if finding.severity is Severity.ERROR:
            where = f"line {finding.line:,}: " if finding.line else ""
            return f" (first: {where}{finding.message})"
    return ""


@dataclass(frozen=True)
class CheckInputs:
    """What a check was run on; a later launch reuses the check only if these match."""

    training: Path
    validation: Path | None
    model: str
    method: str
    stamp: tuple[int, int, int, int] = (0, 0, 0, 0)
    local: bool = False
    """The job trains on this computer (the model is a folder, not an OpenAI name)."""

    @classmethod
    def of(
        cls,
        training: Path,
        validation: Path | None,
        model: str,
        method: str,
        local: bool = False,
    ) -> CheckInputs:
        """Return the inputs with each file's size and change time (a later edit differs)."""
        stamp: list[int] = []
        for path in (training, validation):
            try:
                info = path.stat() if path is not None else None
            except OSError:
                info = None
            stamp += [info.st_size, info.st_mtime_ns] if info else [0, 0]
        return cls(
            training,
            validation,
            model,
            method,
            (stamp[0], stamp[1], stamp[2], stamp[3]),
            local,
        )


@dataclass(frozen=True)
class CheckResult:
    """The outcome: what blocks the launch, what to confirm, and the cost."""

    inputs: CheckInputs
    report: Report
    blocking: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: int = 0

    @property
    def ok(self) -> bool:
        """Whether nothing blocks the launch."""
        return not self.blocking

    def cost(self, epochs: int | None) -> CostEstimate:
        """Return the cost for ``epochs`` (None: the number "auto" picks)."""
        base = self.report.cost
        return CostEstimate(
            base.billing_tokens, epochs or base.epochs, base.price_per_1m
        )


def _format_problem(method: str, fmt: str) -> str | None:
    if method == "dpo" and fmt != "preference":
        return (
            "Preference training (DPO) needs a preference file: each line holds an "
            "input with a preferred and a non-preferred answer. This file is in "
            f"{fmt} format: choose supervised training, or use a preference file."
        )
    if method == "supervised" and fmt == "preference":
        return (
            "This is a preference file (preferred and non-preferred answers): "
            "choose preference training (DPO) for it."
        )
    return None


def run_checks(
    inputs: CheckInputs, cancel: CancelToken
) -> Generator[Progress, None, CheckResult]:
    """Validate the training file (and the validation file, and their overlap)."""
    from ftstudio.core.validation.validator import validate_path

    report = yield from validate_path(
        inputs.training, inputs.model, inputs.validation, cancel
    )
    blocking: list[str] = []
    warnings: list[str] = []
    name = inputs.training.name
    if report.errors:
        blocking.append(
            f"{name} has {report.errors:,} error(s) that the service would refuse"
            f"{_first(report.findings)}. Fix them before launching."
        )
    problem = _format_problem(inputs.method, str(report.format))
    if problem:
        blocking.append(problem)
    overlap = sum(1 for f in report.findings if f.code == OVERLAP_CODE)
    unknown = sum(1 for f in report.findings if f.code == LOCAL_UNKNOWN)
    others = report.warnings - overlap - (unknown if inputs.local else 0)
    if others:
        warnings.append(f"{name} has {others:,} warning(s).")
    if overlap:
        warnings.append(
            f"{overlap:,} training example(s) are also in the validation file, so the "
            "validation score will look better than it is."
        )
    errors = report.errors
    if inputs.validation is not None:
        other = yield from validate_path(inputs.validation, inputs.model, None, cancel)
        # the service sets no minimum size for a validation file
        found = [f for f in other.findings if f.code not in _SIZE_CODES]
        verrors = sum(1 for f in found if f.severity is Severity.ERROR)
        vwarnings = sum(1 for f in found if f.severity is Severity.WARNING)
        vname = inputs.validation.name
        errors += verrors
        if verrors:
            blocking.append(
                f"The validation file {vname} has {verrors:,} error(s){_first(found)}. "
                "Fix them before launching."
            )
        if vwarnings:
            warnings.append(
                f"The validation file {vname} has {vwarnings:,} warning(s)."
            )
    return CheckResult(inputs, report, blocking, warnings, errors)
