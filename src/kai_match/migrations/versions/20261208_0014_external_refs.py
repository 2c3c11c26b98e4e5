"""External references of participants, employers and vacancies; the systems a key may set;
the BA's flag for vacancies suitable for refugees

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "external_ref",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource", sa.String(length=16), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=32), nullable=False),
        sa.Column("ref_id", sa.String(length=200), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("resource", "system", "ref_id", name="uq_external_ref_system_id"),
    )
    op.create_index("ix_external_ref_owner", "external_ref", ["resource", "resource_id"])
    with op.batch_alter_table("api_key") as batch:
        batch.add_column(
            sa.Column("ref_systems", sa.JSON(), nullable=False, server_default="[]")
        )
    op.add_column("vacancy", sa.Column("suitable_for_refugees", sa.Boolean(), nullable=True))


def downgrade() -> None:
    op.drop_column("vacancy", "suitable_for_refugees")
    with op.batch_alter_table("api_key") as batch:
        batch.drop_column("ref_systems")
    op.drop_index("ix_external_ref_owner", table_name="external_ref")
    op.drop_table("external_ref")
