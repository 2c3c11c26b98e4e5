"""user_account and console_session: people who sign in to the console (docs/console.md)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    moment = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", text(length=64), nullable=False),
        sa.Column("display_name", text(length=200), nullable=False),
        sa.Column("role", text(length=16), nullable=False),
        sa.Column("site", text(length=32), nullable=True),
        sa.Column("password_hash", text(length=200), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", moment(), nullable=True),
        sa.Column("disabled_at", moment(), nullable=True),
        sa.Column("created_at", moment(), nullable=False),
        sa.Column("password_changed_at", moment(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    op.create_table(
        "console_session",
        sa.Column("token_hash", text(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("created_at", moment(), nullable=False),
        sa.Column("last_seen", moment(), nullable=False),
        sa.Column("expires_at", moment(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["user_account.id"],
            name=op.f("fk_console_session_account_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_console_session")),
    )
    op.create_index(
        op.f("ix_console_session_account_id"), "console_session", ["account_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_console_session_account_id"), table_name="console_session")
    op.drop_table("console_session")
    op.drop_table("user_account")
