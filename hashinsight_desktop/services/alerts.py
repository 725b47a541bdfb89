"""Alerts in the database: store engine events, acknowledge, list, edit rule thresholds.

The core (``core.alerts``) decides *what* fires; this module keeps the ``alerts`` table
in step with it.  One active row per (miner, kind): a repeated raise refreshes
``last_seen_at``/``value``, a clear closes the row (``active = false``, ``cleared_at``),
and a later raise opens a new row so the history keeps every episode.  Each call is one
transaction (SQLAlchemy Core on an Engine; SQLite and PostgreSQL alike).

Only one workstation collects at a time, so one writer applies events; the active-row
lookup and the writes share a transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence

import numpy as np
from sqlalchemy import Connection, and_, bindparam, insert, select, update
from sqlalchemy.engine import Engine

from hashinsight_desktop.core.alerts.events import (
    KINDS,
    SEVERITIES,
    AlertCleared,
    AlertEvent,
    AlertRaised,
    AlertRule,
)
from hashinsight_desktop.core.alerts.hold import HoldState
from hashinsight_desktop.store.schema.accounts import users
from hashinsight_desktop.store.schema.alerts import alert_rules, alerts

_UNSET = object()


class AlertError(ValueError):
    """A request about alerts or rules that cannot be honoured (one clear line)."""


@dataclasses.dataclass(frozen=True, slots=True)
class AlertRecord:
    """One row of the alerts table as plain data (safe to hand to the GUI thread)."""

    id: int
    miner_id: int | None
    kind: str
    severity: str
    message: str
    value: float | None
    active: bool
    started_at: dt.datetime
    last_seen_at: dt.datetime
    cleared_at: dt.datetime | None
    acknowledged_by: int | None
    acknowledged_at: dt.datetime | None


@dataclasses.dataclass(frozen=True, slots=True)
class ApplyResult:
    opened: int = 0
    refreshed: int = 0
    cleared: int = 0


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes: they were stored as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _now(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        raise AlertError("timestamps must be timezone-aware (UTC)")
    return now.astimezone(dt.UTC)


def _record(row) -> AlertRecord:
    return AlertRecord(
        id=row.id, miner_id=row.miner_id, kind=row.kind, severity=row.severity,
        message=row.message, value=row.value, active=bool(row.active),
        started_at=_utc(row.started_at), last_seen_at=_utc(row.last_seen_at),
        cleared_at=_utc(row.cleared_at), acknowledged_by=row.acknowledged_by,
        acknowledged_at=_utc(row.acknowledged_at))


# --- rules -------------------------------------------------------------------------------

def _rule(row) -> AlertRule:
    params = json.loads(row.params_json) if row.params_json else {}
    return AlertRule(kind=row.kind, threshold=row.threshold, duration_s=row.duration_s or 0,
                     severity=row.severity, enabled=bool(row.enabled), params=params,
                     rule_id=row.id)


def load_rules(engine: Engine) -> dict[str, AlertRule]:
    """All rules by kind (kinds this version does not know are skipped)."""
    with engine.connect() as conn:
        rows = conn.execute(select(alert_rules)).all()
    return {r.kind: _rule(r) for r in rows if r.kind in KINDS}


def update_rule(engine: Engine, kind: str, *, threshold: object = _UNSET,
                duration_s: object = _UNSET, severity: object = _UNSET,
                enabled: object = _UNSET) -> AlertRule:
    """Change a rule's threshold, duration, severity or enabled flag; returns the new rule."""
    changes: dict[str, object] = {}
    if threshold is not _UNSET:
        if threshold is not None and (not isinstance(threshold, int | float)
                                      or isinstance(threshold, bool)
                                      or not math.isfinite(threshold)):
            raise AlertError(f"threshold of rule {kind} must be a finite number, got {threshold!r}")
        changes["threshold"] = None if threshold is None else float(threshold)
    if duration_s is not _UNSET:
        if not isinstance(duration_s, int) or isinstance(duration_s, bool) or duration_s < 0:
            raise AlertError(f"duration_s of rule {kind} must be a whole number of seconds >= 0, "
                             f"got {duration_s!r}")
        changes["duration_s"] = duration_s
    if severity is not _UNSET:
        if severity not in SEVERITIES:
            raise AlertError(f"severity {severity!r} of rule {kind} is not one of "
                             f"{', '.join(SEVERITIES)}")
        changes["severity"] = severity
    if enabled is not _UNSET:
        if not isinstance(enabled, bool):
            raise AlertError(f"enabled of rule {kind} must be true or false, got {enabled!r}")
        changes["enabled"] = enabled
    with engine.begin() as conn:
        row = conn.execute(select(alert_rules).where(alert_rules.c.kind == kind)).first()
        if row is None:
            known = ", ".join(conn.scalars(select(alert_rules.c.kind).order_by(alert_rules.c.kind)))
            raise AlertError(f"no alert rule {kind!r}; known rules: {known}")
        if changes:
            conn.execute(update(alert_rules).where(alert_rules.c.id == row.id).values(**changes))
            row = conn.execute(select(alert_rules).where(alert_rules.c.id == row.id)).one()
    return _rule(row)


# --- events ------------------------------------------------------------------------------

def _active_rows(conn: Connection, pairs: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """Active alert ids for the given (miner, kind) pairs, fetched kind by kind."""
    found: dict[tuple[int, str], int] = {}
    by_kind: dict[str, list[int]] = {}
    for miner_id, kind in pairs:
        by_kind.setdefault(kind, []).append(miner_id)
    for kind, miner_ids in by_kind.items():
        for start in range(0, len(miner_ids), 900):  # stay under SQLite's parameter limit
            chunk = miner_ids[start:start + 900]
            rows = conn.execute(select(alerts.c.id, alerts.c.miner_id).where(
                alerts.c.active.is_(True), alerts.c.kind == kind,
                alerts.c.miner_id.in_(chunk)))
            found.update({(r.miner_id, kind): r.id for r in rows})
    return found


def apply_events(engine: Engine, events: Sequence[AlertEvent], *,
                 rules: dict[str, AlertRule] | None = None,
                 now: dt.datetime | None = None) -> ApplyResult:
    """Store one cycle's events in one transaction: open, refresh or clear alert rows."""
    stamp = _now(now)
    raised = {(e.miner_id, e.kind): e for e in events if isinstance(e, AlertRaised)}
    cleared = {(e.miner_id, e.kind) for e in events if isinstance(e, AlertCleared)}
    cleared -= raised.keys()  # a raise in the same batch wins
    if not raised and not cleared:
        return ApplyResult()
    rule_ids = {k: r.rule_id for k, r in (rules or {}).items()}
    with engine.begin() as conn:
        if rules is None:
            rule_ids = dict(conn.execute(select(alert_rules.c.kind, alert_rules.c.id)).all())
        active = _active_rows(conn, set(raised) | cleared)
        refresh = [
            {"b_id": active[key], "b_value": e.value, "b_message": e.message,
             "b_severity": e.severity, "b_seen": stamp}
            for key, e in raised.items() if key in active
        ]
        opened = [
            {"rule_id": rule_ids.get(e.kind), "miner_id": e.miner_id, "kind": e.kind,
             "severity": e.severity, "message": e.message, "value": e.value, "active": True,
             "started_at": stamp, "last_seen_at": stamp}
            for key, e in raised.items() if key not in active
        ]
        closing = [{"b_id": active[key], "b_cleared": stamp} for key in cleared if key in active]
        if refresh:
            conn.execute(
                update(alerts).where(alerts.c.id == bindparam("b_id")).values(
                    value=bindparam("b_value"), message=bindparam("b_message"),
                    severity=bindparam("b_severity"), last_seen_at=bindparam("b_seen")),
                refresh)
        if opened:
            conn.execute(insert(alerts), opened)
        if closing:
            conn.execute(
                update(alerts).where(alerts.c.id == bindparam("b_id")).values(
                    active=False, cleared_at=bindparam("b_cleared")),
                closing)
    return ApplyResult(opened=len(opened), refreshed=len(refresh), cleared=len(closing))


def restore_state(engine: Engine, state: HoldState) -> int:
    """Seed a fresh engine state with the alerts still active in the database.

    Without this, an alert active before a restart would never clear.  Returns how many.
    """
    with engine.connect() as conn:
        rows = conn.execute(select(alerts.c.kind, alerts.c.miner_id, alerts.c.started_at)
                            .where(alerts.c.active.is_(True), alerts.c.miner_id.is_not(None))).all()
    by_kind: dict[str, list[tuple[int, float]]] = {}
    for r in rows:
        by_kind.setdefault(r.kind, []).append((r.miner_id, _utc(r.started_at).timestamp()))
    for kind, items in by_kind.items():
        state.restore_active(kind, np.array([i for i, _ in items], dtype=np.int64),
                             np.array([s for _, s in items], dtype=float))
    return len(rows)


# --- users' view -------------------------------------------------------------------------

def acknowledge(engine: Engine, alert_ids: Iterable[int], user_id: int, *,
                now: dt.datetime | None = None) -> int:
    """Mark alerts acknowledged by a user; already acknowledged ones keep their first ack.

    Returns how many were newly acknowledged.  Unknown alert or user ids are an error
    (nothing is changed then).
    """
    ids = sorted({int(i) for i in alert_ids})
    stamp = _now(now)
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.id == user_id)).first() is None:
            raise AlertError(f"no user with id {user_id}")
        existing = set(conn.scalars(select(alerts.c.id).where(alerts.c.id.in_(ids)))) if ids else set()
        missing = [i for i in ids if i not in existing]
        if missing:
            raise AlertError(f"no alert with id {', '.join(map(str, missing))}")
        if not ids:
            return 0
        result = conn.execute(
            update(alerts).where(alerts.c.id.in_(ids), alerts.c.acknowledged_at.is_(None))
            .values(acknowledged_by=user_id, acknowledged_at=stamp))
        return result.rowcount


def list_active(engine: Engine, *, miner_ids: Iterable[int] | None = None,
                kinds: Iterable[str] | None = None, severities: Iterable[str] | None = None,
                acknowledged: bool | None = None, limit: int | None = None) -> list[AlertRecord]:
    """Active alerts, most severe then newest first, optionally filtered."""
    conds = [alerts.c.active.is_(True)]
    if miner_ids is not None:
        conds.append(alerts.c.miner_id.in_(list(miner_ids)))
    if kinds is not None:
        kinds = list(kinds)
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise AlertError(f"unknown alert kind {unknown[0]!r}; expected one of {', '.join(KINDS)}")
        conds.append(alerts.c.kind.in_(kinds))
    if severities is not None:
        severities = list(severities)
        unknown = [s for s in severities if s not in SEVERITIES]
        if unknown:
            raise AlertError(f"unknown severity {unknown[0]!r}; expected one of "
                             f"{', '.join(SEVERITIES)}")
        conds.append(alerts.c.severity.in_(severities))
    if acknowledged is True:
        conds.append(alerts.c.acknowledged_at.is_not(None))
    elif acknowledged is False:
        conds.append(alerts.c.acknowledged_at.is_(None))
    stmt = select(alerts).where(and_(*conds)).order_by(alerts.c.started_at.desc(),
                                                       alerts.c.id.desc())
    with engine.connect() as conn:
        records = [_record(r) for r in conn.execute(stmt)]
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    records.sort(key=lambda a: -rank.get(a.severity, 0))  # stable: keeps newest first
    return records[:limit] if limit is not None else records


def miner_history(engine: Engine, miner_id: int, *, limit: int = 200) -> list[AlertRecord]:
    """Every alert episode of one miner, newest first (active and cleared)."""
    stmt = (select(alerts).where(alerts.c.miner_id == miner_id)
            .order_by(alerts.c.started_at.desc(), alerts.c.id.desc()).limit(limit))
    with engine.connect() as conn:
        return [_record(r) for r in conn.execute(stmt)]
