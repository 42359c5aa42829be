"""A self-contained HTML report of a run: summary, comparisons, chart and every example."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ftstudio.core.dataset.atomic import atomic_file
from ftstudio.core.evaluation.scoring import JUDGE_SCALE, Metric, format_score
from ftstudio.core.evaluation.stats import distribution
from ftstudio.core.evaluation.wordiff import to_html, word_diff

if TYPE_CHECKING:
    from ftstudio.core.evaluation.table import EvalTable

COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1")
CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:6px;vertical-align:top;text-align:left}
th{background:#f3f3f3}.num{text-align:right;white-space:nowrap}.sentence{font-size:1.1em}
.reply{white-space:normal;max-width:40em}.muted{color:#666}pre{white-space:pre-wrap;background:#f7f7f7;padding:8px}
.missing{background:#f9d3cf}.extra{background:#cdeccb}
"""


def bins(metric: Metric) -> int:
    """Return how many bars the chart of ``metric`` has."""
    if metric.pass_fail:
        return 2
    return JUDGE_SCALE if metric is Metric.JUDGE else 10


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _summary(table: EvalTable, metric: Metric) -> str:
    rows = [
        "<tr><th>Model</th><th>Mean score</th><th>95% interval</th><th>Scored</th></tr>"
    ]
    for side, model in enumerate(table.models):
        s = table.summary(metric, side)
        rows.append(
            f"<tr><td>{_esc(model)}</td><td class=num>{_num(s.mean)}</td>"
            f"<td class=num>{_num(s.low)} to {_num(s.high)}</td>"
            f"<td class=num>{s.count} of {len(table.cases)}</td></tr>"
        )
    return "<table>" + "".join(rows) + "</table>"


def _comparisons(table: EvalTable, metric: Metric) -> str:
    out = []
    for second in range(1, len(table.models)):
        for first in range(second):
            c = table.comparison(metric, first, second)
            out.append(
                f"<p class=sentence>{_esc(c.sentence())}</p><p class=muted>"
                f"{_esc(c.second)} against {_esc(c.first)}: {c.wins} wins, "
                f"{c.ties} ties, {c.losses} losses; mean difference "
                f"{_num(c.difference.mean)} (95% interval {_num(c.difference.low)} "
                f"to {_num(c.difference.high)}).</p>"
            )
            wins, ties, losses = table.human_tally(c.first, c.second)
            if wins + ties + losses:
                out.append(
                    f"<p>Blind human judgement: {_esc(c.first)} preferred {wins} times, "
                    f"{_esc(c.second)} {losses} times, {ties} ties.</p>"
                )
    return "".join(out)


def chart_svg(table: EvalTable, metric: Metric) -> str:
    """Return an SVG bar chart of how many tests got each score, per model."""
    steps = bins(metric)
    series = [
        distribution([s for s in table.scores(metric, side) if s is not None], steps)
        for side in range(len(table.models))
    ]
    top = max([max(counts, default=0) for _, counts in series] + [1])
    width, height, pad = 640, 220, 30
    group = (width - 2 * pad) / steps
    bar = group * 0.8 / max(1, len(series))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 40}">'
    ]
    for side, (_, counts) in enumerate(series):
        colour = COLOURS[side % len(COLOURS)]
        for i, count in enumerate(counts):
            h = (height - pad) * count / top
            x = pad + i * group + group * 0.1 + side * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{html.escape(table.models[side])}: {count}</title></rect>'
            )
    centres = series[0][0] if series else []
    for i, centre in enumerate(centres):
        label = (
            format_score(metric, centre) if steps <= JUDGE_SCALE else f"{centre:.2f}"
        )
        x = pad + (i + 0.5) * group
        parts.append(
            f'<text x="{x:.1f}" y="{height + 16}" font-size="11" text-anchor="middle">{html.escape(label)}</text>'
        )
    for side, model in enumerate(table.models):
        parts.append(
            f'<text x="{pad + side * 160}" y="{height + 34}" font-size="12" '
            f'fill="{COLOURS[side % len(COLOURS)]}">■ {html.escape(model[:24])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _examples(table: EvalTable, metric: Metric) -> str:
    head = "<tr><th>#</th><th>Question</th><th>Expected</th>" + "".join(
        f"<th>{_esc(m)}</th>" for m in table.models
    )
    rows = [head + "</tr>"]
    for case in table.cases:
        cells = [
            f"<td class=num>{case.row + 1}</td><td>{_esc(case.question)}</td><td>{_esc(case.expected)}</td>"
        ]
        for side in range(len(table.models)):
            answer = table.answers.get((case.row, side))
            if answer is None:
                body = "<span class=muted>not answered</span>"
            elif answer.error:
                body = f"<span class=muted>no reply: {_esc(answer.error)}</span>"
            else:
                body = to_html(word_diff(case.expected, answer.reply)[1])
            shown = format_score(metric, table.score_of(metric, case.row, side))
            reason = table.reason(case.row, side) if metric is Metric.JUDGE else ""
            note = f"<br><span class=muted>{_esc(reason)}</span>" if reason else ""
            cells.append(f"<td class=reply><b>{_esc(shown)}</b>{note}<br>{body}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>" + "".join(rows) + "</table>"


def _grader(table: EvalTable) -> str:
    if not table.judge:
        return ""
    j = table.judge
    return (
        f"<h2>Grader</h2><p>Model <b>{_esc(str(j.get('judge_model', '')))}</b>, "
        f"temperature {j.get('temperature')}.</p><details><summary>Rubric and prompt</summary>"
        f"<pre>{html.escape(str(j.get('system_prompt', '')))}</pre>"
        f"<pre>{html.escape(str(j.get('user_template', '')))}</pre></details>"
    )


def write_report(table: EvalTable, metric: Metric, path: Path, title: str = "") -> Path:
    """Write the report of ``table`` scored by ``metric`` as one HTML file with no links out."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    name = _esc(title or "Evaluation")
    page = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{name}</title>"
        f"<style>{CSS}</style></head><body><h1>{name}</h1>"
        f"<p class=muted>{len(table.cases)} tests · {_esc(metric.description)} · {when}</p>"
        f"<h2>Summary</h2>{_summary(table, metric)}{_comparisons(table, metric)}"
        f"<h2>How the scores spread</h2>{chart_svg(table, metric)}{_grader(table)}"
        f"<h2>Every example</h2><p class=muted>Words not in the expected answer are "
        f"<span class=extra>green</span>.</p>{_examples(table, metric)}</body></html>"
    )
    with atomic_file(path) as out:
        out.write(page.encode("utf-8"))
    return path
