"""Market snapshots (cached so the app works offline) and electricity prices."""

from sqlalchemy import Column, Float, Index, Integer, String, Table

from hashinsight_desktop.store.schema.base import IdType, id_column, metadata

market_snapshots = Table(
    "market_snapshots", metadata,
    id_column(),
    Column("ts", Integer, nullable=False),  # when fetched, Unix s
    Column("metric", String(32), nullable=False),  # btc_price_usd, difficulty, ...
    Column("value", Float, nullable=False),
    Column("source", String(64), nullable=False),
    Index("ix_market_snapshots_metric_ts", "metric", "ts"),
)

electricity_prices = Table(
    "electricity_prices", metadata,
    Column("site_id", IdType, primary_key=True),  # 0 = all sites
    Column("ts", Integer, primary_key=True),  # hour start, Unix s
    Column("usd_per_mwh", Float, nullable=False),
    Column("market", String(32), nullable=False, server_default="day-ahead"),
)
