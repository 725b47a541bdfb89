"""at most one active alert per miner and kind

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Close duplicates a pre-0002 database may hold, keeping the newest active row.
    op.execute(sa.text("""
        UPDATE alerts SET active = false
        WHERE active AND id NOT IN (
            SELECT MAX(id) FROM alerts WHERE active GROUP BY miner_id, kind)"""))
    op.create_index("uq_alerts_active_miner_kind", "alerts", ["miner_id", "kind"], unique=True,
                    sqlite_where=sa.text("active"), postgresql_where=sa.text("active"))


def downgrade() -> None:
    op.drop_index("uq_alerts_active_miner_kind", table_name="alerts")
