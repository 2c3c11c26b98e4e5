"""service_secret: the generated cursor key of development and test databases

Without ``KAI_CURSOR_KEYS`` (allowed outside production) the service generates one key at its
first start and keeps it here, so every worker on the database signs cursors alike
(``kit.signing``). The row is written by the service, not by this migration.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 19:18:48
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "service_secret",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_service_secret")),
    )


def downgrade() -> None:
    op.drop_table("service_secret")
