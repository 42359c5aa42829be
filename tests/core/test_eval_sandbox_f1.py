"""On the sandbox, a model fine-tuned on a file scores clearly above its base by F1."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from ftstudio.core.evaluation.scoring import Metric
from ftstudio.core.evaluation.session import evaluate
from ftstudio.core.evaluation.testfile import read_cases
from ftstudio.core.progress import run_to_end
from ftstudio.core.samples import get_sample
from tests.core.chat_sandbox import BASE


def fine_tune(client: Any, path: Path) -> str:
    uploaded = client.files.create(file=path, purpose="fine-tune")
    job = client.fine_tuning.jobs.create(model=BASE, training_file=uploaded.id)
    deadline = time.monotonic() + 30
    while job.status != "succeeded":
        assert job.status not in {"failed", "cancelled"}, job.status
        assert time.monotonic() < deadline, f"job still {job.status}"
        time.sleep(0.05)
        job = client.fine_tuning.jobs.retrieve(job.id)
    return str(job.fine_tuned_model)


@pytest.mark.slow
def test_tuned_scores_clearly_above_base_on_its_training_prompts(
    chat_client: Any,
) -> None:
    training = get_sample("customer_support.jsonl").path
    tuned = fine_tune(chat_client, training)
    cases = read_cases(training)
    table = run_to_end(evaluate(chat_client, cases, [BASE, tuned], concurrency=8))
    base, mine = table.summary(Metric.F1, 0), table.summary(Metric.F1, 1)
    assert base.mean is not None
    assert mine.mean is not None
    assert base.high is not None
    assert mine.low is not None
    assert mine.mean > 0.9
    assert base.mean < 0.2
    assert mine.low > base.high  # the intervals do not even overlap
    verdict = table.comparison(Metric.F1, 0, 1)
    assert verdict.wins == len(cases)
    assert verdict.sentence() == (
        f"{tuned} is better than {BASE} on {len(cases)} of {len(cases)} examples; "
        "the difference is larger than chance."
    )
    # ROUGE-L tells them apart as well
    assert (
        table.summary(Metric.ROUGE, 1).mean > table.summary(Metric.ROUGE, 0).mean + 0.5
    )  # type: ignore[operator]
