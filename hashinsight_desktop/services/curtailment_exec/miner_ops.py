"""Command one miner and check, by polling it again, that the command took effect.

A firmware's "OK" is not proof: a Whatsminer acknowledges a power limit it then
ignores, an Avalon maps watts to its nearest work mode.  So every command is followed
by a poll; a miner that did not change gets the command once more, then counts as
failed, and the make-up round covers it.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable

from hashinsight_desktop.core.miners.client import PollTimeouts, poll_miner
from hashinsight_desktop.core.miners.control import ControlAction, MinerCredentials, send_control
from hashinsight_desktop.core.miners.control.actions import DONE, UNSUPPORTED
from hashinsight_desktop.core.miners.reading import MinerReading
from hashinsight_desktop.services.curtailment_exec.targets import MinerTarget

CredentialsFor = Callable[[MinerTarget], MinerCredentials | None]
_AWAKE = ("ok", "degraded")


@dataclasses.dataclass(frozen=True, slots=True)
class VerifySettings:
    """How long to wait for a miner to show the change: ``polls`` polls, ``interval_s`` apart."""

    polls: int = 3
    interval_s: float = 2.0
    timeouts: PollTimeouts = dataclasses.field(default_factory=PollTimeouts)


DEFAULT_VERIFY = VerifySettings()


@dataclasses.dataclass(frozen=True, slots=True)
class MinerOutcome:
    target: MinerTarget
    status: str  # verified / sent (not verified) / failed / unsupported / recovered
    detail: str
    saved_w: float  # measured when verified, else as planned (0 when nothing happened)


def curtailed_enough(target: MinerTarget, reading: MinerReading) -> bool:
    before = target.power_before_w
    if target.action == "off":
        return reading.status == "curtailed" or (
            reading.status in _AWAKE and reading.power_w is not None
            and not reading.power_estimated and reading.power_w <= 0.2 * before)
    return (reading.status in _AWAKE and reading.power_w is not None
            and not reading.power_estimated
            and reading.power_w <= before - 0.5 * target.power_saved_w)


def restored(target: MinerTarget, reading: MinerReading) -> bool:
    # a woken miner ramps for minutes: hashing again is the proof, not full power
    return reading.status in _AWAKE


async def _await_state(target: MinerTarget, check: Callable[[MinerTarget, MinerReading], bool],
                       settings: VerifySettings) -> tuple[bool, MinerReading]:
    reading = MinerReading(ip=target.ip, port=target.port)
    for attempt in range(max(1, settings.polls)):
        if attempt:
            await asyncio.sleep(settings.interval_s)
        reading = await poll_miner(target.ip, target.port, timeouts=settings.timeouts,
                                   family_hint=target.family)
        if check(target, reading):
            return True, reading
    return False, reading


def _seen(reading: MinerReading) -> str:
    power = "?" if reading.power_w is None else f"{reading.power_w:,.0f} W"
    return f"miner reads {reading.status}, {power}" + (
        f" ({reading.error})" if reading.error else "")


async def command_and_verify(target: MinerTarget, command: ControlAction,
                             credentials: MinerCredentials | None, *, verify: bool,
                             check: Callable[[MinerTarget, MinerReading], bool],
                             settings: VerifySettings, success: str) -> MinerOutcome:
    """Send ``command``; poll until ``check`` holds; one retry.  Never raises."""
    problems: list[str] = []
    for attempt in (1, 2):
        result = await send_control(target.ip, target.port, command, family=target.family,
                                    credentials=credentials, catalog_model=target.model)
        if result.status == UNSUPPORTED:
            return MinerOutcome(target, "unsupported", result.detail, 0.0)
        if result.status != DONE:
            problems.append(f"try {attempt}: {result.detail}")
            continue
        if not verify:
            return MinerOutcome(target, "sent", f"{result.detail} (not verified)",
                                target.power_saved_w)
        ok, reading = await _await_state(target, check, settings)
        if ok:
            saved = target.power_saved_w
            if reading.power_w is not None and not reading.power_estimated:
                saved = max(0.0, target.power_before_w - reading.power_w)
            return MinerOutcome(target, success, f"{result.detail}; {_seen(reading)}", saved)
        problems.append(f"try {attempt}: {result.detail}, but {_seen(reading)}")
    return MinerOutcome(target, "failed", "; ".join(problems), 0.0)
