"""Contact routes: record and list a participant's contacts, the overdue list of a site.

Admins and counsellors only (their own site): the notes are personal data that employers,
partners and analysts never see. See docs/placements.md, "Contacts".
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Body, Query, status

from kai_match.api.deps import PrincipalDep, SessionDep, allow
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import domain_router
from kai_match.contacts import service as contacts
from kai_match.models.api_key import Role
from kai_match.models.common import IsoDate, Site
from kai_match.models.contact import ContactIn, ContactList, OverdueContactList
from kai_match.participants.deps import ParticipantDep

router = domain_router(tags=["contacts"])
KEEPERS = (Role.admin, Role.counsellor)
CONTACT_EXAMPLE = {
    "contact_on": "2026-11-30",
    "channel": "phone",
    "topic": "trial",
    "note": "Probearbeit läuft gut, Fahrzeit passt.",
}


@router.post(
    "/participants/{participant_id}/contacts",
    status_code=status.HTTP_201_CREATED,
    response_model=ContactList,
    responses=problem_responses(400, 404, 409, 413, 422, 503),
    **allow(*KEEPERS),
)
def record_contact(
    session: SessionDep,
    principal: PrincipalDep,
    participant: ParticipantDep,
    data: Annotated[
        ContactIn,
        Body(openapi_examples={"phone": {"summary": "A call", "value": CONTACT_EXAMPLE}}),
    ],
) -> ContactList:
    """Record a contact that happened; answers the person's contacts and the next due day."""
    return contacts.record_contact(
        session=session, participant=participant, data=data, principal=principal
    )


@router.get(
    "/participants/{participant_id}/contacts",
    response_model=ContactList,
    responses=problem_responses(404, 422, 503),
    **allow(*KEEPERS),
)
def list_contacts(
    session: SessionDep, principal: PrincipalDep, participant: ParticipantDep
) -> ContactList:
    """The person's contacts, newest first, and when the next one is due (and why)."""
    return contacts.list_contacts(session=session, participant=participant, principal=principal)


@router.get(
    "/contacts/overdue",
    response_model=OverdueContactList,
    responses=problem_responses(422, 503),
    **allow(*KEEPERS),
)
def overdue_contacts(
    session: SessionDep,
    principal: PrincipalDep,
    site: Annotated[Site | None, Query(description="Counsellors: their own site")] = None,
    as_of: Annotated[IsoDate | None, Query(description="Default today")] = None,
) -> OverdueContactList:
    """People whose next contact was due before ``as_of``, the longest overdue first."""
    return contacts.overdue_contacts(
        session=session,
        principal=principal,
        site=site.value if site else None,
        as_of=as_of or date.today(),
    )
