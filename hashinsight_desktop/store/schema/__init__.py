"""The database schema for the whole product, one module per domain.

SQLAlchemy Core tables on one ``MetaData``; Alembic migrations in
``hashinsight_desktop/store/migrations`` create and evolve them.  Conventions:
money in integer minor units (``*_cents``) or micro-units for unit prices
(``*_micros``), telemetry timestamps as integer Unix seconds, business timestamps as
timezone-aware datetimes, ``version`` columns for optimistic locking.
"""

from hashinsight_desktop.store.schema import (  # noqa: F401  (registers the tables)
    accounts,
    alerts,
    crm,
    curtailment,
    fleet,
    market,
    operations,
    system,
    telemetry,
)
from hashinsight_desktop.store.schema.base import metadata

__all__ = ["metadata"]
