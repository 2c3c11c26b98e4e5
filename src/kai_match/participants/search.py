"""Finding a person by what a caller may know them by: one rule for the API and the console.

Counsellors and admins search by name (any part, any case), the person's own id or any
pseudonym given out. An audience (the analysts) may only look up the pseudonym it was given:
searching by name would tell it who is in the programme.
"""

from __future__ import annotations

from sqlalchemy import func, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from kai_match.models import Participant, ParticipantPersonal, ParticipantPseudonym


def matches_text(text: str, audience: str | None) -> ColumnElement[bool]:
    """The condition for ``text``; with ``audience`` None it needs ``ParticipantPersonal`` joined."""
    text = text.strip()
    pseudonyms = select(ParticipantPseudonym.participant_id).where(
        ParticipantPseudonym.pseudonym == text
    )
    if audience is not None:
        return col(Participant.id).in_(pseudonyms.where(ParticipantPseudonym.audience == audience))
    pattern = f"%{text.lower().replace('%', '').replace('_', '')}%"
    first_last = func.lower(ParticipantPersonal.first_name + " " + ParticipantPersonal.last_name)
    last_first = func.lower(ParticipantPersonal.last_name + " " + ParticipantPersonal.first_name)
    return or_(
        first_last.like(pattern),
        last_first.like(pattern),
        Participant.public_id == text,
        col(Participant.id).in_(pseudonyms),
    )
