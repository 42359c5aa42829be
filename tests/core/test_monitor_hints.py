"""Hints under the plot: the overfitting warning fires only when it should; costs; header."""

from __future__ import annotations

from ftstudio.core.models import ModelTable
from ftstudio.core.monitor.header import duration_text, header_facts
from ftstudio.core.monitor.hints import (
    NO_VALIDATION,
    cost_text,
    curve_hints,
    detect_overfitting,
    training_cost,
)
from ftstudio.core.monitor.metrics import MetricSeries
from ftstudio.core.monitor.watch import JobInfo

TABLE = ModelTable(({"prefix": "gpt-4o-mini", "price_per_1m_training_tokens": 3.0},))


def curves(valid: list[float], train_falls: bool = True) -> MetricSeries:
    series = MetricSeries()
    n = len(valid)
    for i, v in enumerate(valid, 1):
        train = 3.0 - 2.0 * i / n if train_falls else 1.0 + i / n
        series.add(
            {"step": i, "total_steps": n, "train_loss": train, "full_valid_loss": v}
        )
    return series


def test_rising_validation_while_training_falls_warns_with_the_best_epoch() -> None:
    # lowest at step 4 of 12 (epoch 1 of 3), then rising for the rest of the run
    valid = [2.0, 1.6, 1.3, 1.2, 1.25, 1.3, 1.35, 1.4, 1.5, 1.6, 1.7, 1.8]
    finding = detect_overfitting(curves(valid), n_epochs=3)
    assert finding is not None
    assert finding.best_step == 4
    assert finding.best_epoch == 1
    assert "overfitting" in finding.text
    assert "fewer epochs" in finding.text
    assert curve_hints(curves(valid), 3)[0] == finding.text


def test_healthy_curves_do_not_warn() -> None:
    falling = [2.0 - 0.1 * i for i in range(12)]
    assert detect_overfitting(curves(falling), 3) is None
    assert "overfitting" not in " ".join(curve_hints(curves(falling), 3))


def test_a_short_late_blip_is_not_sustained() -> None:
    valid = [2.0 - 0.1 * i for i in range(11)] + [1.2]
    assert detect_overfitting(curves(valid), 3) is None


def test_no_warning_when_training_loss_rises_too() -> None:
    valid = [2.0, 1.5, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9]
    assert detect_overfitting(curves(valid, train_falls=False), 2) is None


def test_no_validation_file_says_so() -> None:
    series = MetricSeries()
    series.add({"step": 1, "total_steps": 2, "train_loss": 1.0})
    assert NO_VALIDATION in curve_hints(series)
    assert curve_hints(MetricSeries()) == [
        "The curves appear here once training starts."
    ]


def test_cost_at_the_price_table_rate() -> None:
    assert training_cost("ft:gpt-4o-mini:org::x", 2_000_000, TABLE) == 6.0
    assert cost_text("gpt-4o-mini", 2_000_000, TABLE) == (
        "$6.00 for 2,000,000 tokens trained"
    )
    assert training_cost("gpt-4o-mini", None, TABLE) is None
    assert "not known" in cost_text("mystery-model", 10, TABLE)


def test_header_in_words() -> None:
    series = MetricSeries()
    series.add({"step": 15, "total_steps": 30, "train_loss": 1.0})
    job = JobInfo("ftjob-1", "gpt-4o-mini", "running", created_at=1000, n_epochs=3)
    facts = header_facts(job, series, now=1100, table=TABLE)
    assert facts.status == "Training"
    assert facts.elapsed == "Elapsed 1 min 40 s"
    assert facts.step == "Step 15 of 30"
    assert facts.epoch == "Epoch 2 of 3"
    assert facts.finish == "Estimated finish in about 1 min 40 s"
    done = JobInfo(
        "ftjob-1",
        "gpt-4o-mini",
        "succeeded",
        1000,
        finished_at=1200,
        n_epochs=3,
        trained_tokens=1_000_000,
    )
    facts = header_facts(done, series, now=5000, table=TABLE)
    assert facts.elapsed == "Elapsed 3 min 20 s"
    assert facts.cost == "$3.00 for 1,000,000 tokens trained"
    assert duration_text(3900) == "1 h 05 min"


def test_running_cost_of_a_job_launched_here_grows_with_the_steps() -> None:
    job = JobInfo(
        "ftjob-2", "gpt-4o-mini", "running", 1000, n_epochs=4, billing_tokens=250_000
    )
    series = MetricSeries()
    assert header_facts(job, series, now=1010, table=TABLE).cost.startswith(
        "About $0.00 so far of $3.00 (estimate)"
    )
    series.add({"step": 10, "total_steps": 40, "train_loss": 1.0})
    # a quarter of 4 epochs × 250,000 tokens, at $3 per million
    assert header_facts(job, series, now=1100, table=TABLE).cost.startswith(
        "About $0.75 so far of $3.00 (estimate)"
    )
    unknown = JobInfo(
        "ftjob-3", "mystery", "running", 1000, n_epochs=1, billing_tokens=10
    )
    assert (
        "price of mystery not known" in header_facts(unknown, series, table=TABLE).cost
    )
    # a job launched elsewhere: nothing to estimate from until the service reports
    other = JobInfo("ftjob-4", "gpt-4o-mini", "running", 1000, n_epochs=4)
    assert "when the service reports" in header_facts(other, series, table=TABLE).cost
