"""The API key in the OS keyring (Keychain, Credential Locker, Secret Service), or in memory.

Never on disk in plain text: when no secure backend exists, the key lives in this
process only, and :attr:`SecretStore.secure` is False with a reason to show.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)
SERVICE = "ftstudio"
DEFAULT_ACCOUNT = "https://api.openai.com/v1"
_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def _is_secure(backend: Any) -> bool:
    module = type(backend).__module__
    if module.startswith(_INSECURE_MODULES):
        return False
    children = getattr(backend, "backends", None)  # the chainer backend
    if children is not None:
        return any(_is_secure(child) for child in children)
    return True


class SecretStore:
    """Read, write and delete the API key of one service account.

    Parameters
    ----------
    backend
        A ``keyring`` backend; None uses the platform's default.
    """

    def __init__(self, backend: Any = None) -> None:
        import keyring

        self._backend = backend if backend is not None else keyring.get_keyring()
        self.secure = _is_secure(self._backend)
        self._memory: dict[str, str] = {}
        self.reason = (
            ""
            if self.secure
            else "No secure key store was found on this computer (for example, no "
            "Secret Service on this Linux desktop), so the key is kept only until "
            "ftstudio closes."
        )

    @property
    def backend_name(self) -> str:
        """Return a readable name of where keys are kept."""
        if not self.secure:
            return "this session only (memory)"
        return str(getattr(self._backend, "name", type(self._backend).__name__))

    def get(self, account: str = DEFAULT_ACCOUNT) -> str | None:
        """Return the stored key, or None."""
        if not self.secure:
            return self._memory.get(account)
        try:
            value = self._backend.get_password(SERVICE, account)
        except Exception as exc:  # a locked or broken keyring must not crash the app
            log.warning("cannot read the key store: %s", type(exc).__name__)
            return self._memory.get(account)
        return str(value) if value is not None else self._memory.get(account)

    def set(self, secret: str, account: str = DEFAULT_ACCOUNT) -> bool:
        """Store ``secret``; return True when it went to the OS key store."""
        from ftstudio.core.redact import register_secret

        register_secret(secret)
        if self.secure:
            try:
                self._backend.set_password(SERVICE, account, secret)
            except Exception as exc:
                log.warning("cannot write the key store: %s", type(exc).__name__)
            else:
                self._memory.pop(account, None)
                return True
        self._memory[account] = secret
        return False

    def delete(self, account: str = DEFAULT_ACCOUNT) -> None:
        """Forget the key (both in the key store and in memory)."""
        self._memory.pop(account, None)
        if self.secure:
            try:
                self._backend.delete_password(SERVICE, account)
            except Exception as exc:  # absent already, or the store refused
                log.info("key store delete: %s", type(exc).__name__)
