"""The certificate check says plainly when HTTPS to OpenAI cannot work."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from ftstudio.core.tls import CA_FILE_CANDIDATES, check_certificates

SYSTEM_BUNDLE = next((c for c in CA_FILE_CANDIDATES if Path(c).is_file()), None)
needs_bundle = pytest.mark.skipif(
    SYSTEM_BUNDLE is None, reason="this machine has no CA bundle to load"
)


def _paths(tmp_path: Path) -> ssl.DefaultVerifyPaths:
    missing = str(tmp_path / "nowhere")
    return ssl.DefaultVerifyPaths(missing, missing, "", missing, "", missing)


def test_missing_store_gives_plain_advice(tmp_path: Path) -> None:
    check = check_certificates(
        environ={}, system="Linux", verify_paths=_paths(tmp_path), candidates=()
    )
    assert not check.ok
    assert "ca-certificates" in check.message
    assert "nowhere" in check.detail
    error = check.to_error()
    assert error.kind == "tls"
    assert error.message == check.message


def test_env_file_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "gone.pem"
    check = check_certificates(environ={"SSL_CERT_FILE": str(missing)})
    assert not check.ok
    assert "SSL_CERT_FILE" in check.source
    assert "trusted certificates" in check.message


def test_env_file_that_is_not_a_bundle(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_text("this is not a certificate\n")
    check = check_certificates(environ={"SSL_CERT_FILE": str(junk)})
    assert not check.ok


def test_empty_folder_is_not_enough(tmp_path: Path) -> None:
    check = check_certificates(environ={"SSL_CERT_DIR": str(tmp_path)})
    assert not check.ok
    assert "no certificate authority" in check.detail


@needs_bundle
def test_fallback_bundle_is_found_when_openssl_paths_are_wrong(
    tmp_path: Path,
) -> None:
    assert SYSTEM_BUNDLE is not None
    check = check_certificates(
        environ={},
        system="Linux",
        verify_paths=_paths(tmp_path),
        candidates=(str(tmp_path / "x.pem"), SYSTEM_BUNDLE),
    )
    assert check.ok, check.detail
    assert check.source == SYSTEM_BUNDLE
    assert check.certificates > 10


@needs_bundle
def test_env_bundle_loads() -> None:
    assert SYSTEM_BUNDLE is not None
    check = check_certificates(environ={"SSL_CERT_FILE": SYSTEM_BUNDLE})
    assert check.ok
    assert check.certificates > 10


def test_windows_and_mac_use_the_system_store() -> None:
    for system in ("Windows", "Darwin"):
        check = check_certificates(environ={}, system=system)
        assert check.ok
        assert check.source == "system store"
