"""Collector leadership leases, application metadata and saved views."""

from sqlalchemy import BigInteger, Column, ForeignKey, String, Table, Text, UniqueConstraint

from hashinsight_desktop.store.schema.base import IdType, id_column, metadata

collector_leases = Table(
    "collector_leases", metadata,
    Column("name", String(64), primary_key=True),  # "collector" (one per farm)
    Column("holder", String(200), nullable=False),  # host:pid:uuid of the leader
    Column("term", BigInteger, nullable=False),  # fencing token: grows at each takeover
    Column("acquired_at_ms", BigInteger, nullable=False),
    Column("expires_at_ms", BigInteger, nullable=False),
)

app_meta = Table(
    "app_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

saved_views = Table(
    "saved_views", metadata,
    id_column(),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE")),
    Column("kind", String(32), nullable=False),  # fleet, alerts, ...
    Column("name", String(120), nullable=False),
    Column("definition_json", Text, nullable=False),
    UniqueConstraint("user_id", "kind", "name"),
)
