"""list and map columns are never null

A list stored as a column (shifts, licences, supports, …) is empty rather than null, so a PATCH
that sends null for one is refused by the rule derived from the table (``kit.patching``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: dict[str, dict[str, list | dict]] = {
    "employer": {"support": []},
    "participant": {
        "driving_licences": [],
        "shifts": [],
        "placement_types": [],
        "fields_wanted": [],
        "fields_excluded": [],
    },
    "vacancy": {"shifts": []},
    "placement": {"components": {}, "overridden_constraints": []},
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        for column, empty in columns.items():
            rows = sa.table(table, sa.column(column, sa.JSON()))
            op.execute(rows.update().where(rows.c[column].is_(None)).values({column: empty}))
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, existing_type=sa.JSON(), nullable=True)
