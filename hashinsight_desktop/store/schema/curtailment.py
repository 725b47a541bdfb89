"""Curtailment plans and their per-miner actions."""

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    false,
)

from hashinsight_desktop.store.schema.base import (
    IdType,
    created_at,
    id_column,
    metadata,
    updated_at,
    version_column,
)

curtailment_plans = Table(
    "curtailment_plans", metadata,
    id_column(),
    Column("name", String(200), nullable=False),
    Column("site_id", IdType, ForeignKey("sites.id", ondelete="SET NULL")),
    Column("goal_kind", String(8), nullable=False),  # shed | cap
    Column("goal_kw", Float, nullable=False),
    Column("objective", String(16), nullable=False, server_default="hashrate"),
    Column("strategy", String(16), nullable=False, server_default="optimal"),
    Column("use_modes", Boolean, nullable=False, server_default=false()),
    # draft, approved, scheduled, executing, active, recovering, completed, failed, cancelled
    Column("status", String(16), nullable=False, server_default="draft"),
    Column("start_at", DateTime(timezone=True)),
    Column("end_at", DateTime(timezone=True)),  # NULL: until manual recovery
    Column("created_by", IdType, ForeignKey("users.id", ondelete="SET NULL")),
    Column("approved_by", IdType, ForeignKey("users.id", ondelete="SET NULL")),
    Column("approved_at", DateTime(timezone=True)),
    Column("result_json", Text),  # the optimizer's result at planning time
    Column("status_detail", Text),
    created_at(), updated_at(), version_column(),
    Index("ix_curtailment_plans_status", "status"),
)

curtailment_actions = Table(
    "curtailment_actions", metadata,
    id_column(),
    Column("plan_id", IdType, ForeignKey("curtailment_plans.id", ondelete="CASCADE"),
           nullable=False),
    Column("miner_id", IdType, ForeignKey("miners.id", ondelete="CASCADE"), nullable=False),
    Column("action", String(40), nullable=False),  # off | mode:<name>
    Column("power_saved_w", Float, nullable=False),
    Column("hashrate_lost_ths", Float, nullable=False),
    # pending, sent, verified, failed, unsupported, recovering, recovered
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("detail", Text),
    Column("sent_at", DateTime(timezone=True)),
    Column("verified_at", DateTime(timezone=True)),
    Column("recovered_at", DateTime(timezone=True)),
    Index("ix_curtailment_actions_plan", "plan_id", "status"),
)
