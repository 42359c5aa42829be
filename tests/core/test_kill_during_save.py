"""A save killed at any moment leaves the whole old or the whole new file, and no litter."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ftstudio.core.dataset.atomic import TEMP_SUFFIX
from ftstudio.core.dataset.store import DatasetStore

KILLS = 6

SAVER = textwrap.dedent(
    """
    import sys
    from ftstudio.core.dataset.edits import set_value
    from ftstudio.core.dataset.store import DatasetStore

    store = DatasetStore.open(sys.argv[1])
    flip = 0
    while True:
        flip ^= 1
        set_value(store, 0, {"version": flip}).apply(store)
        store.save(sys.argv[1] + ".out")
        print("saved", flush=True)
    """
)


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_a_killed_save_never_leaves_a_mixed_or_half_file(tmp_path: Path) -> None:
    line = b'{"messages":[{"role":"user","content":"' + b"x" * 2000 + b'"}]}\n'
    source = tmp_path / "train.jsonl"
    source.write_bytes(line * 3000)  # 6 MB: a save takes long enough to be hit
    out = Path(f"{source}.out")
    rest = line * 2999
    whole = {b'{"version":0}\n' + rest, b'{"version":1}\n' + rest}
    rng = random.Random(14)
    for _ in range(KILLS):
        saver = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(source)],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(Path.cwd())},
        )
        assert saver.stdout is not None
        assert saver.stdout.readline() == b"saved\n"
        saver.stdout.close()
        # somewhere inside a later save: writing, syncing or renaming
        time.sleep(rng.uniform(0, 0.3))
        saver.send_signal(signal.SIGKILL)
        saver.wait()
        assert out.read_bytes() in whole
    DatasetStore.open(out).close()  # the next open cleans up after the kills
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "train.jsonl",
        "train.jsonl.out",
    ]
    assert not list(tmp_path.glob(f"*{TEMP_SUFFIX}"))
