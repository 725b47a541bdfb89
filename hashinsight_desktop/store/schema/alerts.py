"""Alert rules (user-editable thresholds) and alerts with their history."""

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    true,
)

from hashinsight_desktop.store.schema.base import IdType, id_column, metadata

alert_rules = Table(
    "alert_rules", metadata,
    id_column(),
    Column("kind", String(32), nullable=False, unique=True),
    Column("name", String(120), nullable=False),
    Column("enabled", Boolean, nullable=False, server_default=true()),
    Column("threshold", Float),
    Column("duration_s", Integer),
    Column("severity", String(16), nullable=False),  # info, watch, warning, critical
    Column("params_json", Text),
)

alerts = Table(
    "alerts", metadata,
    id_column(),
    Column("rule_id", IdType, ForeignKey("alert_rules.id", ondelete="SET NULL")),
    Column("miner_id", IdType, ForeignKey("miners.id", ondelete="CASCADE")),
    Column("kind", String(32), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("message", Text, nullable=False),
    Column("value", Float),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("cleared_at", DateTime(timezone=True)),
    Column("acknowledged_by", IdType, ForeignKey("users.id", ondelete="SET NULL")),
    Column("acknowledged_at", DateTime(timezone=True)),
    Index("ix_alerts_active", "active", "miner_id", "kind"),
    Index("ix_alerts_started", "started_at"),
)

# At most one active alert per miner and kind, even with several writers (migration 0002).
Index("uq_alerts_active_miner_kind", alerts.c.miner_id, alerts.c.kind, unique=True,
      sqlite_where=alerts.c.active, postgresql_where=alerts.c.active)
