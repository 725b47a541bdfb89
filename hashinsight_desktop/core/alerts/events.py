"""What the alert engine consumes (rules) and produces (raise and clear events)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

SEVERITIES = ("info", "watch", "warning", "critical")

# The rule kinds this engine understands (the same names as store.seed.DEFAULT_ALERT_RULES).
KINDS = (
    "temp_high",
    "hashrate_low",
    "offline",
    "fan_failure",
    "hashboard_missing",
    "wrong_pool",
    "peer_outlier",
    "hashrate_decline",
)


@dataclasses.dataclass(frozen=True, slots=True)
class AlertRule:
    """One user-editable rule: a condition must hold ``duration_s`` before it fires."""

    kind: str
    threshold: float | None = None
    duration_s: int = 0
    severity: str = "warning"
    enabled: bool = True
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    rule_id: int | None = None  # the alert_rules row, when loaded from the database

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown alert kind {self.kind!r}; expected one of {', '.join(KINDS)}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} of rule {self.kind} is not one of "
                             f"{', '.join(SEVERITIES)}")
        if self.duration_s is None or self.duration_s < 0:
            raise ValueError(f"duration_s of rule {self.kind} must be >= 0, got {self.duration_s}")
        if self.threshold is not None and not math.isfinite(self.threshold):
            raise ValueError(f"threshold of rule {self.kind} must be a finite number")

    def param(self, name: str, default: float) -> float:
        value = self.params.get(name, default)
        return float(value) if value is not None else default


@dataclasses.dataclass(frozen=True, slots=True)
class AlertRaised:
    """A condition holds (past its duration) for one miner.

    Emitted on every cycle while it holds, so the store can refresh ``last_seen_at`` and
    ``value``; ``new`` is True only on the cycle it starts firing.
    """

    miner_id: int
    kind: str
    severity: str
    message: str
    value: float | None
    new: bool = True


@dataclasses.dataclass(frozen=True, slots=True)
class AlertCleared:
    """A firing condition no longer holds for one miner."""

    miner_id: int
    kind: str


AlertEvent = AlertRaised | AlertCleared
