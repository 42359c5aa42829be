"""``ftstudio jobs …``: the old OpenAI CLI workflow (create, list, get, follow, cancel, results)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftstudio.cli.progress import drive, say
from ftstudio.cli.service import (
    add_provider_option,
    call,
    chosen_provider,
    connect,
    drain,
    service_command,
)
from ftstudio.core.api.jobs import TERMINAL_STATUSES
from ftstudio.core.errors import ErrorKind, FtError

if TYPE_CHECKING:
    from openai.types.fine_tuning import FineTuningJob

    from ftstudio.core.api.jobs import JobUpdate

EXIT_JOB_FAILED = 1


def _when(timestamp: int | None) -> str:
    if not timestamp:
        return "-"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M")


def _job_line(job: FineTuningJob) -> str:
    model = job.fine_tuned_model or "-"
    trained = f"{job.trained_tokens:,}" if job.trained_tokens else "-"
    return f"{job.id}  {job.status:<16} {job.model:<24} {_when(job.created_at)}  {trained:>10}  {model}"


def _print_job(job: FineTuningJob, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(job.model_dump_json() + "\n")
        return
    lines = [
        f"Job        {job.id}",
        f"Status     {job.status}",
        f"Base model {job.model}",
        f"Created    {_when(job.created_at)}",
        f"Finished   {_when(job.finished_at)}",
        f"Trained    {job.trained_tokens or 0:,} tokens",
        f"Model      {job.fine_tuned_model or '(not ready yet)'}",
    ]
    if job.error and job.error.message:
        lines.append(f"Error      {job.error.message}")
    sys.stdout.write("\n".join(lines) + "\n")


def _validate_first(path: Path, model: str, validation: Path | None) -> int:
    """Refuse a file with errors; return its billing tokens per epoch."""
    from ftstudio.cli.progress import drive as drive_plain
    from ftstudio.core.validation.validator import validate_path

    report = drive_plain(validate_path(path, model, validation))
    if report.errors:
        first = next(f for f in report.findings if f.severity.value == "error")
        where = f"line {first.line}: " if first.line else ""
        msg = (
            f"{path.name} has {report.errors} error(s), so nothing was uploaded "
            f"(first: {where}{first.message}). Run 'ftstudio validate {path}' for all of them."
        )
        raise FtError(ErrorKind.INPUT, msg)
    if report.warnings:
        sys.stderr.write(
            f"ftstudio: {path.name} has {report.warnings} warning(s); launching anyway.\n"
        )
    return report.cost.billing_tokens


def _closing_note(provider: str) -> None:
    """Say how long the provider still takes new jobs, when it is closing."""
    from ftstudio.core.providers import get

    preset = get(provider)
    if preset.jobs_end is not None:
        sys.stderr.write(f"ftstudio: {preset.label}: {preset.status_line()}\n")


def _create(args: argparse.Namespace) -> int:
    from ftstudio.core.api.launch import create_job_once
    from ftstudio.core.api.upload import upload_file
    from ftstudio.core.hyperparams import check_suffix, method_payload
    from ftstudio.core.monitor.launches import record_launch
    from ftstudio.core.providers.jobfields import job_fields

    train = Path(args.file)
    valid = Path(args.validation_file) if args.validation_file else None
    for p in (train, valid):
        if p is not None and not p.is_file():
            raise FtError(ErrorKind.INPUT, f"There is no file at {p}.")
    method = method_payload(
        args.method,
        {
            "n_epochs": args.epochs,
            "batch_size": args.batch_size,
            "learning_rate_multiplier": args.learning_rate_multiplier,
            "beta": args.beta,
        },
    )
    suffix = check_suffix(args.suffix)
    provider = chosen_provider()
    extra = job_fields(
        provider,
        {
            k: getattr(args, k)
            for k in ("training_type", "lora", "lora_r", "lora_alpha", "lora_dropout")
        },
    )
    if provider == "azure":
        from ftstudio.core.providers.azure import check_suffix as azure_suffix

        azure_suffix(suffix)
    _closing_note(provider)
    billing_tokens = _validate_first(train, args.model, valid)
    client = connect()
    training = drive(upload_file(client, train))
    params: dict[str, Any] = {
        "model": args.model,
        "training_file": training.id,
        "method": method,
    }
    if valid is not None:
        params["validation_file"] = drive(upload_file(client, valid)).id
    if suffix:
        params["suffix"] = suffix
    if args.seed is not None:
        params["seed"] = args.seed
    if extra:
        params["extra_body"] = extra
    job = drain(create_job_once(client, params, source=str(train.resolve())))
    record_launch(job.id, billing_tokens)
    if not args.json:
        sys.stdout.write(
            f"Started {job.id} on {job.model}. Follow it with: ftstudio jobs follow {job.id}\n"
        )
    if args.wait:
        return _follow_job(client, job.id, args.json)
    if args.json:
        sys.stdout.write(job.model_dump_json() + "\n")
    return 0


def _follow_job(client: Any, job_id: str, as_json: bool) -> int:
    from ftstudio.core.api.jobs import follow_job
    from ftstudio.core.drive import drive as drive_core

    def show(update: JobUpdate) -> None:
        for event in update.events:
            if as_json:
                sys.stdout.write(event.model_dump_json() + "\n")
            else:
                sys.stdout.write(
                    f"{_when(event.created_at)}  {event.level:<5}  {event.message}\n"
                )
            sys.stdout.flush()

    job = drive_core(follow_job(client, job_id), on_notice=say, on_item=show)
    if not as_json:
        sys.stdout.write(
            f"Job {job.status}."
            + (f" Model: {job.fine_tuned_model}\n" if job.fine_tuned_model else "\n")
        )
    return 0 if job.status == "succeeded" else EXIT_JOB_FAILED


def _list(args: argparse.Namespace) -> int:
    client = connect()
    page = call(lambda: client.fine_tuning.jobs.list(limit=args.limit))
    jobs = list(page.data)
    if args.json:
        sys.stdout.write(json.dumps([j.model_dump(mode="json") for j in jobs]) + "\n")
    elif not jobs:
        sys.stdout.write("No fine-tuning jobs yet.\n")
    else:
        sys.stdout.write("\n".join(_job_line(j) for j in jobs) + "\n")
    return 0


def _get(args: argparse.Namespace) -> int:
    client = connect()
    _print_job(call(lambda: client.fine_tuning.jobs.retrieve(args.job_id)), args.json)
    return 0


def _follow(args: argparse.Namespace) -> int:
    return _follow_job(connect(), args.job_id, args.json)


def _action(name: str) -> Any:
    def run(args: argparse.Namespace) -> int:
        client = connect()
        method = getattr(client.fine_tuning.jobs, name)
        job = call(lambda: method(args.job_id))
        _print_job(job, args.json)
        return 0

    return run


def _results(args: argparse.Namespace) -> int:
    from ftstudio.core.api.results import decode_result_file

    client = connect()
    job = call(lambda: client.fine_tuning.jobs.retrieve(args.job_id))
    if not job.result_files:
        state = (
            "is still running"
            if job.status not in TERMINAL_STATUSES
            else f"{job.status} without results"
        )
        sys.stderr.write(
            f"ftstudio: job {job.id} {state}; there is no results file yet.\n"
        )
        return EXIT_JOB_FAILED
    content = call(lambda: client.files.content(job.result_files[0]).read())
    data = decode_result_file(content)
    if args.output in (None, "-"):
        sys.stdout.write(data.decode("utf-8", "replace"))
    else:
        from ftstudio.core.dataset.atomic import write_atomic

        out = write_atomic(Path(args.output), data)
        sys.stderr.write(f"Saved the step metrics of {job.id} to {out}.\n")
    return 0


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``jobs`` and its subcommands."""
    jobs = subparsers.add_parser(
        "jobs",
        help="launch and manage fine-tuning jobs",
        description=(
            "Launch and manage fine-tuning jobs. Uses the key and base URL saved in the "
            "studio's Settings, else OPENAI_API_KEY and OPENAI_BASE_URL (or the chosen "
            "provider's variables, e.g. AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY). Exit codes: 0 ok, "
            "1 the job failed or has no results, 2 unusable input, 4 the service refused "
            "or could not be reached."
        ),
    )
    sub = jobs.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="validate, upload and start a job")
    create.add_argument("file", metavar="FILE")
    create.add_argument("--model", required=True, metavar="M")
    create.add_argument("--validation-file", metavar="F")
    create.add_argument("--method", choices=("supervised", "dpo"), default="supervised")
    create.add_argument("--epochs", type=int, metavar="N")
    create.add_argument("--batch-size", type=int, metavar="N")
    create.add_argument("--learning-rate-multiplier", type=float, metavar="X")
    create.add_argument("--beta", type=float, metavar="X", help="DPO only")
    create.add_argument(
        "--suffix", metavar="S", help="1–64 characters added to the model name"
    )
    create.add_argument("--seed", type=int)
    create.add_argument(
        "--training-type",
        metavar="TIER",
        help="Azure only: Standard, GlobalStandard or developerTier (price and region)",
    )
    create.add_argument(
        "--lora", action="store_true", help="Nebius and local: train a LoRA adapter"
    )
    create.add_argument(
        "--lora-r", type=int, metavar="N", help="Nebius and local: the adapter's rank"
    )
    create.add_argument(
        "--lora-alpha",
        type=int,
        metavar="N",
        help="Nebius and local: the adapter's scale",
    )
    create.add_argument("--lora-dropout", type=float, metavar="X", help="Nebius only")
    create.add_argument(
        "--wait", action="store_true", help="follow the job until it ends"
    )
    create.set_defaults(func=service_command(_create))
    lst = sub.add_parser("list", help="list jobs, newest first")
    lst.add_argument("--limit", type=int, default=20)
    lst.set_defaults(func=service_command(_list))
    for name, helptext, func in (
        ("get", "show one job", _get),
        ("follow", "print the job's events until it ends", _follow),
        ("cancel", "cancel a job", _action("cancel")),
        ("pause", "pause a running job", _action("pause")),
        ("resume", "resume a paused job", _action("resume")),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("job_id", metavar="ID")
        p.set_defaults(func=service_command(func))
    results = sub.add_parser("results", help="download the step-metrics CSV")
    results.add_argument("job_id", metavar="ID")
    results.add_argument(
        "-o", "--output", metavar="FILE", help="where to save it (default: print)"
    )
    results.set_defaults(func=service_command(_results))
    for p in (
        create,
        lst,
        *[
            sub.choices[n]
            for n in ("get", "follow", "cancel", "pause", "resume", "results")
        ],
    ):
        add_provider_option(p)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.add_argument(
            "-v",
            "--verbose",
            action="store_true",
            help="show the service's error details",
        )
