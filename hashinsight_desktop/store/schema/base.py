"""Shared metadata and column helpers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL wants BIGINT identities.
IdType = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def id_column() -> Column:
    return Column("id", IdType, primary_key=True, autoincrement=True)


def created_at() -> Column:
    return Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow)


def updated_at() -> Column:
    return Column("updated_at", DateTime(timezone=True), nullable=False, default=utcnow,
                  onupdate=utcnow)


def version_column() -> Column:
    """Optimistic locking: every update does ``SET version = version + 1 WHERE version = :seen``."""
    return Column("version", Integer, nullable=False, default=1, server_default="1")
