"""``ftstudio --self-test``: prove an installed or frozen app has all it needs.

It checks the bundled resources, loads both tokenizers, validates the samples,
runs one tiny job through the offline sandbox with the official ``openai`` SDK,
and reports where API keys would be kept and whether the certificate store loads
(report only: the sandbox needs neither). Qt-free, so it runs
where no display exists. Exit code 0 with a one-line summary, or 1 with the
reason of the first step that failed.
"""

from __future__ import annotations

import argparse
import logging
import ssl
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ftstudio import __version__
from ftstudio.core.errors import FtError
from ftstudio.core.validation.findings import Severity

if TYPE_CHECKING:
    import httpx2
    import openai

    from ftstudio.core.validation.report import Report

_log = logging.getLogger(__name__)

MODEL = "gpt-4o-mini-2024-07-18"
SAMPLES = "samples"
CLEAN, MISTAKES, HELD_OUT = (
    "customer_support.jsonl",
    "customer_support_mistakes.jsonl",
    "customer_support_validation.jsonl",
)
# Lines of the mistakes sample that must be errors (see resources/samples/README.md):
# invalid JSON, no assistant message, weight 2, unknown role, empty content, blank.
MISTAKE_ERROR_LINES = frozenset({2, 4, 5, 6, 7, 10})
# Icons the window and tabs use (resources/icons); ftstudio.svg is the app icon.
REQUIRED_ICONS = frozenset(
    [
        "ftstudio",
        "launch",
        "chat",
        "open",
        "save",
        "new",
        "undo",
        "redo",
        "add",
        "delete",
        "duplicate",
        "up",
        "down",
        "error",
        "warning",
        "ok",
        "info",
        "find",
        "filter",
        "fix",
        "import",
        "split",
        "chart",
        "cost",
        "dataset",
        "validator",
        "settings",
        "cancel",
    ]
)
JOB_TIMEOUT_S = 60.0
FAKE_KEY = "sandbox-self-test-key"


class SelfTestError(Exception):
    """One step of the self-test failed; the message says why in plain words."""


@dataclass
class SelfTestResult:
    """What the self-test did: one short note per step, or the failure."""

    notes: list[str] = field(default_factory=list)
    failure: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether every step passed."""
        return self.failure is None

    def summary(self) -> str:
        """Return the one line the command prints."""
        head = f"ftstudio {__version__} self-test"
        if self.failure is not None:
            return f"{head} FAILED: {self.failure}"
        return f"{head} passed in {self.seconds:.1f} s: " + "; ".join(self.notes)


def check_resources() -> str:
    """Check that the bundled price table, icons and samples are all there."""
    from ftstudio.core.models import ModelTable
    from ftstudio.core.resources import resources_dir
    from ftstudio.core.samples import SAMPLES as SAMPLE_LIST

    folder = resources_dir()
    icons = folder / "icons"
    missing = [
        f"icons/{n}.svg" for n in REQUIRED_ICONS if not (icons / f"{n}.svg").is_file()
    ]
    missing += [f"samples/{s.name}" for s in SAMPLE_LIST if not s.path.is_file()]
    if missing:
        raise SelfTestError(f"missing from {folder}: {', '.join(sorted(missing))}")
    table = ModelTable.load()
    if table.lookup(MODEL).price_per_1m is None:
        raise SelfTestError(f"the price table in {folder} has no price for {MODEL}")
    return f"resources in {folder} ({len(table.entries)} models, {len(REQUIRED_ICONS)} icons)"


def check_encodings() -> str:
    """Build both tokenizers from the bundled files and encode a sentence."""
    from ftstudio.core.tokens.encodings import SPECS, get_encoding

    for name in SPECS:
        tokens = get_encoding(name).encode("Where is my order?")
        if not tokens:
            raise SelfTestError(f"the {name} tokenizer produced no tokens")
    return f"{len(SPECS)} tokenizers"


def _validate(path: Path) -> Report:
    from ftstudio.core.validation.validator import validate_file

    return validate_file(path, MODEL)


def check_samples(samples: Path) -> str:
    """Validate the samples: the clean ones have no errors, the mistakes are found."""
    for name in (CLEAN, HELD_OUT):
        report = _validate(samples / name)
        if report.errors:
            first = next(f for f in report.findings if f.severity is Severity.ERROR)
            where = f"line {first.line}: " if first.line else ""
            msg = f"the sample {name} should be clean but has {report.errors} error(s) ({where}{first.message})"
            raise SelfTestError(msg)
    report = _validate(samples / MISTAKES)
    error_lines = {f.line for f in report.findings if f.severity is Severity.ERROR}
    missed = sorted(MISTAKE_ERROR_LINES - error_lines)
    if missed:
        lines = ", ".join(map(str, missed))
        raise SelfTestError(f"the validator missed the mistakes on line(s) {lines}")
    return f"samples validated ({report.errors} errors found in the mistakes sample)"


def _loopback_http_client() -> httpx2.Client:
    """Return an HTTP client for the loopback sandbox that needs no certificates.

    The SDK's default client loads the certificate store when it is built, and
    raises FileNotFoundError if SSL_CERT_FILE names a missing file, even for a
    plain-HTTP URL. The sandbox speaks plain HTTP on 127.0.0.1, so an empty
    (still verifying) TLS context keeps the self-test independent of the store;
    the certificate step reports on the store separately.
    """
    import httpx2

    return httpx2.Client(verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))


def _train(client: openai.OpenAI, training: Path) -> str:
    """Upload ``training``, start a job and wait for it; return the model name."""
    with training.open("rb") as fh:
        uploaded = client.files.create(file=fh, purpose="fine-tune")
    job = client.fine_tuning.jobs.create(
        training_file=uploaded.id, model=MODEL, suffix="selftest"
    )
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while job.status not in ("succeeded", "failed", "cancelled"):
        if time.monotonic() > deadline:
            msg = f"the sandbox job did not finish within {JOB_TIMEOUT_S:.0f} s (status {job.status})"
            raise SelfTestError(msg)
        time.sleep(0.1)
        job = client.fine_tuning.jobs.retrieve(job.id)
    if job.status != "succeeded":
        reason = job.error.message if job.error else "no reason given"
        raise SelfTestError(f"the sandbox job {job.status}: {reason}")
    return job.fine_tuned_model or "no model name"


def run_sandbox_job(training: Path, speed: float = 100.0) -> str:
    """Run one fine-tuning job through the offline sandbox with the openai SDK."""
    import openai

    from ftstudio.sandbox.server import SandboxServer

    with tempfile.TemporaryDirectory(prefix="ftstudio-selftest-") as data_dir:
        server = SandboxServer(Path(data_dir), api_key=FAKE_KEY, speed=speed)
        base_url = server.start()
        try:
            with (
                _loopback_http_client() as http,
                openai.OpenAI(
                    api_key=FAKE_KEY,
                    base_url=base_url,
                    max_retries=0,
                    timeout=10.0,
                    http_client=http,
                ) as client,
            ):
                model = _train(client, training)
        except openai.OpenAIError as exc:
            msg = (
                f"the sandbox did not answer as expected ({type(exc).__name__}: {exc})"
            )
            raise SelfTestError(msg) from exc
        finally:
            server.stop()
    return f"sandbox job succeeded ({model})"


def check_tls() -> str:
    """Report whether HTTPS to OpenAI could work (never fails the self-test)."""
    from ftstudio.core.tls import check_certificates

    check = check_certificates()
    if check.ok:
        return "certificates ok"
    # Report only: the sandbox and every offline feature work without them.
    return f"WARNING certificates missing ({check.detail}); {check.message}"


def check_key_store() -> str:
    """Report where API keys would be kept (never fails; reads no key)."""
    from ftstudio.core.secrets import SecretStore

    # In a frozen app keyring finds its backends through bundled package
    # metadata; this line shows whether that worked on this computer.
    return f"key store: {SecretStore().backend_name}"


def run_self_test(speed: float = 100.0) -> SelfTestResult:
    """Run every step in order and stop at the first failure."""
    from ftstudio.core.resources import resources_dir

    result = SelfTestResult()
    started = time.perf_counter()
    steps: list[tuple[str, Callable[[], str]]] = [
        ("resources", check_resources),
        ("tokenizers", check_encodings),
        ("samples", lambda: check_samples(resources_dir() / SAMPLES)),
        ("sandbox", lambda: run_sandbox_job(resources_dir() / SAMPLES / CLEAN, speed)),
        ("key store", check_key_store),
        ("certificates", check_tls),
    ]
    for name, step in steps:
        try:
            result.notes.append(step())
        except SelfTestError as exc:
            result.failure = f"{name}: {exc}"
        except FtError as exc:
            result.failure = f"{name}: {exc.message} {exc.detail}".strip()
        except Exception as exc:
            # A frozen bundle that misses a module or a file ends up here; the
            # self-test exists to name such problems, not to show a traceback.
            result.failure = f"{name}: {type(exc).__name__}: {exc}"
        if result.failure is not None:
            _log.debug("self-test step %s failed", name, exc_info=True)
            break
    result.seconds = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    """Run ``ftstudio --self-test`` and return its exit code (0 passed, 1 failed)."""
    parser = argparse.ArgumentParser(
        prog="ftstudio --self-test",
        description="Check that the app has everything it needs.",
    )
    parser.add_argument(
        "--speed", type=float, default=100.0, help="sandbox time factor"
    )
    args = parser.parse_args(argv)
    result = run_self_test(speed=args.speed)
    # A windowed Windows app has no console: sys.stdout is None there.
    stream = out or (sys.stdout if result.ok else sys.stderr)
    if stream is not None:
        stream.write(result.summary() + "\n")
        stream.flush()
    return 0 if result.ok else 1
