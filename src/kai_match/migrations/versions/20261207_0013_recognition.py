"""Recognition and documents: a vacancy's regulated occupation, the expected date of a pending
recognition, the document a work permit rests on

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "vacancy", sa.Column("regulated_occupation", sa.String(length=40), nullable=True)
    )
    op.add_column(
        "participant_occupation", sa.Column("recognition_expected", sa.Date(), nullable=True)
    )
    op.add_column(
        "participant", sa.Column("work_permit_document", sa.String(length=24), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("participant", "work_permit_document")
    op.drop_column("participant_occupation", "recognition_expected")
    op.drop_column("vacancy", "regulated_occupation")
