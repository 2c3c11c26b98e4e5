"""participant_pseudonym: the id each employer, partner system and the analysts know a person by

Backfill keeps today's id (the participant's ``public_id``) for the audiences that already hold
it, so their lists stay stable across the upgrade (docs/security.md, per-audience pseudonyms):

- an employer, for everyone in a placement at one of its vacancies and everyone the audit log
  shows it was listed or shown (entries of its API keys);
- a partner system (``partner:`` and the audit entry's actor, i.e. its key or OAuth2 client) that
  appears in the audit log, for everyone: the feed hands a partner every ranked person, and an
  empty list is not audited, so the log cannot tell which ids a partner holds;
- the analysts, if any analyst appears in the audit log, for everyone: they list every profile.

Everyone else gets a new pseudonym the first time an audience is shown them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EMPLOYER_PAIRS = """
SELECT DISTINCT pl.participant_id, v.employer_id
FROM placement pl JOIN vacancy v ON v.id = pl.vacancy_id
UNION
SELECT DISTINCT p.id, k.employer_id
FROM audit_log a
JOIN api_key k ON k.id = a.key_id
JOIN participant p ON p.public_id = a.public_id
WHERE a.role = 'employer' AND k.employer_id IS NOT NULL
"""


def upgrade() -> None:
    op.create_table(
        "participant_pseudonym",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("audience", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("pseudonym", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_participant_pseudonym_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "participant_id", "audience", name=op.f("pk_participant_pseudonym")
        ),
        sa.UniqueConstraint(
            "audience", "pseudonym", name=op.f("uq_participant_pseudonym_audience")
        ),
    )
    _backfill()


def _backfill() -> None:
    connection = op.get_bind()
    public_ids = dict(connection.execute(sa.text("SELECT id, public_id FROM participant")).all())
    if not public_ids:
        return
    audiences: dict[int, set[str]] = {}
    for participant_id, employer_id in connection.execute(sa.text(_EMPLOYER_PAIRS)):
        audiences.setdefault(participant_id, set()).add(f"employer:{employer_id}")
    everyone = {
        f"partner:{actor}"
        for (actor,) in connection.execute(
            sa.text("SELECT DISTINCT actor FROM audit_log WHERE role = 'partner'")
        )
    }
    if connection.execute(sa.text("SELECT 1 FROM audit_log WHERE role = 'analyst'")).first():
        everyone.add("analyst")
    now = datetime.now(UTC)
    rows = [
        {"participant_id": pid, "audience": audience, "pseudonym": public_id, "created_at": now}
        for pid, public_id in sorted(public_ids.items())
        for audience in sorted(audiences.get(pid, set()) | everyone)
    ]
    table = sa.table(
        "participant_pseudonym",
        sa.column("participant_id", sa.Integer()),
        sa.column("audience", sa.String()),
        sa.column("pseudonym", sa.String()),
        sa.column("created_at", sqlmodel.sql.sqltypes.UTCDateTime()),
    )
    for start in range(0, len(rows), 1000):
        op.bulk_insert(table, rows[start : start + 1000])


def downgrade() -> None:
    op.drop_table("participant_pseudonym")
