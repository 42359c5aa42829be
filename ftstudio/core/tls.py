"""Check that this computer's trusted certificates load, so HTTPS to OpenAI can work.

The SDK's HTTP stack (httpx2/httpcore2) trusts the operating system's certificate
store, not a bundled certifi file. On a bare Linux without the ``ca-certificates``
package every request would fail with an obscure "certificate verify failed". This
module finds the same certificates the SDK will use (in the same order: the
``SSL_CERT_FILE``/``SSL_CERT_DIR`` variables, OpenSSL's compiled-in paths, then the
usual bundle locations of the big distributions) and says in plain words what is
wrong, so the app can show that instead of crashing.
"""

from __future__ import annotations

import os
import platform
import re
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ftstudio.core.errors import ErrorKind, FtError

# The Linux fallbacks httpcore2 (and truststore) use when OpenSSL's own paths are
# unusable, for example in a frozen app built on another distribution.
CA_FILE_CANDIDATES: tuple[str, ...] = (
    "/etc/ssl/cert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/pki/tls/cert.pem",
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/ssl/ca-bundle.pem",
)

# OpenSSL looks certificates up in a folder by hashed names like "5ad8a5d6.0".
_HASHED_NAME = re.compile(r"[0-9a-fA-F]{8}\.\d")

HELP = (
    "Secure connections to OpenAI will fail because this computer's list of "
    "trusted certificates could not be loaded. On Linux, install the "
    "“ca-certificates” package (for example: sudo apt install ca-certificates), "
    "or set SSL_CERT_FILE to a certificate bundle. The offline sandbox still works."
)


@dataclass(frozen=True)
class TlsCheck:
    """The outcome of :func:`check_certificates`.

    Attributes
    ----------
    ok
        Whether trusted certificates were found and load.
    source
        Where they come from: a file, a folder, or ``"system store"``.
    certificates
        How many were loaded up front (0 for a folder, which OpenSSL reads on
        demand, and for the Windows/macOS system store).
    message
        One plain sentence for the user.
    detail
        Technical detail for a "Details" area.
    """

    ok: bool
    source: str
    certificates: int
    message: str
    detail: str = ""

    def to_error(self) -> FtError:
        """Return this problem as the error the GUI and CLI show."""
        return FtError(ErrorKind.TLS, self.message, self.detail, retryable=False)


def _has_hashed_certs(folder: str) -> bool:
    try:
        return any(_HASHED_NAME.fullmatch(p.name) for p in Path(folder).iterdir())
    except OSError:
        return False


def _load(cafile: str | None, capath: str | None, source: str) -> TlsCheck:
    """Build a verifying context from ``cafile``/``capath`` and count what loaded."""
    try:
        ctx = ssl.create_default_context(cafile=cafile, capath=capath)
    except (OSError, ssl.SSLError, ValueError) as exc:
        detail = f"could not load certificates from {source}: {exc}"
        return TlsCheck(False, source, 0, HELP, detail)
    count = int(ctx.cert_store_stats().get("x509_ca", 0))
    lazy_folder = capath is not None and _has_hashed_certs(capath)
    if count == 0 and not lazy_folder:
        detail = f"{source} holds no certificate authority"
        return TlsCheck(False, source, 0, HELP, detail)
    message = "Trusted certificates are available for secure connections."
    return TlsCheck(True, source, count, message, f"loaded from {source}")


def check_certificates(
    environ: Mapping[str, str] | None = None,
    system: str | None = None,
    verify_paths: ssl.DefaultVerifyPaths | None = None,
    candidates: Sequence[str] = CA_FILE_CANDIDATES,
) -> TlsCheck:
    """Check that the certificates the OpenAI SDK will trust can be loaded.

    Parameters
    ----------
    environ, system, verify_paths, candidates
        The environment, ``platform.system()``, OpenSSL's compiled-in paths and
        the fallback bundle files; the defaults are this computer's (tests
        replace them).

    Returns
    -------
    TlsCheck
        ``ok`` is False with a plain ``message`` when HTTPS would fail.
    """
    env = os.environ if environ is None else environ
    if cafile := env.get("SSL_CERT_FILE"):
        return _load(cafile, None, f"SSL_CERT_FILE ({cafile})")
    if capath := env.get("SSL_CERT_DIR"):
        return _load(None, capath, f"SSL_CERT_DIR ({capath})")
    if (system or platform.system()) in ("Windows", "Darwin"):
        # The SDK asks the operating system (via truststore), which always has a store.
        message = "Secure connections use the system's certificate store."
        return TlsCheck(True, "system store", 0, message, "truststore")
    paths = verify_paths or ssl.get_default_verify_paths()
    found_file = paths.openssl_cafile if Path(paths.openssl_cafile).is_file() else None
    found_dir = paths.openssl_capath if Path(paths.openssl_capath).is_dir() else None
    if found_dir and not found_file and not _has_hashed_certs(found_dir):
        found_dir = None
    if not found_file and not found_dir:
        found_file = next((c for c in candidates if Path(c).is_file()), None)
    if not found_file and not found_dir:
        tried = [paths.openssl_cafile, paths.openssl_capath, *candidates]
        return TlsCheck(False, "none", 0, HELP, "looked in " + ", ".join(tried))
    return _load(found_file, found_dir, found_file or found_dir or "")
