"""The launcher: checks before upload, confirms the cost, uploads in bytes, starts one job."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox

from ftstudio.core.dataset.edits import set_value
from ftstudio.core.monitor.launches import launched_billing_tokens
from ftstudio.core.secrets import SecretStore
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.launcher.tab import LauncherTab
from ftstudio.gui.widgets.model_choices import ModelChoice, choices_from_service
from ftstudio.sandbox.faults import FaultConfig
from ftstudio.sandbox.server import SandboxServer
from tests.gui.api_fixtures import (  # noqa: F401 - fixtures
    KEY,
    chat_rows,
    manager_fixture,
    sandbox_fixture,
    write_jsonl,
)
from tests.gui.notices import NoticesShown
from tests.keyrings import MemoryKeyring


class Asker:
    """Answers the tab's questions and remembers them."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.questions: list[tuple[str, str]] = []

    def __call__(self, title: str, text: str) -> bool:
        self.questions.append((title, text))
        return self.answer

    def titles(self) -> list[str]:
        return [t for t, _ in self.questions]


@pytest.fixture
def tab(qtbot: Any, manager: ConnectionManager) -> Iterator[LauncherTab]:
    widget = LauncherTab(manager)
    qtbot.addWidget(widget)
    widget.ask = Asker()
    widget.jobs.ask = Asker()
    widget.show()
    yield widget
    widget.shutdown()


def checked(qtbot: Any, tab: LauncherTab) -> None:
    """Run the pre-launch check now and wait for it."""
    tab.start_check()
    qtbot.waitUntil(lambda: tab._check is not None, timeout=20_000)


def launch_and_wait(
    qtbot: Any, tab: LauncherTab, notices: NoticesShown | None = None
) -> str:
    with qtbot.waitSignal(tab.job_launched, timeout=60_000) as launched:
        tab.launch_button.click()
        if notices is not None:
            notices.follow(tab._launcher.current)
    qtbot.waitUntil(lambda: tab._launcher.current is None, timeout=10_000)
    return str(launched.args[0])


def service_files(manager: ConnectionManager) -> list[Any]:
    return list(manager.client().files.list().data)


def test_launch_confirms_the_cost_uploads_in_bytes_and_starts_one_job(
    qtbot: Any, tab: LauncherTab, manager: ConnectionManager, tmp_path: Path
) -> None:
    train = write_jsonl(tmp_path / "train.jsonl", chat_rows(60))
    tab.files.set_training_file(train)
    tab.hyper.rows["n_epochs"].set_value(2)
    tab.hyper.suffix.setText("pirate")
    tab.hyper.seed.set_value(42)
    tab.hyper.metadata.setText("team=support, purpose=trial")
    checked(qtbot, tab)
    assert tab.cost.text().startswith("Estimated cost: $")
    assert "× 2 epochs" in tab.cost.text()
    assert tab.findings.text() == "The file passed every check."

    progress: list[str] = []
    tab._launcher.task_started.connect(
        lambda task: task.progressed.connect(
            lambda _p: progress.append(tab.status.text())
        )
    )
    job_id = launch_and_wait(qtbot, tab)
    asker = tab.ask
    assert isinstance(asker, Asker)
    assert asker.titles() == ["Start fine-tuning?"]
    assert "Estimated cost: $" in asker.questions[0][1]
    size = train.stat().st_size
    assert any(f"of {size / 1000:,.1f} KB" in line for line in progress)

    job = manager.client().fine_tuning.jobs.retrieve(job_id)
    assert job.model == "gpt-4.1-mini"
    assert job.seed == 42
    assert job.metadata is not None
    assert job.metadata["team"] == "support"
    assert job.method is not None
    assert job.method.supervised is not None
    assert job.method.supervised.hyperparameters is not None
    assert job.method.supervised.hyperparameters.n_epochs == 2
    assert len(manager.client().fine_tuning.jobs.list().data) == 1
    # the Monitor's running estimate: the billing tokens this launch confirmed
    assert tab._check is not None
    assert launched_billing_tokens(job_id) == tab._check.report.cost.billing_tokens
    assert len(service_files(manager)) == 1
    assert "Started job" in tab.status.text()
    qtbot.waitUntil(lambda: tab.jobs.selected_job() is not None, timeout=10_000)
    selected = tab.jobs.selected_job()
    assert selected is not None
    assert selected.id == job_id


def test_errors_block_the_upload_and_link_to_the_findings(
    qtbot: Any,
    tab: LauncherTab,
    manager: ConnectionManager,
    make_doc: Any,
    tmp_path: Path,
) -> None:
    rows = chat_rows(20)
    rows[3] = {"messages": [{"role": "user", "content": "No reply here"}]}
    doc = make_doc(path=write_jsonl(tmp_path / "broken.jsonl", rows))
    tab.set_document(doc)
    assert tab.files.document is doc
    tab.launch_button.click()
    qtbot.waitUntil(lambda: tab._check is not None, timeout=20_000)
    assert "Cannot launch yet" in tab.findings.text()
    assert "error(s)" in tab.findings.text()
    assert "line 4" in tab.findings.text()  # the first error, located
    assert tab.status.text().startswith("Nothing was uploaded")
    with qtbot.waitSignal(tab.show_findings_requested):
        tab.findings.linkActivated.emit("findings")
    assert isinstance(tab.ask, Asker)
    assert tab.ask.questions == []  # nothing was even offered
    assert service_files(manager) == []


def test_warnings_ask_first_and_no_means_nothing_uploaded(
    qtbot: Any, tab: LauncherTab, manager: ConnectionManager, tmp_path: Path
) -> None:
    train = write_jsonl(
        tmp_path / "train.jsonl", chat_rows(30)
    )  # fewer than 50: a warning
    valid = write_jsonl(tmp_path / "valid.jsonl", chat_rows(5, start=28))  # 2 overlap
    tab.files.set_training_file(train)
    tab.files.set_validation_file(valid)
    tab.ask = Asker(answer=False)
    checked(qtbot, tab)
    assert "also in the validation file" in tab.findings.text()
    tab.launch_button.click()
    assert tab.ask.titles() == ["Launch despite warnings?"]
    assert (
        "2 training example(s) are also in the validation file"
        in tab.ask.questions[0][1]
    )
    assert service_files(manager) == []


def test_dpo_needs_a_preference_file(
    qtbot: Any, tab: LauncherTab, manager: ConnectionManager, tmp_path: Path
) -> None:
    tab.files.set_training_file(write_jsonl(tmp_path / "train.jsonl", chat_rows(60)))
    tab.hyper.set_method("dpo")
    assert tab.hyper.rows["beta"].isVisibleTo(tab)
    checked(qtbot, tab)
    tab.launch_button.click()
    assert "needs a preference file" in tab.findings.text()
    assert "chat format" in tab.findings.text()
    assert service_files(manager) == []


def test_unsaved_dataset_is_saved_first_then_launched(
    qtbot: Any,
    tab: LauncherTab,
    manager: ConnectionManager,
    make_doc: Any,
    tmp_path: Path,
) -> None:
    path = write_jsonl(tmp_path / "data.jsonl", chat_rows(60))
    doc = make_doc(path=path)
    tab.set_document(doc)
    row = chat_rows(1, start=999)[0]
    doc.push(set_value(doc.store, 0, row))
    assert doc.modified
    job_id = launch_and_wait(qtbot, tab)
    assert isinstance(tab.ask, Asker)
    assert tab.ask.titles() == ["Save the dataset?", "Start fine-tuning?"]
    assert not doc.modified
    assert "topic number 999" in path.read_text(encoding="utf-8").splitlines()[0]
    job = manager.client().fine_tuning.jobs.retrieve(job_id)
    content = manager.client().files.content(job.training_file).read()
    assert b"topic number 999" in content  # the saved edit is what was uploaded


def test_form_enforces_the_documented_bounds_with_plain_tooltips(
    qtbot: Any, tab: LauncherTab
) -> None:
    rows = tab.hyper.rows
    epochs, batch, rate = (
        rows[n].spin for n in ("n_epochs", "batch_size", "learning_rate_multiplier")
    )
    assert isinstance(epochs, QSpinBox)
    assert isinstance(batch, QSpinBox)
    assert isinstance(rate, QDoubleSpinBox)
    assert (epochs.minimum(), epochs.maximum()) == (1, 50)
    assert (batch.minimum(), batch.maximum()) == (1, 256)
    assert 0 < rate.minimum() < 0.01
    assert rate.maximum() == 10
    assert all(row.auto.isChecked() for row in rows.values())
    assert not epochs.isEnabled()
    assert "How many times training goes through" in epochs.toolTip()
    assert "a whole number from 1 to 50" in epochs.toolTip()
    params = tab.hyper.job_params()
    hyper = params["method"]["supervised"]["hyperparameters"]
    assert hyper == {
        "n_epochs": "auto",
        "batch_size": "auto",
        "learning_rate_multiplier": "auto",
    }
    assert tab.hyper.suffix.maxLength() == 64
    tab.hyper.metadata.setText("just words")
    tab.launch_button.click()
    assert "key=value" in tab.banner.message.text()


def test_model_list_offers_own_models_and_warns_of_shutdowns(
    qtbot: Any, tab: LauncherTab
) -> None:
    models = (
        openai.pagination.SyncPage[openai.types.Model]
        .model_validate(
            {
                "object": "list",
                "data": [
                    {
                        "id": "gpt-4o-mini-2024-07-18",
                        "object": "model",
                        "created": 1,
                        "owned_by": "system",
                        "shutdown_date": "2026-12-15",
                    },
                    {
                        "id": "text-embedding-3-small",
                        "object": "model",
                        "created": 1,
                        "owned_by": "system",
                    },
                    {
                        "id": "ft:gpt-4o-mini-2024-07-18:acme::abc123",
                        "object": "model",
                        "created": 1,
                        "owned_by": "acme",
                    },
                    {
                        "id": "gpt-4.1-mini",
                        "object": "model",
                        "created": 1,
                        "owned_by": "system",
                    },
                ],
            }
        )
        .data
    )
    choices = choices_from_service(models)
    assert [c.name for c in choices] == [
        "gpt-4.1-mini",
        "gpt-4o-mini-2024-07-18",
        "ft:gpt-4o-mini-2024-07-18:acme::abc123",
    ]
    assert choices[1].shutdown == date(2026, 12, 15)
    assert choices[2].own
    tab.picker.today = date(2026, 11, 21)
    tab.picker.set_choices(choices)
    assert tab.picker.model() == "gpt-4.1-mini"
    assert not tab.picker.note.isVisibleTo(tab)
    tab.picker.set_model("gpt-4o-mini-2024-07-18")
    assert "shuts down on 2026-12-15 (in 24 days)" in tab.picker.note.text()
    assert tab.picker.note.isVisibleTo(tab)
    assert "shuts down 2026-12-15" in tab.picker.combo.currentText()
    tab.picker.set_model("ft:gpt-4o-mini-2024-07-18:acme::abc123")
    assert "(your model)" in tab.picker.combo.currentText()
    assert tab.picker.model() == "ft:gpt-4o-mini-2024-07-18:acme::abc123"
    far = ModelChoice("x", shutdown=date(2027, 6, 1))
    assert far.warning(date(2026, 11, 21)) == ""


def test_models_are_listed_from_the_service(qtbot: Any, tab: LauncherTab) -> None:
    qtbot.waitUntil(lambda: tab.picker.combo.count() > 3, timeout=10_000)
    names = [tab.picker.combo.itemData(i) for i in range(tab.picker.combo.count())]
    assert "gpt-4o-mini" in names
    assert "babbage-002" in names


def test_eligibility_refusal_is_said_plainly(
    qtbot: Any, tab: LauncherTab, manager: ConnectionManager, tmp_path: Path
) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/files"):
            body = {
                "id": "file-1",
                "object": "file",
                "bytes": 10,
                "created_at": 1,
                "filename": "train.jsonl",
                "purpose": "fine-tune",
                "status": "processed",
            }
            return httpx2.Response(200, json=body)
        message = (
            "Fine-tuning is no longer available to new customers on this organization."
        )
        return httpx2.Response(
            403, json={"error": {"message": message, "code": "fine_tuning_unavailable"}}
        )

    fake = openai.OpenAI(
        api_key=KEY,
        base_url="http://fake.invalid/v1",
        max_retries=0,
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
    )
    tab.connection.client = lambda: fake  # type: ignore[method-assign]
    tab.files.set_training_file(write_jsonl(tmp_path / "train.jsonl", chat_rows(60)))
    checked(qtbot, tab)
    tab.launch_button.click()
    qtbot.waitUntil(lambda: tab.banner.isVisibleTo(tab), timeout=20_000)
    assert "may no longer create fine-tuning jobs" in tab.banner.message.text()
    assert "no longer available to new customers" in tab.banner.message.text()
    assert tab.status.text() == "Nothing was started."
    fake.close()


def test_flaky_service_gives_exactly_one_job_per_launch(
    qtbot: Any, tmp_path: Path
) -> None:
    faults = FaultConfig(
        rate_limit=0.15, server_error=0.1, drop=0.15, retry_after=0.05, seed=3
    )
    server = SandboxServer(tmp_path / "flaky", api_key=KEY, speed=60, faults=faults)
    server.start()
    manager = ConnectionManager(SecretStore(MemoryKeyring()))
    manager.use_endpoint(server.base_url, KEY)
    tab = LauncherTab(manager)
    qtbot.addWidget(tab)
    tab.ask = Asker()
    notices = NoticesShown(tab.bar.status.text)
    try:
        launches = 3
        ids = []
        for i in range(launches):
            name = f"train{i}.jsonl"
            rows = chat_rows(60, start=i * 100)
            tab.files.set_training_file(write_jsonl(tmp_path / name, rows))
            checked(qtbot, tab)
            ids.append(launch_and_wait(qtbot, tab, notices))
        # each retry was said under the Launch button while it waited
        notices.assert_each_was_shown()
        # read the sandbox's own records: listing through the faults proves little
        jobs = server.sandbox.jobs.list_page(None, 100, {})["data"]
        assert sorted(j["id"] for j in jobs) == sorted(ids)
        files = sorted(
            f["filename"]
            for f in server.sandbox.state.files.values()
            if f["purpose"] == "fine-tune"  # results files appear as jobs finish
        )
        assert files == [f"train{i}.jsonl" for i in range(launches)]
    finally:
        tab.shutdown()
        server.stop()


def test_stop_upload_starts_no_job(qtbot: Any, tmp_path: Path) -> None:
    slow = FaultConfig(latency=1.5)  # every request waits: the upload is in flight
    server = SandboxServer(tmp_path / "slow", api_key=KEY, speed=60, faults=slow)
    server.start()
    manager = ConnectionManager(SecretStore(MemoryKeyring()))
    manager.use_endpoint(server.base_url, KEY)
    tab = LauncherTab(manager)
    qtbot.addWidget(tab)
    tab.ask = Asker()
    try:
        tab.files.set_training_file(write_jsonl(tmp_path / "t.jsonl", chat_rows(60)))
        checked(qtbot, tab)
        tab.launch_button.click()
        task = tab._launcher.current
        assert task is not None
        assert tab.bar.cancel_button.isVisibleTo(tab)
        assert not tab.launch_button.isEnabled()
        with qtbot.waitSignal(task.finished, timeout=10_000):
            tab.bar.cancel_button.click()
        assert tab.status.text() == "Stopped: no job was started."
        assert tab.launch_button.isEnabled()
        assert not tab.bar.cancel_button.isVisibleTo(tab)
        assert server.sandbox.jobs.list_page(None, 100, {})["data"] == []
    finally:
        tab.shutdown()
        server.stop()
