"""Exact places: a participant's or vacancy's named municipality (AGS) and coordinates

All four columns are nullable and start empty: existing records keep being placed at their
postal code's main place until a counsellor or employer names the municipality or the point
(docs/commute.md, "Where a record is").

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = {
    "participant": ("home_municipality_ags", "home_lat", "home_lon"),
    "vacancy": ("municipality_ags", "lat", "lon"),
}


# Plain ADD/DROP COLUMN rather than a batch: SQLite (3.35+) does both in place, whereas a batch
# would copy and drop the participant table, which other tables' foreign keys point at.


def upgrade() -> None:
    for table, (ags, lat, lon) in _COLUMNS.items():
        op.add_column(
            table, sa.Column(ags, sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True)
        )
        op.add_column(table, sa.Column(lat, sa.Float(), nullable=True))
        op.add_column(table, sa.Column(lon, sa.Float(), nullable=True))


def downgrade() -> None:
    for table, columns in _COLUMNS.items():
        for column in reversed(columns):
            op.drop_column(table, column)
