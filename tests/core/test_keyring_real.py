"""The app's own SecretStore against a REAL Secret Service (gnome-keyring on a private bus).

The test starts its own ``dbus-daemon --session`` and ``gnome-keyring-daemon
--unlock --components=secrets`` in a throwaway HOME, so the user's keyring is
never touched, and runs the app's code in subprocesses on that bus: one stores
the key, a second process reads it back (so it is really in the keyring, not
in memory) and deletes it, a third finds it gone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.keyring

KEY = "sk-test-not-a-real-key-keyring"
PROGRAMS = ("dbus-daemon", "gnome-keyring-daemon")

SCRIPT = """
import json, sys
from ftstudio.core.secrets import SecretStore
store = SecretStore()
action, account = sys.argv[1], sys.argv[2]
out = {"secure": store.secure, "backend": store.backend_name, "reason": store.reason}
if action == "set":
    out["stored_securely"] = store.set(sys.argv[3], account)
elif action == "delete":
    store.delete(account)
out["value"] = store.get(account)
print(json.dumps(out))
"""


@pytest.fixture
def secret_service(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Start a private session bus with an unlocked gnome-keyring; return its env."""
    missing = [p for p in PROGRAMS if shutil.which(p) is None]
    if missing and os.environ.get("CI"):
        pytest.fail(
            f"CI must test the real keyring, but {', '.join(missing)} is missing (.ci/run installs it)"
        )
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not installed: apt-get install -y "
            "--no-install-recommends gnome-keyring dbus-daemon"
        )
    home = tmp_path / "home"
    runtime = tmp_path / "run"
    for folder in (home, runtime):
        folder.mkdir(mode=0o700)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_RUNTIME_DIR": str(runtime),
        "LANG": "C.UTF-8",
    }
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    keyring: subprocess.Popen[bytes] | None = None
    try:
        assert bus.stdout is not None
        address = bus.stdout.readline().strip()
        assert address, "dbus-daemon printed no address"
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        keyring = subprocess.Popen(
            [
                "gnome-keyring-daemon",
                "--foreground",
                "--unlock",
                "--components=secrets",
                f"--control-directory={runtime / 'keyring'}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert keyring.stdin is not None
        keyring.stdin.write(b"test")  # the new login keyring's password
        keyring.stdin.close()
        _wait_for_service(env)
        yield env
    finally:
        for proc in (keyring, bus):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
        if bus.stdout is not None:
            bus.stdout.close()


def _wait_for_service(env: dict[str, str]) -> None:
    """Wait until the Secret Service answers on the bus (the daemon starts async)."""
    probe = (
        "import secretstorage; c = secretstorage.dbus_init(); "
        "secretstorage.get_default_collection(c); c.close()"
    )
    deadline = time.monotonic() + 15
    while True:
        done = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, check=False
        )
        if done.returncode == 0:
            return
        if time.monotonic() > deadline:
            pytest.fail(
                f"the Secret Service never answered: {done.stderr.decode()[-500:]}"
            )
        time.sleep(0.2)


def run_store(env: dict[str, str], *args: str) -> dict[str, object]:
    """Run the app's SecretStore in a fresh process on the private bus."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_key_is_stored_read_and_deleted_in_the_real_keyring(
    secret_service: dict[str, str],
) -> None:
    account = "https://api.openai.com/v1"
    stored = run_store(secret_service, "set", account, KEY)
    assert stored["secure"] is True, stored["reason"]
    assert "SecretService" in str(stored["backend"])
    assert stored["stored_securely"] is True
    assert stored["value"] == KEY

    again = run_store(secret_service, "get", account)  # a new process: not memory
    assert again["value"] == KEY
    assert run_store(secret_service, "get", "https://other.example/v1")["value"] is None

    deleted = run_store(secret_service, "delete", account)
    assert deleted["value"] is None
    assert run_store(secret_service, "get", account)["value"] is None


def test_the_key_is_not_in_a_plain_file(secret_service: dict[str, str]) -> None:
    run_store(secret_service, "set", "https://api.openai.com/v1", KEY)
    home = Path(secret_service["HOME"])
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.suffix == ".keyring" for p in files)  # gnome-keyring wrote its file
    assert all(KEY.encode() not in p.read_bytes() for p in files)  # ...encrypted
