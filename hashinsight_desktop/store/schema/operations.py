"""Batch operations on miners (restart, curtail, pools, assign...) and per-miner results."""

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text

from hashinsight_desktop.store.schema.base import IdType, created_at, id_column, metadata

batch_operations = Table(
    "batch_operations", metadata,
    id_column(),
    Column("kind", String(32), nullable=False),
    Column("params_json", Text),
    # pending, running, completed, cancelled, interrupted
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("created_by", IdType, ForeignKey("users.id", ondelete="SET NULL")),
    created_at(),
    Column("finished_at", DateTime(timezone=True)),
    Column("total", Integer, nullable=False, server_default="0"),
    Column("done", Integer, nullable=False, server_default="0"),
    Column("failed", Integer, nullable=False, server_default="0"),
)

batch_results = Table(
    "batch_results", metadata,
    Column("batch_id", IdType, ForeignKey("batch_operations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("miner_id", IdType, primary_key=True),
    Column("status", String(16), nullable=False),  # pending, done, failed, unsupported
    Column("detail", Text),
    Column("at", DateTime(timezone=True)),
)
