"""Metrics by step: no duplicates, reconcile with the results CSV, smoothing, epochs."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from ftstudio.core.api.results import decode_result_file
from ftstudio.core.monitor.metrics import (
    MetricSeries,
    epoch_at,
    epoch_boundaries,
    moving_average,
    reconcile,
)


def metrics_event(step: int, loss: float, **extra: float) -> dict[str, object]:
    data: dict[str, object] = {
        "step": step,
        "total_steps": 10,
        "train_loss": loss,
        "train_mean_token_accuracy": 1 - loss / 4,
        **extra,
    }
    return {"type": "metrics", "data": data}


def test_an_event_that_arrives_twice_is_plotted_once() -> None:
    series = MetricSeries()
    events = [metrics_event(s, 3.0 - s * 0.1) for s in (1, 2, 3)]
    assert series.add_events(events) == 3
    assert series.add_events(events[1:]) == 0
    steps, values = series.arrays("train_loss")
    assert steps.tolist() == [1.0, 2.0, 3.0]
    assert values.tolist() == pytest.approx([2.9, 2.8, 2.7])
    assert series.total_steps == 10


def test_message_events_and_bad_data_are_ignored() -> None:
    series = MetricSeries()
    added = series.add_events(
        [
            {"type": "message", "data": {"step": 1, "train_loss": 1.0}},
            {"type": "metrics", "data": {"step": "two", "train_loss": 1.0}},
            {"type": "metrics", "data": None},
            metrics_event(4, 1.0, valid_loss=float("nan")),
        ]
    )
    assert added == 1
    assert series.steps == [4]
    assert not series.has("valid_loss")


def test_a_late_step_lands_in_order() -> None:
    series = MetricSeries()
    series.add_events([metrics_event(s, float(s)) for s in (1, 2, 4, 5)])
    series.add_events([metrics_event(3, 3.0)])
    assert series.steps == [1, 2, 3, 4, 5]
    assert series.arrays("train_loss")[1].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert series.value("train_loss", 3) == 3.0


def test_sparse_validation_points_keep_their_own_steps() -> None:
    series = MetricSeries()
    series.add_events(
        [
            metrics_event(s, 2.0, valid_loss=2.5) if s % 2 else metrics_event(s, 2.0)
            for s in range(1, 7)
        ]
    )
    steps, values = series.arrays("valid_loss")
    assert steps.tolist() == [1.0, 3.0, 5.0]
    assert values.tolist() == [2.5, 2.5, 2.5]


def test_reconcile_fills_what_the_events_missed_from_a_base64_csv() -> None:
    series = MetricSeries()
    series.add_events([metrics_event(1, 2.0), metrics_event(3, 1.5)])
    csv = (
        b"step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n"
        b"1,2.0,0.5,,\n2,1.8,0.55,1.9,0.52\n3,1.5,0.625,,\n"
    )
    result = reconcile(series, decode_result_file(base64.b64encode(csv)))
    assert result.added == 1
    assert series.steps == [1, 2, 3]
    assert series.value("valid_loss", 2) == 1.9
    assert series.value("train_mean_token_accuracy", 2) == 0.55
    # a second pass changes nothing
    assert reconcile(series, csv) == type(result)(0, 0)


def test_csv_export_round_trips_the_points() -> None:
    series = MetricSeries()
    series.add_events([metrics_event(1, 2.0, valid_loss=2.2), metrics_event(2, 1.0)])
    lines = series.to_csv().decode().splitlines()
    assert lines[0].split(",")[:3] == ["step", "train_loss", "valid_loss"]
    assert lines[1].startswith("1,2.0,2.2,")
    assert lines[2].startswith("2,1.0,,")
    again = MetricSeries()
    reconcile(again, series.to_csv())
    assert again.steps == [1, 2]
    assert again.value("valid_loss", 1) == 2.2


def test_moving_average_smooths_without_shifting_the_start() -> None:
    values = np.array([1.0, 3.0, 1.0, 3.0, 1.0, 3.0])
    smooth = moving_average(values, 2)
    assert smooth.tolist() == [1.0, 2.0, 2.0, 2.0, 2.0, 2.0]
    assert moving_average(values, 1) is values
    assert moving_average(np.zeros(0), 5).size == 0


def test_epoch_boundaries_and_epoch_of_a_step() -> None:
    assert epoch_boundaries(30, 3) == [10.0, 20.0]
    assert epoch_boundaries(30, 1) == []
    assert epoch_boundaries(None, 3) == []
    assert [epoch_at(s, 30, 3) for s in (1, 10, 11, 30)] == [1, 1, 2, 3]
    assert epoch_at(5, None, 3) is None


def test_hover_text_names_the_nearest_step_and_its_values() -> None:
    from ftstudio.core.monitor.metrics import step_summary

    series = MetricSeries()
    assert step_summary(series, 3.0) is None
    series.add_events([metrics_event(s, 1.0, valid_loss=1.5) for s in (2, 4, 6)])
    summary = step_summary(series, 4.8)
    assert summary is not None
    step, text = summary
    assert step == 4
    assert text.startswith("Step 4 of 10: training loss 1.0000, validation loss 1.5000")
    assert step_summary(series, 100.0) is not None
    assert step_summary(series, -5.0) == (2, step_summary(series, 2.0)[1])  # type: ignore[index]


def test_thousands_of_steps_in_any_order_stay_sorted_and_unique() -> None:
    import random

    steps = list(range(1, 3001))
    random.Random(4).shuffle(steps)
    series = MetricSeries()
    for step in steps + steps[:100]:
        series.add({"step": step, "train_loss": step / 10})
    assert series.steps == list(range(1, 3001))
    xs, ys = series.arrays("train_loss")
    assert (ys == xs / 10).all()
    assert series.value("train_loss", 1234) == 123.4


def test_a_block_adds_like_one_event_at_a_time_and_never_duplicates() -> None:
    from ftstudio.core.monitor.metrics import metric_block

    events = [
        metrics_event(s, 3.0 - s / 10, valid_loss=2.0)
        if s % 3 == 0
        else metrics_event(s, 3.0 - s / 10)
        for s in range(1, 9)
    ]
    one_by_one = MetricSeries()
    one_by_one.add_events(events)
    blocks = MetricSeries()
    assert blocks.add_block(metric_block(events[:5])) == 5
    # a poll that overlaps what came before (an answer lost after the server sent it)
    assert blocks.add_block(metric_block(events[3:])) == 3
    assert blocks.add_block(metric_block(events)) == 0
    assert blocks.add_block(metric_block([])) == 0
    assert blocks.steps == one_by_one.steps
    assert blocks.total_steps == 10
    for name in ("train_loss", "valid_loss", "train_mean_token_accuracy"):
        assert blocks.arrays(name)[0].tolist() == one_by_one.arrays(name)[0].tolist()
        assert blocks.arrays(name)[1].tolist() == one_by_one.arrays(name)[1].tolist()
    assert blocks.to_csv() == one_by_one.to_csv()
