"""Miner logins for privileged commands, from the OS keyring only.

The miner's own entry ``miner:<credentials_ref>`` first, then the farm default for its
firmware family ``miner-family:<family>``, both under the user name "admin".  Secrets
never touch the database.  Used by batch operations and curtailment alike.
"""

from __future__ import annotations

from typing import Protocol

from hashinsight_desktop.core.miners.control import MinerCredentials
from hashinsight_desktop.services import secrets


class HasLogin(Protocol):
    credentials_ref: str | None
    family: str | None


def keyring_credentials(target: HasLogin) -> MinerCredentials | None:
    for name in (f"miner:{target.credentials_ref}" if target.credentials_ref else None,
                 f"miner-family:{target.family}" if target.family else None):
        if name and (password := secrets.get_secret(name, "admin")):
            return MinerCredentials(password)
    return None


def no_credentials(_target: object) -> None:
    """For firmwares whose commands need no login (and tests that pass their own)."""
    return None
