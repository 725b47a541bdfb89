"""What every simulated firmware shares: the farm state it reads, cgminer-style
status blocks and the cgminer pool commands.

A family is a :class:`Firmware` subclass with a ``commands`` table mapping a command
name to a method ``(index, parameter) -> dict``; the server turns the dict into the
wire bytes with :meth:`Firmware.encode`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any, ClassVar

from hashinsight_desktop.simulator.dynamics import FleetDynamics
from hashinsight_desktop.simulator.layout import SimMinerSpec

Reply = dict[str, Any]
# One encoder for every reply: json.dumps with non-default options builds a new one per
# call.  Same options, so the bytes are identical.
_COMPACT = json.JSONEncoder(separators=(",", ":"))
Handler = Callable[[int, "str | None"], Reply]


@dataclasses.dataclass
class Pool:
    url: str
    user: str
    enabled: bool = True


def default_pools(spec: SimMinerSpec) -> list[Pool]:
    account = (spec.client or "hashinsight").lower().replace(" ", "")
    worker = f"{account}.{spec.hostname.replace('-', '')}"
    return [
        Pool("stratum+tcp://btc.pool.example:3333", worker),
        Pool("stratum+tcp://btc-eu.pool.example:3333", worker),
        Pool("stratum+tcp://btc-backup.pool.example:443", worker),
    ]


class Farm:
    """The state a firmware reads and changes: specs, dynamics, per-miner settings."""

    def __init__(self, specs: list[SimMinerSpec], dynamics: FleetDynamics) -> None:
        self.specs = specs
        self.dyn = dynamics
        self.pools: dict[int, list[Pool]] = {}
        self.active_pool: dict[int, int] = {}

    def pools_of(self, index: int) -> list[Pool]:
        if index not in self.pools:
            self.pools[index] = default_pools(self.specs[index])
            self.active_pool[index] = 0
        return self.pools[index]

    @property
    def when(self) -> int:
        return int(self.dyn.now)


class Firmware:
    """Base of the four simulated firmwares."""

    family: ClassVar[str]
    description: ClassVar[str] = "cgminer 1.0.0"
    supports_multi: ClassVar[bool] = True
    write_commands: ClassVar[frozenset[str]] = frozenset(
        {"restart", "quit", "addpool", "switchpool", "enablepool", "disablepool",
         "removepool", "poolpriority", "save", "zero", "ascset", "setconfig"})

    def __init__(self, farm: Farm) -> None:
        self.farm = farm
        self.commands: dict[str, Handler] = {}

    # -------------------------------------------------------------- entry point
    def answer(self, index: int, command: str, parameter: str | None) -> Reply:
        """The reply object for one (possibly ``+``-joined) command."""
        if "+" in command:
            return self.answer_multi(index, command, parameter)
        handler = self.commands.get(command)
        if handler is None:
            return self.invalid_command(command)
        return handler(index, parameter)

    def answer_multi(self, index: int, command: str, parameter: str | None) -> Reply:
        """cgminer's joined commands: each sub-reply wrapped in a one-element list."""
        names = command.split("+")
        if not self.supports_multi or any(
                n not in self.commands or n in self.write_commands for n in names):
            return self.invalid_command(command)
        joined: Reply = {}
        for name in names:
            joined[name] = [self.commands[name](index, parameter)]
        joined["id"] = 1
        return joined

    def encrypted(self, index: int, request: dict[str, Any]) -> Reply:
        return self.invalid_command("enc")

    def encode(self, reply: Reply) -> bytes:
        """Wire bytes: compact JSON as the firmware prints it, then one NUL."""
        return _COMPACT.encode(reply).encode() + b"\x00"

    # -------------------------------------------------------------- cgminer status
    def status(self, code: int, msg: str, severity: str = "S") -> list[dict[str, Any]]:
        return [{"STATUS": severity, "When": self.farm.when, "Code": code, "Msg": msg,
                 "Description": self.description}]

    def stamp(self, reply: Reply, **changes: Any) -> Reply:
        """Refresh the template's STATUS block in place, keeping its key order."""
        block = dict(reply["STATUS"][0])
        block["When"] = self.farm.when
        block.update(changes)
        reply["STATUS"] = [block]
        return reply

    def invalid_command(self, command: str) -> Reply:
        return {"STATUS": self.status(14, "Invalid command", "E"), "id": 1}

    def access_denied(self, command: str) -> Reply:
        return {"STATUS": self.status(45, f"Access denied to '{command}' command", "E"),
                "id": 1}

    def message(self, code: int, msg: str, severity: str = "S") -> Reply:
        return {"STATUS": self.status(code, msg, severity), "id": 1}

    # -------------------------------------------------------------- cgminer pools
    def install_pool_commands(self) -> None:
        self.commands.update({
            "addpool": self.cmd_addpool, "switchpool": self.cmd_switchpool,
            "enablepool": self.cmd_enablepool, "disablepool": self.cmd_disablepool,
            "removepool": self.cmd_removepool, "restart": self.cmd_restart,
        })

    def _pool_id(self, index: int, parameter: str | None) -> int | Reply:
        pools = self.farm.pools_of(index)
        if parameter is None or parameter.strip() == "":
            return self.message(25, "Missing pool id parameter", "E")
        try:
            pid = int(parameter.split(",")[-1])
        except ValueError:
            pid = -1
        if not 0 <= pid < len(pools):
            return self.message(26, f"Invalid pool id {pid} - range is 0 - {len(pools) - 1}",
                                "E")
        return pid

    def cmd_addpool(self, index: int, parameter: str | None) -> Reply:
        parts = (parameter or "").split(",")
        if len(parts) < 2 or not parts[0] or not parts[1]:
            return self.message(52, "Missing addpool details", "E")
        pools = self.farm.pools_of(index)
        pools.append(Pool(parts[0], parts[1]))
        return self.message(55, f"Added pool {len(pools) - 1}: '{parts[0]}'")

    def cmd_switchpool(self, index: int, parameter: str | None) -> Reply:
        pid = self._pool_id(index, parameter)
        if isinstance(pid, dict):
            return pid
        pool = self.farm.pools_of(index)[pid]
        pool.enabled = True
        self.farm.active_pool[index] = pid
        return self.message(27, f"Switching to pool {pid}:'{pool.url}'")

    def cmd_enablepool(self, index: int, parameter: str | None) -> Reply:
        pid = self._pool_id(index, parameter)
        if isinstance(pid, dict):
            return pid
        pool = self.farm.pools_of(index)[pid]
        if pool.enabled:
            return self.message(49, f"Pool {pid}:'{pool.url}' already enabled", "I")
        pool.enabled = True
        return self.message(47, f"Enabling pool {pid}:'{pool.url}'")

    def cmd_disablepool(self, index: int, parameter: str | None) -> Reply:
        pid = self._pool_id(index, parameter)
        if isinstance(pid, dict):
            return pid
        pools = self.farm.pools_of(index)
        pool = pools[pid]
        if not pool.enabled:
            return self.message(50, f"Pool {pid}:'{pool.url}' already disabled", "I")
        if sum(p.enabled for p in pools) == 1:
            return self.message(51, f"Cannot disable last active pool {pid}:'{pool.url}'", "E")
        pool.enabled = False
        if self.farm.active_pool[index] == pid:
            self.farm.active_pool[index] = next(i for i, p in enumerate(pools) if p.enabled)
        return self.message(48, f"Disabling pool {pid}:'{pool.url}'")

    def cmd_removepool(self, index: int, parameter: str | None) -> Reply:
        pid = self._pool_id(index, parameter)
        if isinstance(pid, dict):
            return pid
        pools = self.farm.pools_of(index)
        pool = pools[pid]
        if len(pools) == 1:
            return self.message(66, f"Cannot remove last pool {pid}:'{pool.url}'", "E")
        if self.farm.active_pool[index] == pid:
            return self.message(67, f"Cannot remove active pool {pid}:'{pool.url}'", "E")
        del pools[pid]
        if self.farm.active_pool[index] > pid:
            self.farm.active_pool[index] -= 1
        return self.message(68, f"Removed pool {pid}:'{pool.url}'")

    def cmd_restart(self, index: int, parameter: str | None) -> Reply:
        self.farm.dyn.restart(index)
        return {"STATUS": "RESTART"}

    # -------------------------------------------------------------- pool listing
    def pool_rows(self, index: int, templates: list[dict[str, Any]], first_id: int = 0
                  ) -> list[dict[str, Any]]:
        """Fill the template's pool rows (row 0 = active look, row 1 = standby look)."""
        dyn = self.farm.dyn
        pools = self.farm.pools_of(index)
        active = self.farm.active_pool[index]
        rows = []
        for pid, pool in enumerate(pools):
            row = dict(templates[0] if pid == active else templates[min(1, len(templates) - 1)])
            row.update({"POOL": pid + first_id, "URL": pool.url, "User": pool.user,
                        "Priority": pid, "Stratum Active": pid == active,
                        "Status": "Alive" if pool.enabled else "Disabled"})
            if "Stratum URL" in row:
                row["Stratum URL"] = pool.url.split("://")[-1].rsplit(":", 1)[0]
            if pid == active:
                acc, rej = int(dyn.accepted[index]), int(dyn.rejected[index])
                row["Accepted"], row["Rejected"] = acc, rej
                if "Difficulty Accepted" in row:
                    row["Difficulty Accepted"] = type(row["Difficulty Accepted"])(acc * 65536)
                    row["Difficulty Rejected"] = type(row["Difficulty Rejected"])(rej * 65536)
            else:
                row["Accepted"], row["Rejected"] = 0, 0
            rows.append(row)
        return rows
