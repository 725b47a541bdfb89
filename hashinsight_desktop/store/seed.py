"""First-run data: the built-in ASIC catalog and the default alert rules (idempotent)."""

from __future__ import annotations

import json

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from hashinsight_desktop.core.catalog import builtin_models
from hashinsight_desktop.store.schema.alerts import alert_rules
from hashinsight_desktop.store.schema.fleet import asic_models

DEFAULT_ALERT_RULES = (
    # kind, name, threshold, duration_s, severity, params
    ("temp_high", "Chip temperature over threshold", 80.0, 0, "critical", {}),
    ("hashrate_low", "Hashrate under % of nominal", 80.0, 600, "warning", {}),
    ("offline", "Miner offline", None, 300, "critical", {}),
    ("fan_failure", "Fan failure (air-cooled models)", 500.0, 120, "critical", {}),
    ("hashboard_missing", "Hashboard missing or dead", None, 300, "critical", {}),
    ("wrong_pool", "Wrong pool or worker", None, 300, "warning", {}),
    ("peer_outlier", "Hotter or slower than rack peers", 3.5, 1800, "watch",
     {"method": "robust z-score within model and rack"}),
    ("hashrate_decline", "Slow hashrate decline over days", 5.0, 3 * 86400, "watch",
     {"window_days": 7}),
)


def seed_catalog(conn: Connection) -> int:
    """Insert catalog models the database does not have yet; returns how many."""
    existing = set(conn.scalars(select(asic_models.c.model)))
    rows = [
        {
            "make": m.make, "model": m.model, "hashrate_ths": m.hashrate_ths,
            "power_w": m.power_w, "cooling": m.cooling, "release_year": m.release_year,
            "hashboards": m.hashboards, "fans": m.fans, "chips_per_board": m.chips_per_board,
            "source": m.source, "builtin": True,
        }
        for m in builtin_models()
        if m.model not in existing
    ]
    if rows:
        conn.execute(insert(asic_models), rows)
    return len(rows)


def seed_alert_rules(conn: Connection) -> int:
    existing = set(conn.scalars(select(alert_rules.c.kind)))
    rows = [
        {"kind": kind, "name": name, "threshold": threshold, "duration_s": duration,
         "severity": severity, "params_json": json.dumps(params), "enabled": True}
        for kind, name, threshold, duration, severity, params in DEFAULT_ALERT_RULES
        if kind not in existing
    ]
    if rows:
        conn.execute(insert(alert_rules), rows)
    return len(rows)


def seed_all(conn: Connection) -> dict[str, int]:
    return {"asic_models": seed_catalog(conn), "alert_rules": seed_alert_rules(conn)}
