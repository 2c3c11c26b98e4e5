"""Per-audience pseudonyms: every employer, partner system and the analysts know a person by an
id of their own (docs/security.md, "Per-audience pseudonyms").

One ``public_id`` handed to everyone would let an employer who once met a person recognise them
in every later ranking, and let two audiences join what each knows about them. So each audience
gets its own pseudonym, stored in ``participant_pseudonym`` the first time it is shown the
person and kept from then on: its lists stay stable, and it survives any change of keys.

Admins and counsellors are no audience: they see the participant's own ``public_id`` and, in the
full record, every pseudonym given out. The audit log names the participant by that own
``public_id`` as well; which pseudonym a read disclosed follows from the entry's caller.
Erasure deletes the rows (``forget``), so ids given out before can no longer be linked to the
profile; an audience shown the erased profile again gets a new, unrelated pseudonym.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from kai_match.kit.principal import Principal
from kai_match.models import Participant, ParticipantPseudonym
from kai_match.models.api_key import Role
from kai_match.models.participant import PseudonymOut

ANALYSTS = "analyst"
_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
# A fresh pseudonym collides with one of the audience's ~30^8 others only by a rare chance; a few
# new draws settle it.
_ATTEMPTS = 5


def new_public_id() -> str:
    """An id that says nothing about the person and is hard to guess (``P-`` and 8 characters).

    Participants' own public ids and pseudonyms look alike, so an audience cannot tell which
    kind it holds.
    """
    return "P-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def audience_of(principal: Principal) -> str | None:
    """Who a caller's ids are made for; None for admins and counsellors (they see own ids).

    An employer is one audience whatever key or token it calls with; a partner system is its
    API key (``partner:key:<id>``) or its OAuth2 client (``partner:jwt:<client>``): the identity
    the service verifies, unlike a key's free-text label, which two systems could share.
    """
    if principal.role == Role.employer:
        return f"employer:{principal.employer_id}"
    if principal.role == Role.partner:
        return f"partner:{principal.actor}"
    if principal.role == Role.analyst:
        return ANALYSTS
    return None


def ids_for(session: Session, principal: Principal, participant_ids: Iterable[int]) -> dict:
    """``{participant id: the id the caller knows them by}``, creating missing pseudonyms."""
    ids = {i for i in participant_ids if i is not None}
    if not ids:
        return {}
    audience = audience_of(principal)
    if audience is None:
        query = select(Participant.id, Participant.public_id).where(col(Participant.id).in_(ids))
        return dict(session.exec(query).all())
    return pseudonyms(session, audience, ids)


def id_for(session: Session, principal: Principal, participant: Participant) -> str:
    """The id the caller knows one participant (in hand) by."""
    assert participant.id is not None
    audience = audience_of(principal)
    if audience is None:
        return participant.public_id
    return pseudonyms(session, audience, {participant.id})[participant.id]


def pseudonyms(session: Session, audience: str, participant_ids: set[int]) -> dict[int, str]:
    """The audience's pseudonyms of these participants; missing ones are created now.

    Inserts skip rows another request created meanwhile (``ON CONFLICT DO NOTHING``; PostgreSQL
    waits for that request to end), and go in participant order, so two requests never wait
    for each other's rows crosswise.
    """
    found = _stored(session, audience, participant_ids)
    for _ in range(_ATTEMPTS):
        missing = sorted(participant_ids - found.keys())
        if not missing:
            return found
        rows = [
            {"participant_id": i, "audience": audience, "pseudonym": new_public_id()}
            for i in missing
        ]
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        table = ParticipantPseudonym.__table__
        session.execute(dialect.insert(table).values(rows).on_conflict_do_nothing())
        found |= _stored(session, audience, set(missing))
    raise RuntimeError(f"No free pseudonym for audience {audience} after {_ATTEMPTS} draws")


def _stored(session: Session, audience: str, participant_ids: set[int]) -> dict[int, str]:
    query = select(ParticipantPseudonym.participant_id, ParticipantPseudonym.pseudonym).where(
        ParticipantPseudonym.audience == audience,
        col(ParticipantPseudonym.participant_id).in_(participant_ids),
    )
    return dict(session.exec(query).all())


def participant_condition(principal: Principal, public_id: str):
    """A condition on ``Participant`` for "the person the caller calls ``public_id``".

    Within the caller's audience only: employer A naming a person by employer B's pseudonym
    (or by the participant's own public id) finds nobody.
    """
    audience = audience_of(principal)
    if audience is None:
        return col(Participant.public_id) == public_id
    return col(Participant.id).in_(
        select(ParticipantPseudonym.participant_id).where(
            ParticipantPseudonym.audience == audience,
            ParticipantPseudonym.pseudonym == public_id,
        )
    )


def given_out(session: Session, participant_ids: list[int]) -> dict[int, list[PseudonymOut]]:
    """Every pseudonym given out, per participant, by audience (for full records and exports)."""
    out: dict[int, list[PseudonymOut]] = {i: [] for i in participant_ids}
    if not participant_ids:
        return out
    query = (
        select(ParticipantPseudonym)
        .where(col(ParticipantPseudonym.participant_id).in_(participant_ids))
        .order_by(col(ParticipantPseudonym.participant_id), col(ParticipantPseudonym.audience))
    )
    for row in session.exec(query):
        out[row.participant_id].append(
            PseudonymOut(audience=row.audience, pseudonym=row.pseudonym, created_at=row.created_at)
        )
    return out


def forget(session: Session, participant_id: int) -> list[str]:
    """Delete a person's pseudonyms (erasure); answers them, so stored answers can be purged."""
    query = select(ParticipantPseudonym.pseudonym).where(
        ParticipantPseudonym.participant_id == participant_id
    )
    removed = list(session.exec(query))
    session.exec(
        delete(ParticipantPseudonym).where(
            col(ParticipantPseudonym.participant_id) == participant_id
        )
    )
    return removed
