"""What each role may see of a ranking, and the audit of who was listed.

Admins and counsellors (for participants of their site) get full items. Everyone else gets
pseudonymised items: ``participant_public_id`` is the caller's audience's own stable pseudonym
(``participants.pseudonyms``), there is no ``participant_id``, commute minutes are rounded to
5-minute steps, and no flags reveal permit details (employers may learn "work permitted:
yes/no", nothing more). Who appears at all is decided earlier, in the query: employers only see
people who agreed to share their profile, counsellors only people of their site. The audit log
names everyone listed by their own public id, whichever pseudonym the caller was given.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from kai_match.audit import service as audit
from kai_match.kit.principal import Principal
from kai_match.models import Participant, Placement, Vacancy
from kai_match.models.api_key import Role
from kai_match.models.matching import FlagOut, RankingOut
from kai_match.models.placement import OPEN_PROPOSAL_STATES, proposal_cap
from kai_match.participants import pseudonyms
from kai_match.scoring.reasons import commute_step

# Who may rank with a weight profile other than the active one (what-if rankings): the roles that
# tune profiles. A draft may weigh differently from what was agreed for everyone else's lists.
DRAFT_PROFILE_ROLES = frozenset({Role.admin, Role.analyst})

PERMIT_FLAGS = frozenset(
    {
        "approval_required",
        "measure_only",
        "permit_check",
        "permit_renewal_pending",
        "permit_ends_during",
        "work_permit",
    }
)


PROPOSALS_OPEN = "proposals_open"
# The flag's text, singular and plural. Not in the reason catalogues: those hold the engine's
# texts only (extracted from ``scoring/``); an unknown language falls back to German.
_PROPOSALS_OPEN_TEXT = {
    "de": ("bereits %(n)d offener Vorschlag", "bereits %(n)d offene Vorschläge"),
    "en": ("already %(n)d open proposal", "already %(n)d open proposals"),
}


def site_candidates(session: Session, principal: Principal) -> list[int] | None:
    """Participant ids a counsellor's vacancy rankings may list (None: no restriction)."""
    if principal.role != Role.counsellor:
        return None
    query = select(Participant.id).where(Participant.site == principal.site)
    return [i for i in session.exec(query) if i is not None]


def for_caller(
    session: Session,
    ranking: RankingOut,
    principal: Principal,
    *,
    reads: dict[str, str] | None = None,
) -> RankingOut:
    """Pseudonymise what the caller may not see in full; audit everyone listed.

    A batch passes ``reads`` (public id → view) to collect the people of all its rankings and
    audit each of them once (``matching.service.batch``); nothing is written here then.
    """
    ids = {item.participant_id for item in ranking.items if item.participant_id is not None}
    full = _fully_visible(session, principal, ids)
    known_as = pseudonyms.ids_for(session, principal, ids - full)
    items = [
        item
        if item.participant_id in full
        else item.model_copy(
            update={
                "participant_id": None,
                "participant_public_id": known_as[item.participant_id],
                # Minutes to several workplaces would locate a home: audiences get 5-minute steps.
                "commute_minutes": commute_step(item.commute_minutes),
                "flags": [f for f in item.flags if f.code not in PERMIT_FLAGS],
            }
        )
        for item in ranking.items
    ]
    view = "full" if full else "pseudonymous"
    public_ids = list(dict.fromkeys(item.participant_public_id for item in ranking.items))
    if reads is None:
        audit.record_reads(session, principal, public_ids, view, "rank")
    else:
        for public_id in public_ids:
            reads[public_id] = "full" if view == "full" else reads.get(public_id, view)
    return ranking.model_copy(update={"items": items})


def _fully_visible(session: Session, principal: Principal, ids: set[int | None]) -> set:
    if principal.role == Role.admin:
        return set(ids)
    if principal.role == Role.counsellor and ids:
        query = select(Participant.id).where(
            col(Participant.id).in_(ids), Participant.site == principal.site
        )
        return set(session.exec(query))
    return set()


def with_proposal_flags(
    session: Session, ranking: RankingOut, principal: Principal, *, per_opening: int, lang: str
) -> RankingOut:
    """Flag items whose vacancy is at or over its cap of open proposals (counsellors, admins).

    One grouped count for the whole page. Sending one more would be refused with a 409
    (``placements.congestion``); the flag says so before the counsellor tries.
    """
    if not principal.sees_personal_data or not ranking.items:
        return ranking
    crowded = _crowded_vacancies(session, {item.vacancy_id for item in ranking.items}, per_opening)
    if not crowded:
        return ranking
    one, many = _PROPOSALS_OPEN_TEXT.get(lang, _PROPOSALS_OPEN_TEXT["de"])
    items = [
        item.model_copy(
            update={
                "flags": [
                    *item.flags,
                    FlagOut(
                        code=PROPOSALS_OPEN,
                        reason=(one if crowded[item.vacancy_id] == 1 else many)
                        % {"n": crowded[item.vacancy_id]},
                    ),
                ]
            }
        )
        if item.vacancy_id in crowded
        else item
        for item in ranking.items
    ]
    return ranking.model_copy(update={"items": items})


def _crowded_vacancies(session: Session, ids: set[int], per_opening: int) -> dict[int, int]:
    """Vacancy id → open proposals, for the vacancies at or over their cap."""
    query = (
        select(Vacancy.id, Vacancy.openings, func.count(col(Placement.id)))
        .join(Placement, col(Placement.vacancy_id) == col(Vacancy.id))
        .where(col(Vacancy.id).in_(ids), col(Placement.state).in_(OPEN_PROPOSAL_STATES))
        .group_by(col(Vacancy.id), col(Vacancy.openings))
    )
    return {
        vacancy_id: count
        for vacancy_id, openings, count in session.exec(query)
        if count >= proposal_cap(per_opening, openings)
    }
