"""Miner logins from the OS keyring, for execution started from the CLI or the UI.

Same convention as the batch operations: the miner's own entry
``miner:<credentials_ref>`` first, then the farm default ``miner-family:<family>``,
both under the user name "admin".  Secrets never touch the database.
"""

from __future__ import annotations

from hashinsight_desktop.core.miners.control import MinerCredentials
from hashinsight_desktop.services import secrets
from hashinsight_desktop.services.curtailment_exec.targets import MinerTarget


def keyring_credentials(target: MinerTarget) -> MinerCredentials | None:
    for name in (f"miner:{target.credentials_ref}" if target.credentials_ref else None,
                 f"miner-family:{target.family}" if target.family else None):
        if name and (password := secrets.get_secret(name, "admin")):
            return MinerCredentials(password)
    return None
