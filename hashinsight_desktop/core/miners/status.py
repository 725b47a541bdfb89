"""Finishing a reading: catalog look-up, power estimate, and the status decision."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hashinsight_desktop.core.miners.identify import Identity
from hashinsight_desktop.core.miners.parsers.common import ParseNotes
from hashinsight_desktop.core.miners.reading import (
    STATUS_CURTAILED,
    STATUS_DEGRADED,
    STATUS_ERROR,
    STATUS_OK,
    MinerReading,
)

# Hash rate under this share of nominal counts as degraded.
UNDER_NOMINAL_RATIO = 0.8
# A board under this share of the mean board rate is called out by name.
WEAK_BOARD_RATIO = 0.5

CatalogLookup = Callable[[str | None], Any]


def finalize(
    reading: MinerReading,
    identity: Identity,
    notes: ParseNotes,
    catalog_lookup: CatalogLookup | None,
) -> MinerReading:
    """Fill identity and catalog data into ``reading`` and decide its status."""
    reading.family = identity.family
    reading.make = reading.make or identity.make
    reading.model = identity.model or reading.model
    reading.firmware = identity.firmware or reading.firmware
    reading.mac = reading.mac or identity.mac
    reading.serial = reading.serial or identity.serial
    reading.hostname = reading.hostname or identity.hostname
    spec = _lookup(catalog_lookup, reading.model)
    if spec is not None:
        reading.make = spec.make
        reading.model = spec.model
        if reading.nominal_ths is None:
            reading.nominal_ths = float(spec.hashrate_ths)
        if spec.chips_per_board:
            for board in reading.hashboards:
                if board.expected_chips is None:
                    board.expected_chips = int(spec.chips_per_board)
    _estimate_power(reading, spec)
    _decide_status(reading, notes, spec)
    return reading


def _lookup(catalog_lookup: CatalogLookup | None, model: str | None) -> Any:
    if catalog_lookup is None or not model:
        return None
    try:
        return catalog_lookup(model)
    except Exception:  # a user-supplied catalog must not break a poll
        return None


def _estimate_power(reading: MinerReading, spec: Any) -> None:
    """Nameplate power scaled by hashrate / nameplate hashrate (capped at 1.2x).

    A first-order estimate: ASIC power is roughly proportional to hash rate at a fixed
    efficiency.  Flagged with ``power_estimated`` so no one bills from it.
    """
    if reading.power_w is not None or spec is None or reading.hashrate_ths is None:
        return
    if not spec.hashrate_ths or not spec.power_w:
        return
    ratio = min(max(reading.hashrate_ths / float(spec.hashrate_ths), 0.0), 1.2)
    reading.power_w = round(float(spec.power_w) * ratio, 1)
    reading.power_estimated = True


def _decide_status(reading: MinerReading, notes: ParseNotes, spec: Any) -> None:
    if notes.curtailed:
        reading.status, reading.error = STATUS_CURTAILED, notes.curtailed
        return
    if reading.hashrate_ths is None and not reading.hashboards:
        reading.status = STATUS_ERROR
        reading.error = reading.error or "the miner answered but reported no hash rate"
        return
    problems = list(notes.problems)
    problems += _board_problems(reading, notes, spec)
    nominal, rate = reading.nominal_ths, reading.hashrate_ths
    if nominal and rate is not None and rate < UNDER_NOMINAL_RATIO * nominal:
        problems.append(f"hash rate {rate:.1f} TH/s is {100 * rate / nominal:.0f}% of nominal "
                        f"{nominal:.1f} TH/s")
    if spec is not None and spec.cooling == "air" and reading.fans_rpm:
        stopped = [i for i, rpm in enumerate(reading.fans_rpm) if rpm == 0]
        if stopped and len(stopped) < len(reading.fans_rpm):
            problems.append("fan " + ", ".join(str(i + 1) for i in stopped) + " stopped")
    if problems:
        reading.status, reading.error = STATUS_DEGRADED, "; ".join(problems)
    else:
        reading.status, reading.error = STATUS_OK, None


def _board_problems(reading: MinerReading, notes: ParseNotes, spec: Any) -> list[str]:
    problems: list[str] = []
    boards = reading.hashboards
    expected = notes.expected_boards or (spec.hashboards if spec is not None else None)
    live = [b for b in boards if (b.hashrate_ths or 0) > 0]
    if expected and boards and len(live) < expected:
        problems.append(f"{expected - len(live)} of {expected} hashboards missing or dead")
    rates = [b.hashrate_ths for b in live if b.hashrate_ths is not None]
    if len(rates) >= 2:
        mean = sum(rates) / len(rates)
        weak = [b.slot for b in live if (b.hashrate_ths or 0) < WEAK_BOARD_RATIO * mean]
        if weak:
            problems.append("weak hashboard " + ", ".join(str(s) for s in weak))
    for board in boards:
        if board.chips is not None and board.expected_chips and board.chips < board.expected_chips:
            problems.append(f"board {board.slot}: {board.chips}/{board.expected_chips} chips")
    return problems
