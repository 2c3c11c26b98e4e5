"""contact: contacts with participants (date, channel, topic, short note)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("contact_on", sa.Date(), nullable=False),
        sa.Column("channel", text(length=16), nullable=False),
        sa.Column("topic", text(length=16), nullable=False),
        sa.Column("note", text(length=500), nullable=True),
        sa.Column("recorded_by", text(length=80), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_contact_participant_id_participant"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    op.create_index(op.f("ix_contact_contact_on"), "contact", ["contact_on"], unique=False)
    op.create_index(op.f("ix_contact_participant_id"), "contact", ["participant_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_contact_participant_id"), table_name="contact")
    op.drop_index(op.f("ix_contact_contact_on"), table_name="contact")
    op.drop_table("contact")
