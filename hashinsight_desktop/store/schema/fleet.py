"""Sites, racks, the ASIC catalog and the miners themselves."""

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
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

sites = Table(
    "sites", metadata,
    id_column(),
    Column("name", String(120), nullable=False, unique=True),
    Column("timezone", String(64), nullable=False, server_default="UTC"),
    Column("capacity_kw", Float),
    Column("tariff_usd_per_kwh", Float),
    Column("currency", String(3), nullable=False, server_default="USD"),
    Column("notes", Text),
    created_at(), updated_at(), version_column(),
)

racks = Table(
    "racks", metadata,
    id_column(),
    Column("site_id", IdType, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("container", String(64)),  # container or room: a curtailment group
    Column("breaker_group", String(64)),  # electrical group: a curtailment group
    Column("rows", SmallInteger, nullable=False, server_default="1"),
    Column("positions", SmallInteger, nullable=False, server_default="40"),
    UniqueConstraint("site_id", "name"),
)

asic_models = Table(
    "asic_models", metadata,
    id_column(),
    Column("make", String(64), nullable=False),
    Column("model", String(96), nullable=False, unique=True),
    Column("hashrate_ths", Float, nullable=False),
    Column("power_w", Float, nullable=False),
    Column("cooling", String(16), nullable=False),
    Column("release_year", SmallInteger),
    Column("hashboards", SmallInteger),
    Column("fans", SmallInteger),
    Column("chips_per_board", SmallInteger),
    Column("source", Text, nullable=False),
    Column("builtin", Boolean, nullable=False, server_default=false()),
)

asic_power_modes = Table(
    "asic_power_modes", metadata,
    id_column(),
    Column("model_id", IdType, ForeignKey("asic_models.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(32), nullable=False),
    Column("power_fraction", Float, nullable=False),
    Column("hashrate_fraction", Float, nullable=False),
    UniqueConstraint("model_id", "name"),
)

miners = Table(
    "miners", metadata,
    id_column(),
    Column("name", String(120)),
    Column("ip", String(45), nullable=False),
    Column("port", Integer, nullable=False, server_default="4028"),
    Column("mac", String(17)),
    Column("serial", String(64)),
    Column("model_id", IdType, ForeignKey("asic_models.id", ondelete="SET NULL")),
    Column("model_name", String(96)),  # as the firmware reports it
    Column("firmware", String(96)),
    Column("family", String(32)),  # protocol family, learned on first poll
    Column("site_id", IdType, ForeignKey("sites.id", ondelete="SET NULL")),
    Column("rack_id", IdType, ForeignKey("racks.id", ondelete="SET NULL")),
    Column("position", SmallInteger),
    Column("customer_id", IdType, ForeignKey("customers.id", ondelete="SET NULL")),
    Column("status", String(16), nullable=False, server_default="unknown"),
    Column("power_mode", String(32)),
    Column("credentials_ref", String(120)),  # a keyring entry name, never the secret
    Column("pinned", Boolean, nullable=False, server_default=false()),
    Column("notes", Text),
    created_at(), updated_at(), version_column(),
    UniqueConstraint("ip", "port"),
    Index("ix_miners_site_rack", "site_id", "rack_id", "position"),
    Index("ix_miners_customer", "customer_id"),
)

miner_tags = Table(
    "miner_tags", metadata,
    Column("miner_id", IdType, ForeignKey("miners.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(64), primary_key=True),
)
