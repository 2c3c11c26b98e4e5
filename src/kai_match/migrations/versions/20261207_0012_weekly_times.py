"""Weekly times: a participant's commitments, a vacancy's working times and shuttle

Existing vacancies get working times from their shift names (the templates of
``kai_match.scoring.schedule.SHIFT_TEMPLATES``, written out here so that the migration keeps
meaning what it meant when it was written), so every stored row carries hours an employer can
correct. ``shifts`` stays and is kept equal to the shifts the hours make.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 18:00:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
_TEMPLATES = {
    "early": (_WEEKDAYS, "06:00", "14:00"),
    "day": (_WEEKDAYS, "08:00", "16:30"),
    "late": (_WEEKDAYS, "14:00", "22:00"),
    "night": (_WEEKDAYS, "22:00", "06:00"),
    "weekend": (["sat", "sun"], "08:00", "16:00"),
}
_ORDER = ("early", "day", "late", "night", "weekend")


def _working_times(shifts: list[str]) -> list[dict]:
    return [
        {
            "label": None,
            "windows": [
                {"days": _TEMPLATES[s][0], "start": _TEMPLATES[s][1], "end": _TEMPLATES[s][2]}
            ],
        }
        for s in _ORDER
        if s in shifts
    ]


def upgrade() -> None:
    op.add_column(
        "participant", sa.Column("commitments", sa.JSON(), nullable=False, server_default="[]")
    )
    op.add_column(
        "vacancy", sa.Column("working_times", sa.JSON(), nullable=False, server_default="[]")
    )
    op.add_column("vacancy", sa.Column("shuttle", sa.JSON(), nullable=False, server_default="[]"))
    bind = op.get_bind()
    vacancy = sa.table(
        "vacancy", sa.column("id", sa.Integer), sa.column("shifts", sa.JSON),
        sa.column("working_times", sa.JSON),
    )  # fmt: skip
    rows = bind.execute(sa.select(vacancy.c.id, vacancy.c.shifts)).all()
    for vacancy_id, shifts in rows:
        if isinstance(shifts, str):
            shifts = json.loads(shifts)
        times = _working_times(shifts or [])
        if times:
            bind.execute(
                vacancy.update().where(vacancy.c.id == vacancy_id).values(working_times=times)
            )


def downgrade() -> None:
    op.drop_column("vacancy", "shuttle")
    op.drop_column("vacancy", "working_times")
    op.drop_column("participant", "commitments")
