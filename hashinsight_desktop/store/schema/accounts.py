"""Users, roles and the append-only, hash-chained audit log."""

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
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
    version_column,
)

ROLES = ("owner", "admin", "operator", "sales", "client")

users = Table(
    "users", metadata,
    id_column(),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(120)),
    Column("role", String(16), nullable=False),
    Column("customer_id", IdType, ForeignKey("customers.id", ondelete="SET NULL")),  # clients
    Column("password_hash", String(255), nullable=False),  # scrypt, with its parameters
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True)),
    Column("disabled", Boolean, nullable=False, server_default=false()),
    Column("language", String(8)),
    created_at(), version_column(),
)

audit_log = Table(
    "audit_log", metadata,
    id_column(),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_id", IdType),
    Column("username", String(64)),
    Column("workstation", String(120)),
    Column("action", String(64), nullable=False),
    Column("target_kind", String(32)),
    Column("target_id", String(64)),
    Column("before_json", Text),
    Column("after_json", Text),
    Column("prev_hash", String(64)),
    Column("hash", String(64), nullable=False),  # sha256 over the row and prev_hash
    Index("ix_audit_log_at", "at"),
)
