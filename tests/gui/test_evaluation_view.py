"""The Evaluation view against a real sandbox: many models, metrics, judge, blind mode, exports."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

import openai
import pytest
from PySide6.QtCore import Qt

from ftstudio.core.evaluation.results import default_results_path
from ftstudio.core.evaluation.scoring import Metric
from ftstudio.gui.evaluation.table_model import SCORE_ROLE
from ftstudio.gui.playground import PlaygroundTab
from ftstudio.sandbox.faults import FaultConfig
from tests.core.chat_sandbox import BASE, KEY
from tests.gui.notices import NoticesShown
from tests.gui.test_playground_tab import server, shot, tab, tab_on_own_service, tuned
from tests.sandbox_data import FAST, chat_rows, write_jsonl

__all__ = ["server", "tab", "tuned"]  # fixtures


def write_test_file(path: Path) -> Path:
    lines = [
        {
            "input": f"Tell me about topic number {i} please",
            "ideal": f"Arr, {i} it be, matey!",
        }
        for i in (1, 2, 3, 5, 6)
    ]
    lines.append({"input": "Tell me about topic number 4 please", "ideal": "matey"})
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return path


def ready(view: Any, path: Path, models: list[str]) -> None:
    view.setup.models_box.set_models(models)
    view.set_test_file(write_test_file(path))


def says(qtbot: Any, view: Any, text: str) -> None:
    """Wait for the summary (computed off the GUI thread) to say ``text``."""
    qtbot.waitUntil(lambda: text in view.summary.text.text(), timeout=10_000)


def run_to_end(qtbot: Any, view: Any) -> None:
    view.run()
    assert view.running
    qtbot.waitUntil(lambda: not view.running, timeout=20_000)


def test_scores_cancel_resume_compare_read_export(
    qtbot: Any, qtmodeltester: Any, tab: PlaygroundTab, tuned: str, tmp_path: Path
) -> None:
    view = tab.evaluation
    ready(view, tmp_path / "test.jsonl", [BASE, tuned])
    view.setup.concurrency.setValue(1)
    tab.views.setCurrentWidget(view)

    # cancel as soon as the first answers arrive
    view.run()
    qtbot.waitUntil(lambda: bool(view.model.table.answers), timeout=10_000)
    view.cancel_button.click()
    qtbot.waitUntil(lambda: not view.running, timeout=5_000)
    kept = dict(view.model.table.answers)
    assert 0 < len(kept) < 12
    assert "press Run to continue" in tab.status.text()
    results = default_results_path(view.cases, [BASE, tuned])
    # mark the kept replies: a resumed run must show them, not ask again
    lines = results.read_text(encoding="utf-8").splitlines()
    marked = [lines[0]] + [
        json.dumps({**json.loads(line), "reply": "KEPT"}) for line in lines[1:]
    ]
    results.write_text("\n".join(marked) + "\n", encoding="utf-8")
    run_to_end(qtbot, view)
    answers = view.model.table.answers
    assert len(answers) == 12
    assert sum(a.reply == "KEPT" for a in answers.values()) == len(lines) - 1
    qtmodeltester.check(view.model)

    # fresh replies for known scores
    view.start_over()
    run_to_end(qtbot, view)
    assert results.exists()  # the run is kept with its replies
    assert view.model.table.totals(Metric.EXACT) == [(0, 6), (5, 6)]
    score_b = view.model.index(0, 3)
    assert view.model.data(score_b) == "✓ pass"
    assert view.model.data(view.model.index(5, 3)) == "✗ fail"

    view.set_metric(Metric.F1)
    assert view.model.data(view.model.index(0, 3)) == "1.00"
    assert view.model.data(view.model.index(5, 3)) == "0.33"  # "matey" of 5 words
    says(
        qtbot,
        view,
        f"{tuned} is better than {BASE} on 6 of 6 examples; the difference is "
        "larger than chance.",
    )
    assert "95% interval" in view.summary.text.text()
    qtmodeltester.check(view.model)

    # sorted by the difference, the smallest gain comes last
    diff = view.model.diff_column()
    view.view.sortByColumn(diff, Qt.SortOrder.DescendingOrder)
    last = view.proxy.index(5, diff)
    assert view.proxy.mapToSource(last).row() == 5
    view.view.selectRow(5)
    page = view.example.toHtml()
    assert "matey" in page
    assert "You wrote" in view.example.toPlainText()  # the base model's whole reply
    assert "#cdeccb" in page  # its extra words are highlighted
    shot(view.details, "evaluation_example")
    view.details.setCurrentWidget(view.summary)
    shot(tab, "evaluation_f1")

    out = tmp_path / "out.csv"
    view.export_csv(out)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][3:] == [
        f"reply: {BASE}",
        f"score: {BASE}",
        f"reply: {tuned}",
        f"score: {tuned}",
    ]
    assert rows[1][5:] == ["Arr, 1 it be, matey!", "1.0"]
    report = tmp_path / "report.html"
    view.export_report(report)
    assert "<svg" in report.read_text(encoding="utf-8")


def test_three_models_and_the_pair_compared(
    qtbot: Any, tab: PlaygroundTab, tuned: str, tmp_path: Path
) -> None:
    view = tab.evaluation
    ready(view, tmp_path / "t.jsonl", [BASE, tuned, "gpt-4.1-mini"])
    assert view.models() == [BASE, tuned, "gpt-4.1-mini"]
    assert view.model.columnCount() == 2 + 3 + 1
    run_to_end(qtbot, view)
    view.set_metric(Metric.CONTAINS)
    view.first_box.setCurrentIndex(2)
    view.second_box.setCurrentIndex(1)
    diff = view.model.diff_column()
    assert "gpt-4.1-mini's" in view.model.headerData(
        diff, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert view.model.data(view.model.index(0, diff)) == "+1.00"
    says(qtbot, view, f"{tuned} is better than gpt-4.1-mini on 6 of 6")


def test_the_judge_grades_with_an_edited_rubric(
    qtbot: Any, tab: PlaygroundTab, tuned: str, tmp_path: Path
) -> None:
    view = tab.evaluation
    ready(view, tmp_path / "t.jsonl", [BASE, tuned])
    run_to_end(qtbot, view)  # replies first: the grader comes on top of them
    view.set_metric(Metric.JUDGE)
    assert "the grader grades the replies already kept" in tab.status.text()
    assert view.model.data(view.model.index(0, 3)) == "…"
    assert view.setup.judge_row.isVisibleTo(view)
    view.setup.judge_picker.set_model_name(BASE)
    view.setup.rubric = "5: a pirate answer.\n1: anything else."

    def never(*_args: Any) -> bool:
        raise AssertionError("the sandbox is free: no cost question")

    view.ask_yes_no = never  # type: ignore[method-assign]
    run_to_end(qtbot, view)
    assert len(view.model.table.grades) == 12
    cell = view.model.index(0, 3)
    assert view.model.data(cell) == "5 / 5"
    assert "shares 100%" in view.model.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert view.model.data(view.model.index(0, 2), SCORE_ROLE) < 0.5
    assert view.model.table.judge is not None
    assert "a pirate answer" in view.model.table.judge["system_prompt"]
    out = tmp_path / "graded.csv"
    view.export_csv(out)
    grader = json.loads((tmp_path / "graded.grader.json").read_text(encoding="utf-8"))
    assert grader["judge_model"] == BASE


def test_a_judge_on_a_paid_service_asks_first(
    qtbot: Any, tab: PlaygroundTab, tmp_path: Path
) -> None:
    view = tab.evaluation
    paid = openai.OpenAI(base_url="https://api.example.invalid/v1", api_key=KEY)
    view._client = lambda: paid
    ready(view, tmp_path / "t.jsonl", [BASE])
    view.set_metric(Metric.JUDGE)
    asked: list[str] = []

    def refuse(title: str, text: str) -> bool:
        asked.append(text)
        return False

    view.ask_yes_no = refuse  # type: ignore[method-assign]
    view.run()
    paid.close()
    assert not view.running  # nothing was asked of the service
    assert "About 12 requests" in asked[0]
    assert "$" in asked[0]


def test_blind_mode_hides_the_models_and_keeps_the_votes(
    qtbot: Any, tab: PlaygroundTab, tuned: str, tmp_path: Path
) -> None:
    view = tab.evaluation
    ready(view, tmp_path / "t.jsonl", [BASE, tuned])
    run_to_end(qtbot, view)
    dialog = view.open_blind()
    assert dialog is not None  # closed below: it deletes itself then
    assert dialog.progress.text() == "0 of 6 judged"
    shown = (
        " ".join(w.text() for w in dialog.findChildren(type(dialog.progress)))
        + dialog.reply_a.toPlainText()
        + dialog.reply_b.toPlainText()
    )
    assert tuned not in shown
    assert "ft:" not in shown
    first_a = dialog.reply_a.toPlainText()
    qtbot.keyClick(dialog, Qt.Key.Key_1)
    assert dialog.progress.text() == "1 of 6 judged"
    qtbot.keyClick(dialog, Qt.Key.Key_0)
    shot(dialog, "evaluation_blind")
    for _ in range(4):
        qtbot.keyClick(dialog, Qt.Key.Key_2)
    assert dialog.progress.text() == "All 6 tests judged. Thank you!"
    dialog.accept()
    votes = view.results_file().load_all().votes
    assert len(votes) == 6
    winner = votes[(0, (BASE, tuned))].winner
    assert winner == (BASE if first_a.startswith("You wrote") else tuned)
    says(qtbot, view, "Blind human judgement")


def test_after_training_one_click_evaluates_on_the_validation_file(
    qtbot: Any, tmp_path: Path
) -> None:
    with tab_on_own_service(qtbot, tmp_path / "svc", speed=FAST) as (server, _, tab):
        with openai.OpenAI(base_url=server.base_url, api_key=KEY, max_retries=0) as c:
            train = c.files.create(
                file=write_jsonl(tmp_path / "train.jsonl", chat_rows(12)),
                purpose="fine-tune",
            )
            valid = c.files.create(
                file=write_jsonl(tmp_path / "valid.jsonl", chat_rows(10, start=2)),
                purpose="fine-tune",
            )
            job = c.fine_tuning.jobs.create(
                model=BASE, training_file=train.id, validation_file=valid.id
            )
            deadline = time.monotonic() + 20
            while (job := c.fine_tuning.jobs.retrieve(job.id)).status != "succeeded":
                assert job.status not in {"failed", "cancelled"}, job.status
                assert time.monotonic() < deadline, job.status
                time.sleep(0.05)
        tab.evaluate_job(job.id)
        view = tab.evaluation
        assert tab.views.currentWidget() is view
        qtbot.waitUntil(lambda: view.running, timeout=10_000)
        qtbot.waitUntil(lambda: not view.running, timeout=20_000)
        assert view.models() == [BASE, job.fine_tuned_model]
        assert view.score_metric is Metric.F1
        assert len(view.cases) == 10
        assert view.model.table.summary(Metric.F1, 1).mean == pytest.approx(1.0)
        says(qtbot, view, f"better than {BASE} on 10 of 10")


def test_a_job_without_validation_file_asks_for_a_test_file(
    qtbot: Any, tab: PlaygroundTab, tuned: str
) -> None:
    with openai.OpenAI(base_url=tab.evaluation._client().base_url, api_key=KEY) as c:
        job = next(j for j in c.fine_tuning.jobs.list() if j.fine_tuned_model == tuned)
    tab.evaluate_job(job.id)
    qtbot.waitUntil(
        lambda: "had no validation file" in tab.banner.message.text(), timeout=10_000
    )
    assert tab.evaluation.models() == [BASE, tuned]


def test_the_monitored_job_is_preselected_unless_models_were_chosen(
    tab: PlaygroundTab,
) -> None:
    view = tab.evaluation
    view.preselect(BASE, "ft:gpt-4o-mini:org::abc")
    assert view.models() == [BASE, "ft:gpt-4o-mini:org::abc"]
    view.setup.models_box.set_models([BASE, "ft:gpt-4o-mini:org::mine"])
    view.preselect(BASE, "ft:gpt-4o-mini:org::other")  # the user's choice stays
    assert view.models() == [BASE, "ft:gpt-4o-mini:org::mine"]


def test_a_busy_service_is_said_during_a_run_and_cleared_when_answers_come(
    qtbot: Any, tmp_path: Path
) -> None:
    busy = FaultConfig(rate_limit=0.3, retry_after=0.05, seed=2)
    with tab_on_own_service(qtbot, tmp_path / "busy", faults=busy) as (_, _, tab):
        view = tab.evaluation
        ready(view, tmp_path / "test.jsonl", [BASE])
        said: list[str] = []
        view.status.connect(said.append)
        notices = NoticesShown(tab.status.text)
        view.run()
        notices.follow(view.runner.current)
        qtbot.waitUntil(lambda: not view.running, timeout=20_000)
        notices.assert_each_was_shown()
        assert len(view.model.table.answers) == 6  # every test answered after all
        last_retry = max(i for i, text in enumerate(said) if "Trying again" in text)
        assert said[last_retry + 1] == "Evaluating…"  # the next answer cleared it
        assert said[-1] == "Evaluation finished."
