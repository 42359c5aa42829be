"""Run the Monitor tab on its own: ``python -m ftstudio.gui.monitor [JOB_ID]``.

Without a job id it starts the offline sandbox in this process, trains on the
bundled customer-support sample (with its validation file) and watches that job.
"""

from __future__ import annotations

import logging
import sys

from ftstudio.core.errors import FtError
from ftstudio.core.resources import resource_path
from ftstudio.gui.application import studio_application
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.monitor.tab import MonitorTab


def _sample_job(manager: ConnectionManager) -> str:
    client = manager.client()
    ids = []
    for name in ("customer_support.jsonl", "customer_support_validation.jsonl"):
        with resource_path("samples", name).open("rb") as fh:
            ids.append(client.files.create(file=fh, purpose="fine-tune").id)
    job = client.fine_tuning.jobs.create(
        model="gpt-4o-mini",
        training_file=ids[0],
        validation_file=ids[1],
        suffix="monitor-demo",
        method={
            "type": "supervised",
            "supervised": {"hyperparameters": {"n_epochs": 5}},
        },
    )
    return job.id


def main() -> int:
    """Show the tab over a sandbox job (or the job id given); return the exit code."""
    logging.basicConfig(level=logging.INFO)
    app = studio_application(sys.argv[1:])
    manager = ConnectionManager()
    args = sys.argv[1:]
    try:
        if args:
            job_id = args[0]
        else:
            manager.use_sandbox()
            job_id = _sample_job(manager)
    except FtError as error:
        logging.getLogger(__name__).error("%s", error.message)
        return 1
    tab = MonitorTab(manager)
    tab.setWindowTitle("ftstudio — Monitor")
    tab.resize(1100, 800)
    tab.show()
    tab.refresh_jobs()
    tab.show_job(job_id)
    code = app.exec()
    tab.shutdown()
    manager.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main())
