"""The archive's index page: one self-contained HTML file with SVG loss curves."""

from __future__ import annotations

import csv
import io
import json
import math
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from ftstudio.core.dataset.atomic import write_atomic

if TYPE_CHECKING:
    from ftstudio.core.archive.inventory import ModelEntry

_W, _H, _PAD = 480, 200, 36
_SERIES = (
    ("train_loss", "#1f77b4", "training loss"),
    ("valid_loss", "#d62728", "validation loss"),
)


def _points(results: Path) -> dict[str, list[tuple[float, float]]]:
    found: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in _SERIES}
    try:
        text = results.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return found
    for row in csv.DictReader(io.StringIO(text)):
        clean = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        try:
            step = float(clean.get("step", ""))
        except ValueError:
            continue
        for name, points in found.items():
            try:
                value = float(clean.get(name, ""))
            except ValueError:
                continue
            if math.isfinite(value) and value >= 0:
                points.append((step, value))
    return found


def loss_svg(results: Path) -> str:
    """Return an SVG picture of the loss curves in ``results`` ('' when it has none)."""
    series = _points(results)
    every = [p for points in series.values() for p in points]
    if not every:
        return ""
    x_max = max(x for x, _ in every) or 1.0
    y_max = max(y for _, y in every) or 1.0

    def at(x: float, y: float) -> str:
        px = _PAD + (_W - 2 * _PAD) * x / x_max
        py = _H - _PAD - (_H - 2 * _PAD) * y / y_max
        return f"{px:.1f},{py:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" role="img" '
        f'aria-label="loss curves"><rect width="{_W}" height="{_H}" fill="white"/>',
        f'<line x1="{_PAD}" y1="{_H - _PAD}" x2="{_W - _PAD}" y2="{_H - _PAD}" stroke="#888"/>',
        f'<line x1="{_PAD}" y1="{_PAD}" x2="{_PAD}" y2="{_H - _PAD}" stroke="#888"/>',
        f'<text x="{_PAD}" y="{_PAD - 8}" font-size="11">loss (max {y_max:.3g})</text>',
        f'<text x="{_W - _PAD}" y="{_H - 8}" font-size="11" text-anchor="end">step {x_max:.0f}</text>',
    ]
    legend_y = _PAD
    for name, colour, label in _SERIES:
        points = series[name]
        if not points:
            continue
        path = " ".join(at(x, y) for x, y in points)
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{path}"/>'
        )
        parts.append(
            f'<text x="{_W - _PAD}" y="{legend_y}" font-size="11" fill="{colour}" '
            f'text-anchor="end">{label}</text>'
        )
        legend_y += 14
    parts.append("</svg>")
    return "".join(parts)


def _job_rows(out: Path) -> list[str]:
    rows = []
    for job_file in sorted(out.glob("*/job.json")):
        folder = job_file.parent
        try:
            job = json.loads(job_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        links = " ".join(
            f'<a href="{escape(folder.name)}/{name}">{name}</a>'
            for name in (
                "job.json",
                "events.jsonl",
                "checkpoints.json",
                "results.csv",
                "training.jsonl",
                "validation.jsonl",
            )
            if (folder / name).is_file()
        )
        picture = loss_svg(folder / "results.csv") or "<p>No step metrics.</p>"
        rows.append(
            f"<section><h3>{escape(folder.name)}: {escape(str(job.get('status')))}</h3>"
            f"<p>Base {escape(str(job.get('model')))} → "
            f"{escape(str(job.get('fine_tuned_model') or 'no model'))}</p>"
            f"<p>{links}</p>{picture}</section>"
        )
    return rows


def write_index(out: Path, models: list[ModelEntry], provider: str) -> Path:
    """Write ``index.html`` in ``out`` from what the folder holds; return its path."""
    model_rows = "".join(
        f"<tr><td>{escape(m.model)}</td><td>{escape(m.base)}</td>"
        f"<td>{escape(m.when_words)}</td><td>{escape(m.job_id)}</td></tr>"
        for m in models
    )
    body = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<title>ftstudio archive</title><style>body{font-family:sans-serif;margin:2em}"
        "td,th{padding:2px 8px;text-align:left}section{margin:1.5em 0}</style></head><body>"
        f"<h1>Fine-tuning archive ({escape(provider)})</h1>"
        "<h2>Fine-tuned models</h2><table><tr><th>Model</th><th>Base</th>"
        f"<th>Shutdown</th><th>Job</th></tr>{model_rows}</table>"
        "<h2>Jobs</h2>" + "".join(_job_rows(out)) + "</body></html>\n"
    )
    return write_atomic(out / "index.html", body.encode("utf-8"))
