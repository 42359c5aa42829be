"""Evaluation speed and what it tells: scoring, intervals, report; base vs fine-tuned.

Run: ``.venv/bin/python bench/eval_bench.py [--rows 2000] [--models 3] [--runs 5]``.

Part 1 (speed) scores ``--rows`` generated support-style answers for each of
``--models`` models and prints each metric's time as a ratio against exact match
(the pass/fail baseline that was all there was), then the time of the summary
(mean + 95% bootstrap interval per model, every pairwise comparison) and of the
HTML report. Median of ``--runs``; the F1/ROUGE score cache is cleared per run.

Part 2 (``--sandbox``) fine-tunes gpt-4o-mini on the shipped customer-support
sample in the sandbox, then scores base and fine-tuned model by F1 and ROUGE-L on
that file's prompts and on its held-out validation file.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ftstudio.core.evaluation.report import write_report
from ftstudio.core.evaluation.results import Answer
from ftstudio.core.evaluation.scoring import Metric
from ftstudio.core.evaluation.table import EvalTable
from ftstudio.core.evaluation.testfile import Case

WORDS = [
    "order",
    "ship",
    "refund",
    "days",
    "tent",
    "boots",
    "return",
    "label",
    "warehouse",
    "tracking",
    "account",
    "size",
    "exchange",
    "colour",
    "store",
    "voucher",
    "parcel",
    "delivery",
    "weekend",
    "stock",
    "price",
]


def make_table(rows: int, models: int, seed: int = 7) -> EvalTable:
    rng = random.Random(seed)
    cases, answers = [], {}
    for row in range(rows):
        expected = " ".join(rng.choices(WORDS, k=rng.randint(12, 60)))
        cases.append(Case(row, ({"role": "user", "content": f"q {row}"},), expected))
        for side in range(models):
            words = expected.split()
            keep = [w for w in words if rng.random() < 0.4 + 0.25 * side]
            noise = rng.choices(WORDS, k=rng.randint(0, 20))
            answers[(row, side)] = Answer(row, side, " ".join(keep + noise))
    return EvalTable(cases, [f"model-{i}" for i in range(models)], answers)


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def speed(rows: int, models: int, runs: int) -> None:
    table = make_table(rows, models)

    def scoring(metric: Metric) -> Callable[[], object]:
        def run() -> object:
            table.forget_scores()
            return [table.scores(metric, side) for side in range(models)]

        return run

    table.scores(Metric.ROUGE, 0)  # import rouge-score once, outside the timing
    base = median_time(scoring(Metric.EXACT), runs)
    print(f"{rows} rows x {models} models, median of {runs}")
    print(f"  score exact (baseline)   {base * 1000:8.1f} ms  1.00")
    for metric in (Metric.CONTAINS, Metric.F1, Metric.ROUGE):
        t = median_time(scoring(metric), runs)
        print(f"  score {metric.value:<18} {t * 1000:8.1f} ms  {t / base:5.2f}")
    scoring(Metric.F1)()  # scores cached, as in the window

    def summary() -> object:
        out: list[object] = [table.summary(Metric.F1, s) for s in range(models)]
        out += [
            table.comparison(Metric.F1, a, b) for b in range(models) for a in range(b)
        ]
        return out

    t = median_time(summary, runs)
    print(f"  summary + comparisons    {t * 1000:8.1f} ms  {t / base:5.2f}")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "r.html"
        t = median_time(lambda: write_report(table, Metric.F1, out), runs)
        size = out.stat().st_size / 1e6
    print(f"  HTML report ({size:.1f} MB)    {t * 1000:8.1f} ms  {t / base:5.2f}")


def sandbox() -> None:
    import openai

    from ftstudio.core.evaluation.session import evaluate
    from ftstudio.core.evaluation.testfile import read_cases
    from ftstudio.core.progress import run_to_end
    from ftstudio.core.samples import get_sample
    from ftstudio.sandbox.server import SandboxServer

    key = "sk-test-fake-bench"
    train = get_sample("customer_support.jsonl").path
    valid = get_sample("customer_support_validation.jsonl").path
    with (
        tempfile.TemporaryDirectory() as folder,
        SandboxServer(Path(folder), api_key=key, speed=1000) as srv,
        openai.OpenAI(base_url=srv.base_url, api_key=key) as client,
    ):
        uploaded = client.files.create(file=train, purpose="fine-tune")
        job = client.fine_tuning.jobs.create(
            model="gpt-4o-mini", training_file=uploaded.id
        )
        while job.status != "succeeded":
            time.sleep(0.05)
            job = client.fine_tuning.jobs.retrieve(job.id)
        models = ["gpt-4o-mini", str(job.fine_tuned_model)]
        for title, path in (("training prompts", train), ("validation file", valid)):
            cases = read_cases(path)
            table = run_to_end(evaluate(client, cases, models, concurrency=8))
            print(f"{title} ({len(cases)} examples)")
            for metric in (Metric.F1, Metric.ROUGE):
                for side, name in enumerate(("base", "fine-tuned")):
                    s = table.summary(metric, side)
                    print(
                        f"  {metric.value:<5} {name:<10} mean {s.mean:.3f} "
                        f"(95% {s.low:.3f} to {s.high:.3f})"
                    )
                print(f"        {table.comparison(metric, 0, 1).sentence()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--models", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sandbox", action="store_true")
    args = parser.parse_args()
    speed(args.rows, args.models, args.runs)
    if args.sandbox:
        sandbox()


if __name__ == "__main__":
    main()
