"""Time from launch to the main window shown (offscreen): frozen app vs python -m.

The studio has no "quit once shown" switch, so the moment is read from Qt itself:
with the logging category ``qt.widgets.showhide`` switched on, Qt writes
"Showing children of MainWindow" to stderr inside ``QWidget.show()`` of the main
window, after the window and its tabs are built. Each launch gets fresh,
empty config and data folders (first start: no recovery question), runs with
``QT_QPA_PLATFORM=offscreen``, and is terminated as soon as the line appears. The
two variants alternate, so a busy machine slows both alike.

    .venv/bin/python bench/startup_bench.py                 # needs dist/ftstudio
    .venv/bin/python bench/startup_bench.py --runs 7 --app dist/ftstudio/ftstudio
"""

from __future__ import annotations

import argparse
import os
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHOWN = re.compile(r"qt\.widgets\.showhide: Showing children of MainWindow")


def time_to_window(command: list[str], timeout: float = 120.0) -> float:
    """Launch ``command``; return seconds until its main window is shown."""
    with tempfile.TemporaryDirectory(prefix="ftstudio-startup-") as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "QT_LOGGING_RULES": "qt.widgets.showhide.debug=true",
            "FTSTUDIO_CONFIG_DIR": str(Path(tmp) / "config"),
            "FTSTUDIO_DATA_DIR": str(Path(tmp) / "data"),
        }
        started = time.perf_counter()
        proc = subprocess.Popen(
            command,
            env=env,
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        try:
            while (left := started + timeout - time.perf_counter()) > 0:
                if not select.select([proc.stderr], [], [], left)[0]:
                    break
                line = proc.stderr.readline()
                if not line:
                    break
                if SHOWN.search(line):
                    return time.perf_counter() - started
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            proc.stderr.close()
    msg = f"the window of {command[0]} was not shown within {timeout:.0f} s"
    raise RuntimeError(msg)


def size_mib(path: Path) -> float:
    """Return the size of a file or folder in MiB, counting symlinks as links.

    PyInstaller links some libraries twice into ``_internal``; following the
    links would count them twice (373 instead of 258 MiB).
    """
    if path.is_file():
        return path.stat().st_size / 2**20
    files = (p.lstat().st_size for p in path.rglob("*") if not p.is_dir())
    return sum(files) / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--app", type=Path, default=REPO / "dist/ftstudio/ftstudio")
    args = parser.parse_args()
    if not args.app.is_file():
        print(f"no frozen app at {args.app}: run packaging/build.sh first")
        return 2
    variants = {
        "frozen app": [str(args.app)],
        "python -m ftstudio": [sys.executable, "-m", "ftstudio"],
    }
    # One unmeasured launch each, so both start with warm OS file caches.
    for command in variants.values():
        time_to_window(command)
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.runs):
        for name, command in variants.items():
            times[name].append(time_to_window(command))
    print(f"launch -> main window shown (offscreen), {args.runs} runs each, warm:")
    print("| variant | median | min | max |")
    print("| --- | --- | --- | --- |")
    for name, values in times.items():
        print(
            f"| {name} | {statistics.median(values):.2f} s | "
            f"{min(values):.2f} s | {max(values):.2f} s |"
        )
    folder = args.app.parent
    print(f"bundle folder {folder}: {size_mib(folder):.0f} MiB")
    for tarball in sorted(folder.parent.glob("ftstudio-*.tar.gz")):
        print(f"tarball {tarball.name}: {size_mib(tarball):.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
