"""Telemetry: raw samples, rollups, per-cycle aggregates and each miner's last snapshot.

Sized for 6,000-100,000 miners sampled every minute.  Every telemetry table is keyed
``(time, miner_id)`` so each cycle appends at the end of the B-tree (SQLite: WITHOUT
ROWID, no secondary index).  A miner's history is read by seeking each known time
(cycle times from ``collector_cycles``, or aligned buckets) with the miner id, which
costs one index seek per point instead of a scan.  Values are stored as scaled
integers (GH/s, W, deci-°C) because SQLite stores small integers in 1-4 bytes and
every REAL in 8.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
)

from hashinsight_desktop.store.schema.base import IdType, id_column, metadata

# status codes shared by samples and rollups (order = severity for "worst")
STATUS_CODES = {"ok": 0, "curtailed": 1, "degraded": 2, "error": 3, "offline": 4}

# flags bit field
FLAG_POWER_ESTIMATED = 1

telemetry_raw = Table(
    "telemetry_raw", metadata,
    Column("ts", Integer, primary_key=True),  # the cycle's scheduled time, Unix s
    Column("miner_id", Integer, primary_key=True),
    Column("status", SmallInteger, nullable=False),
    Column("flags", SmallInteger, nullable=False, server_default="0"),
    Column("hashrate_ghs", Integer),
    Column("power_w", Integer),
    Column("temp_max_dc", SmallInteger),
    Column("temp_avg_dc", SmallInteger),
    Column("fan_min_rpm", Integer),
    Column("uptime_s", Integer),
    sqlite_with_rowid=False,
)


def _rollup(name: str) -> Table:
    return Table(
        name, metadata,
        Column("bucket", Integer, primary_key=True),  # bucket start, Unix s
        Column("miner_id", Integer, primary_key=True),
        Column("samples", SmallInteger, nullable=False),
        Column("ok_samples", SmallInteger, nullable=False),
        Column("curtailed_samples", SmallInteger, nullable=False),
        Column("estimated_samples", SmallInteger, nullable=False),  # power estimated
        Column("status_worst", SmallInteger, nullable=False),
        Column("hashrate_ghs", Integer),  # mean over samples with a value
        Column("power_w", Integer),  # mean over samples with a value
        Column("energy_wh", Integer),  # power integrated over the bucket
        Column("temp_max_dc", SmallInteger),  # max
        Column("temp_avg_dc", SmallInteger),  # mean
        Column("fan_min_rpm", Integer),  # min
        sqlite_with_rowid=False,
    )


telemetry_5m = _rollup("telemetry_5m")
telemetry_1h = _rollup("telemetry_1h")

collector_cycles = Table(
    "collector_cycles", metadata,
    id_column(),
    Column("ts", Integer, nullable=False, unique=True),  # scheduled time, = telemetry_raw.ts
    Column("started_at_ms", BigInteger, nullable=False),
    Column("finished_at_ms", BigInteger),
    Column("duration_ms", Integer),
    Column("lag_ms", Integer),  # start delay behind the schedule
    Column("polled", Integer, nullable=False, server_default="0"),
    Column("ok", Integer, nullable=False, server_default="0"),
    Column("failed", Integer, nullable=False, server_default="0"),
    Column("failures_json", Text),  # {"timeout": n, "refused": n, ...}
    Column("collector", String(120)),  # workstation/process that ran it
)

cycle_aggregates = Table(
    "cycle_aggregates", metadata,
    Column("ts", Integer, primary_key=True),
    Column("site_id", Integer, primary_key=True),  # 0 = the whole fleet
    Column("miners", Integer, nullable=False),
    Column("online", Integer, nullable=False),
    Column("curtailed", Integer, nullable=False),
    Column("hashrate_ghs", BigInteger, nullable=False),
    Column("nominal_ghs", BigInteger, nullable=False),
    Column("power_w", BigInteger, nullable=False),
    Column("temp_avg_dc", SmallInteger),
    Column("temp_max_dc", SmallInteger),
    sqlite_with_rowid=False,
)

miner_snapshots = Table(
    "miner_snapshots", metadata,
    Column("miner_id", IdType, primary_key=True),
    Column("ts", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("error", Text),
    Column("reading_json", Text, nullable=False),  # the last normalized reading
)

Index("ix_collector_cycles_started", collector_cycles.c.started_at_ms)
