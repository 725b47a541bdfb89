"""Secrets (database passwords, API keys, miner credentials) live only in the OS keyring.

Where no keyring backend exists (a headless Linux box without Secret Service), the
secret is kept in this process's memory for the session only and ``backend_status``
says so, so the UI and CLI can tell the user.  Secrets are never written to a config
file, the database or a log, and never appear in an exception message.
"""

from __future__ import annotations

import dataclasses
import threading

import keyring
import keyring.backend
import keyring.errors

SERVICE = "HashInsight Desktop"

_session_only: dict[tuple[str, str], str] = {}
_lock = threading.Lock()


@dataclasses.dataclass(frozen=True)
class BackendStatus:
    persistent: bool
    name: str
    message: str


def _usable_backend() -> keyring.backend.KeyringBackend | None:
    backend = keyring.get_keyring()
    priority = getattr(backend, "priority", 0)
    module = type(backend).__module__
    if module.startswith("keyring.backends.fail") or module.startswith("keyring.backends.null"):
        return None
    if module.startswith("keyring.backends.chainer") and not getattr(backend, "backends", None):
        return None
    if priority is not None and priority <= 0 and not module.startswith("keyring.backends.chainer"):
        return None
    return backend


def backend_status() -> BackendStatus:
    backend = _usable_backend()
    if backend is None:
        return BackendStatus(
            False, "session memory",
            "No OS keyring is available (install and unlock a Secret Service such as "
            "GNOME Keyring or KWallet): secrets are kept for this session only and must "
            "be entered again next time.")
    return BackendStatus(True, type(backend).__name__, "Secrets are stored in the OS keyring.")


def set_secret(name: str, username: str, secret: str) -> BackendStatus:
    """Store a secret under ``name`` (e.g. 'postgresql://host:5432/db') and ``username``."""
    backend = _usable_backend()
    if backend is not None:
        try:
            backend.set_password(f"{SERVICE}: {name}", username, secret)
            return backend_status()
        except keyring.errors.KeyringError:
            pass  # locked or broken keyring: fall back to the session, and say so
    with _lock:
        _session_only[(name, username)] = secret
    return BackendStatus(False, "session memory",
                         "The OS keyring refused the secret: kept for this session only.")


def get_secret(name: str, username: str) -> str | None:
    with _lock:
        if (name, username) in _session_only:
            return _session_only[(name, username)]
    backend = _usable_backend()
    if backend is None:
        return None
    try:
        return backend.get_password(f"{SERVICE}: {name}", username)
    except keyring.errors.KeyringError:
        return None


def delete_secret(name: str, username: str) -> None:
    with _lock:
        _session_only.pop((name, username), None)
    backend = _usable_backend()
    if backend is None:
        return
    try:
        backend.delete_password(f"{SERVICE}: {name}", username)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError:
        pass


def clear_session_secrets() -> None:
    with _lock:
        _session_only.clear()
