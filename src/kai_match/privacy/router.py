"""Data-protection routes: consent records, withdrawal, and the Art. 15 export.

Archiving and erasure (Art. 17) are ``DELETE /participants/{id}[?erase=true]``, listed with the
participant routes in the OpenAPI document (``erasure_router``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Body, Query, Response, status

from kai_match.api.deps import PrincipalDep, SessionDep, SettingsDep, allow
from kai_match.api.examples import CONSENT_GIVEN, CONSENT_WITHDRAWAL, example
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import domain_router
from kai_match.models.api_key import Role
from kai_match.models.consent import ConsentGiven, ConsentRecordPublic, ConsentWithdrawal
from kai_match.models.gdpr import ParticipantExport
from kai_match.participants import consents
from kai_match.participants import service as participant_service
from kai_match.participants.deps import ParticipantDep
from kai_match.privacy import service as gdpr

router = domain_router(prefix="/participants/{participant_id}", tags=["data protection"])
erasure_router = domain_router(prefix="/participants", tags=["participants"])

KEEPERS = (Role.admin, Role.counsellor)


@router.get(
    "/consents",
    response_model=list[ConsentRecordPublic],
    responses=problem_responses(404, 422, 503),
    **allow(*KEEPERS),
)
def list_consents(
    session: SessionDep, principal: PrincipalDep, participant: ParticipantDep
) -> list[ConsentRecordPublic]:
    """Every consent given and withdrawn, oldest first."""
    return consents.read_consents(session=session, participant=participant, principal=principal)


@router.post(
    "/consents",
    status_code=status.HTTP_201_CREATED,
    response_model=ConsentRecordPublic,
    responses=problem_responses(400, 404, 409, 413, 422, 503),
    **allow(*KEEPERS),
)
def give_consent(
    session: SessionDep,
    principal: PrincipalDep,
    participant: ParticipantDep,
    data: Annotated[
        ConsentGiven,
        Body(openapi_examples=example("Share the pseudonymised profile", CONSENT_GIVEN)),
    ],
) -> ConsentRecordPublic:
    """Record a consent; the matching flag switches on with it."""
    return consents.give_consent(
        session=session, participant=participant, data=data, principal=principal
    )


@router.post(
    "/consents/withdrawal",
    response_model=list[ConsentRecordPublic],
    responses=problem_responses(400, 404, 409, 413, 422, 503),
    **allow(*KEEPERS),
)
def withdraw_consent(
    session: SessionDep,
    principal: PrincipalDep,
    participant: ParticipantDep,
    data: Annotated[
        ConsentWithdrawal,
        Body(openapi_examples=example("No more sharing with employers", CONSENT_WITHDRAWAL)),
    ],
) -> list[ConsentRecordPublic]:
    """Withdraw a consent (processing takes sharing along); rankings drop the person at once."""
    return consents.withdraw_consent(
        session=session, participant=participant, data=data, principal=principal
    )


@router.get(
    "/export",
    response_model=ParticipantExport,
    responses=problem_responses(404, 422, 503),
    **allow(*KEEPERS),
)
def export_participant(
    session: SessionDep,
    principal: PrincipalDep,
    participant: ParticipantDep,
    settings: SettingsDep,
) -> ParticipantExport:
    """Everything stored about the person (GDPR Art. 15), including the audit trail."""
    return gdpr.export_participant(
        session=session,
        participant=participant,
        principal=principal,
        ttl=timedelta(hours=settings.idempotency_ttl_hours),
    )


@erasure_router.delete(
    "/{participant_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 422, 503),
    **allow(*KEEPERS),
)
def archive_participant(
    session: SessionDep,
    principal: PrincipalDep,
    participant: ParticipantDep,
    erase: Annotated[
        bool,
        Query(
            description="Erase personal data for good (GDPR Art. 17; admins only). "
            "The pseudonymous profile stays, archived, for outcome statistics."
        ),
    ] = False,
) -> Response:
    """Archive the profile: it leaves every ranking but stays for outcome statistics."""
    if erase:
        gdpr.erase_participant(session=session, participant=participant, principal=principal)
    else:
        participant_service.archive_participant(
            session=session, participant=participant, principal=principal
        )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
