"""Ranking use cases: matches for a participant or a vacancy, one pair explained, batches.

The scoring engine does the work; this module picks the weight profile, keeps the indexes in
step, converts rows into engine inputs and the engine's answers into response schemas.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from sqlmodel import Session, col, select

from kai_match.access.scopes import participant_scope, vacancy_scope
from kai_match.audit import service as audit
from kai_match.config import Settings, get_settings
from kai_match.data.geo import Router
from kai_match.data.geo.timetable import load_commute_model
from kai_match.data.taxonomy import related_skills, skill_label
from kai_match.data.taxonomy.fields import field_label
from kai_match.data.taxonomy.occupations import isco_group_title
from kai_match.errors import FieldError, Forbidden, InvalidInput, NotFound
from kai_match.kit import signing
from kai_match.kit.principal import SYSTEM, Principal
from kai_match.matching import ranking_access
from kai_match.matching.indexes import MatchingIndexes
from kai_match.matching.inputs import participant_profiles, vacancy_profiles
from kai_match.matching.profiles import mark_used, resolve_profile
from kai_match.matching.routed_commute import routed_commute
from kai_match.models import Employer, Participant, Vacancy, WeightProfileRecord
from kai_match.models.api_key import Role
from kai_match.models.matching import (
    BatchEntry,
    BatchOut,
    BatchRequest,
    ComponentOut,
    ExplanationOut,
    FailedConstraintOut,
    FlagOut,
    MatchItemOut,
    RankingOut,
    WeightProfileRef,
)
from kai_match.scoring import (
    CommuteModel,
    Explanation,
    MatchItem,
    RankingContext,
    RankingResult,
    WeightProfile,
    explain,
    rank_participants,
    rank_vacancies,
)

# Straight-line speed no mode of the commute model beats (rural car: 70 km/h over a 1.3 detour
# is 54 km/h); only used to skip far-away vacancies in large indexes.
REACH_KMH = 60.0
SPATIAL_PREFILTER_FROM = 20_000
RANKING_CURSOR = "ranking"  # the purpose ranking cursors are signed for (kit.signing)


@dataclass(frozen=True)
class RankingRequest:
    """What a caller may vary about a ranking."""

    limit: int = 20
    cursor: str | None = None
    types: tuple[str, ...] | None = None
    max_commute_minutes: float | None = None
    profile_name: str | None = None
    profile_version: int | None = None
    lang: str = "de"
    as_of: date | None = None
    # KAI_PROPOSALS_PER_OPENING: items whose vacancy has this many open proposals per opening
    # are flagged ``proposals_open`` for counsellors (``ranking_access.with_proposal_flags``).
    proposals_per_opening: int = Settings.model_fields["proposals_per_opening"].default


@cache
def commute_model() -> CommuteModel:
    """Timetable public transport when KAI_TRANSIT_FILE names a transit file, else the estimate."""
    path = get_settings().transit_file
    return load_commute_model(Path(path) if path else None)


def _skill_name(skill_id: str) -> str:
    return skill_label(skill_id) or skill_id


def _context(
    profile: WeightProfile,
    request: RankingRequest,
    principal: Principal,
    *,
    restricted_texts: bool | None = None,
) -> RankingContext:
    """What the engine needs to know about this request besides the two sides and the page.

    Employers get their view (shared profiles only, permits by quarter); everyone outside
    counselling gets restricted reason texts (``RankingContext``) unless ``restricted_texts``
    says otherwise (a counsellor's placement freezes the texts an employer will read).
    """
    return RankingContext(
        field_name=field_label,
        group_name=isco_group_title,
        commute=commute_model(),
        as_of=request.as_of or date.today(),
        profile=profile,
        related=related_skills,
        skill_name=_skill_name,
        employer_view=principal.role == Role.employer,
        restricted_texts=(
            not principal.sees_personal_data if restricted_texts is None else restricted_texts
        ),
        lang=request.lang,
    )


def matches_for_participant(
    *,
    session: Session,
    indexes: MatchingIndexes,
    participant: Participant,
    request: RankingRequest,
    principal: Principal = SYSTEM,
    reads: dict[str, str] | None = None,
) -> RankingOut:
    """Eligible vacancies for one participant, best first (``reads``: see ``batch``)."""
    indexes.sync(session)
    profile = _weight_profile(session, indexes, request, principal)
    person = (
        indexes.participants.get(participant.id) or participant_profiles(session, [participant])[0]
    )
    context = _context(profile, request, principal)
    with indexes.lock:
        large = len(indexes.vacancies) >= SPATIAL_PREFILTER_FROM
        result = rank_vacancies(
            person,
            indexes.vacancies,
            context,
            limit=request.limit,
            after=decode_ranking_cursor(request.cursor),
            types=request.types,
            max_commute_minutes=request.max_commute_minutes,
            reach_kmh=REACH_KMH if large else None,
        )
    out = _ranking_out(session, result, participant=participant)
    out = _with_flags(session, out, principal, request)
    return ranking_access.for_caller(session, out, principal, reads=reads)


def matches_for_vacancy(
    *,
    session: Session,
    indexes: MatchingIndexes,
    vacancy: Vacancy,
    request: RankingRequest,
    principal: Principal = SYSTEM,
    reads: dict[str, str] | None = None,
) -> RankingOut:
    """Eligible participants for one vacancy, best first.

    Employers get only people who agreed to share their profile (``employer_view``),
    counsellors only people of their site. ``reads``: see ``batch``.
    """
    indexes.sync(session)
    profile = _weight_profile(session, indexes, request, principal)
    job = indexes.vacancies.get(vacancy.id) or vacancy_profiles(session, [vacancy])[0]
    context = _context(profile, request, principal)
    with indexes.lock:
        result = rank_participants(
            job,
            indexes.participants,
            context,
            limit=request.limit,
            after=decode_ranking_cursor(request.cursor),
            max_commute_minutes=request.max_commute_minutes,
            candidates=ranking_access.site_candidates(session, principal),
        )
    out = _ranking_out(session, result)
    out = _with_flags(session, out, principal, request)
    return ranking_access.for_caller(session, out, principal, reads=reads)


def _with_flags(
    session: Session, ranking: RankingOut, principal: Principal, request: RankingRequest
) -> RankingOut:
    return ranking_access.with_proposal_flags(
        session, ranking, principal, per_opening=request.proposals_per_opening, lang=request.lang
    )


def _weight_profile(
    session: Session, indexes: MatchingIndexes, request: RankingRequest, principal: Principal
) -> WeightProfile:
    """The profile a ranking uses; the active one is marked as used (which makes it undeletable).

    The active profile is remembered per process until the change log shows an activation:
    looking it up cost a query and a commit on every ranking.
    """
    wants_active = request.profile_name is None and request.profile_version is None
    if wants_active and indexes.active_profile is not None:
        return indexes.active_profile
    generation = indexes.profile_generation
    profile = _used_profile(session, request, principal)
    if wants_active:
        indexes.remember_active_profile(profile, generation)
    return profile


def _used_profile(session: Session, request: RankingRequest, principal: Principal) -> WeightProfile:
    """The requested (or active) profile from the database; marked as used if it is active."""
    record, profile = _permitted_profile(session, request, principal)
    mark_used(session=session, record=record)
    return profile


def _permitted_profile(
    session: Session, request: RankingRequest, principal: Principal
) -> tuple[WeightProfileRecord, WeightProfile]:
    """The requested (or active) profile; one that is not active only for admins and analysts.

    Other callers naming an unknown profile get the same 403 as for a draft, so the answer does
    not tell them which drafts exist.
    """
    may_use_drafts = principal.role in ranking_access.DRAFT_PROFILE_ROLES
    try:
        record, profile = resolve_profile(
            session=session, name=request.profile_name, version=request.profile_version
        )
    except InvalidInput:
        if may_use_drafts:
            raise
        raise _draft_refused(principal) from None
    if not record.active and not may_use_drafts:
        raise _draft_refused(principal)
    return record, profile


AS_OF_ROLES = frozenset({Role.admin, Role.analyst})


def check_as_of(as_of: date | None, principal: Principal) -> None:
    """Ranking "as on" another day is for reproducing earlier lists, by admins and analysts.

    Anyone else could move the day to find when a candidate's permit ends (the day they drop
    out of the list), and a future day would do it for everyone.
    """
    if as_of is None:
        return
    if principal.role not in AS_OF_ROLES:
        raise Forbidden(
            detail="Only admins and analysts may rank as on another day.",
            errors=[FieldError("as_of", "is for admins and analysts")],
        )
    if as_of > date.today():
        raise InvalidInput(
            detail="as_of reproduces an earlier list; it cannot lie in the future.",
            errors=[FieldError("as_of", "must not be after today")],
        )


def _draft_refused(principal: Principal) -> Forbidden:
    return Forbidden(
        detail=f"The role '{principal.role}' ranks with the active weight profile only.",
        errors=[FieldError("profile", "only admins and analysts may name another profile")],
    )


def explain_pair(
    *,
    session: Session,
    participant: Participant,
    vacancy: Vacancy,
    request: RankingRequest,
    principal: Principal = SYSTEM,
    router: Router | None = None,
) -> ExplanationOut:
    """One pair with every failed constraint named and the score computed regardless.

    With a routing server configured (``router``), the answer also carries its door-to-door
    time, so a counsellor can check the estimate the ranking used against a real route.
    """
    (out,) = _explanations(session, participant, vacancy, request, principal, (None,))
    if router is not None:
        out.routed_commute = routed_commute(router, participant, vacancy)
    return out


def explain_for_placement(
    *, session: Session, participant: Participant, vacancy: Vacancy, principal: Principal
) -> tuple[ExplanationOut, ExplanationOut]:
    """The pair explained twice from one read: full texts, and those employers and partners
    read of the placement (restricted, see ``_context``)."""
    full, shared = _explanations(
        session, participant, vacancy, RankingRequest(), principal, (False, True)
    )
    return full, shared


def _explanations(
    session: Session,
    participant: Participant,
    vacancy: Vacancy,
    request: RankingRequest,
    principal: Principal,
    restricted: tuple[bool | None, ...],
) -> list[ExplanationOut]:
    """One explanation per ``restricted`` wording; profiles loaded and the read audited once."""
    profile = _used_profile(session, request, principal)
    person = participant_profiles(session, [participant])[0]
    job = vacancy_profiles(session, [vacancy])[0]
    results = [
        explain(person, job, _context(profile, request, principal, restricted_texts=r))
        for r in restricted
    ]
    audit.record_reads(session, principal, [participant.public_id], "full", "explain")
    return [_explanation_out(result, participant.public_id) for result in results]


# score, wished type (0/1), skills value, negative minutes, id: exact doubles, so that the next
# page starts exactly after the last item; binary keeps the cursor short in a URL.
_CURSOR_LAYOUT = struct.Struct(">dBddq")


def encode_ranking_cursor(after: tuple[float, ...]) -> str:
    """The order keys and id of a page's last item, signed like every cursor (``kit.signing``)."""
    score, wished, skills, minutes, item_id = after
    packed = _CURSOR_LAYOUT.pack(score, int(wished), skills, minutes, int(item_id))
    return signing.sign(RANKING_CURSOR, packed)


def decode_ranking_cursor(cursor: str | None) -> tuple[float, ...] | None:
    """The position after which the next page starts; anything not signed here is a 422."""
    if not cursor:
        return None
    try:
        packed = signing.verify(RANKING_CURSOR, cursor)
        if len(packed) != _CURSOR_LAYOUT.size:
            raise ValueError("a cursor of another ranking order")
        score, wished, skills, minutes, item_id = _CURSOR_LAYOUT.unpack(packed)
        return (score, float(wished), skills, minutes, item_id)
    except (ValueError, struct.error) as exc:
        raise InvalidInput(
            detail="The cursor is not one this service issued.",
            errors=[FieldError("cursor", "must be a next_cursor value from a previous page")],
        ) from exc


def _ranking_out(
    session: Session, result: RankingResult, participant: Participant | None = None
) -> RankingOut:
    """Response items; a participant the ranking is for is in hand, so it is not read again."""
    known_ids = {participant.id: participant.public_id} if participant else {}
    public_ids = known_ids | _public_ids(
        session, {item.participant_id for item in result.items} - known_ids.keys()
    )
    vacancy_facts = _vacancy_facts(session, {item.vacancy_id for item in result.items})
    return RankingOut(
        weight_profile=WeightProfileRef(name=result.profile_name, version=result.profile_version),
        items=[_item_out(item, public_ids, vacancy_facts) for item in result.items],
        total=result.total,
        next_cursor=encode_ranking_cursor(result.next_after) if result.next_after else None,
    )


def _item_out(item: MatchItem, public_ids: dict, vacancy_facts: dict) -> MatchItemOut:
    title, employer_name, postal_code = vacancy_facts[item.vacancy_id]
    return MatchItemOut(
        vacancy_id=item.vacancy_id,
        participant_id=item.participant_id,
        participant_public_id=public_ids[item.participant_id],
        rank=item.rank,
        score=item.score,
        components={name: _component_out(c) for name, c in item.components.items()},
        commute_minutes=round(item.commute_minutes, 1),
        commute_mode=item.commute_mode,
        flags=[FlagOut(code=f.code, reason=f.reason) for f in item.flags],
        vacancy_title=title,
        employer_name=employer_name,
        vacancy_postal_code=postal_code,
    )


def _component_out(component) -> ComponentOut:
    return ComponentOut(
        value=component.value,
        weight=component.weight,
        contribution=component.contribution,
        reason=component.reason,
    )


def _explanation_out(result: Explanation, public_id: str) -> ExplanationOut:
    return ExplanationOut(
        participant_id=result.participant_id,
        participant_public_id=public_id,
        vacancy_id=result.vacancy_id,
        eligible=result.eligible,
        failed_constraints=[
            FailedConstraintOut(name=f.name, reason=f.reason) for f in result.failed_constraints
        ],
        flags=[FlagOut(code=f.code, reason=f.reason) for f in result.flags],
        score=result.score,
        components={name: _component_out(c) for name, c in result.components.items()},
        commute_minutes=round(result.commute_minutes, 1),
        commute_mode=result.commute_mode,
        weight_profile=WeightProfileRef(name=result.profile_name, version=result.profile_version),
    )


def _public_ids(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = select(Participant.id, Participant.public_id).where(col(Participant.id).in_(ids))
    return dict(session.exec(query).all())


def _vacancy_facts(session: Session, ids: set[int]) -> dict[int, tuple[str, str, str]]:
    if not ids:
        return {}
    query = (
        select(Vacancy.id, Vacancy.title, Employer.name, Vacancy.postal_code)
        .join(Employer, col(Employer.id) == col(Vacancy.employer_id))
        .where(col(Vacancy.id).in_(ids))
    )
    return {row[0]: (row[1], row[2], row[3]) for row in session.exec(query)}


def batch(
    *,
    session: Session,
    indexes: MatchingIndexes,
    body: BatchRequest,
    lang: str,
    principal: Principal = SYSTEM,
) -> BatchOut:
    """One ranking per id, all with the same weight profile and day.

    Each person listed is audited once for the whole batch (one row per person and view, not
    one per item): a vacancy batch lists the same candidates in many rankings.
    """
    batch_sizes(body)
    request = RankingRequest(
        limit=body.limit,
        types=tuple(body.type) if body.type else None,
        profile_name=body.profile,
        profile_version=body.version,
        lang=lang,
        as_of=date.today(),
    )
    # The profile is checked before any id is looked up, so a 403 never depends on the ids.
    record, _ = _permitted_profile(session, request, principal)
    results: list[BatchEntry] = []
    reads: dict[str, str] = {}  # public id → "full" if any ranking showed the person in full
    if body.participant_ids is not None:
        rows = _load_all(session, Participant, body.participant_ids, "participant_ids", principal)
        for row in rows:
            ranking = matches_for_participant(
                session=session,
                indexes=indexes,
                participant=row,
                request=request,
                principal=principal,
                reads=reads,
            )
            results.append(BatchEntry(participant_id=row.id, ranking=ranking))
    else:
        rows = _load_all(session, Vacancy, body.vacancy_ids or [], "vacancy_ids", principal)
        for row in rows:
            ranking = matches_for_vacancy(
                session=session,
                indexes=indexes,
                vacancy=row,
                request=request,
                principal=principal,
                reads=reads,
            )
            results.append(BatchEntry(vacancy_id=row.id, ranking=ranking))
    for view in ("full", "pseudonymous"):
        people = [public_id for public_id, seen in reads.items() if seen == view]
        audit.record_reads(session, principal, people, view, "rank")
    reference = WeightProfileRef(name=record.name, version=record.version)
    return BatchOut(
        weight_profile=results[0].ranking.weight_profile if results else reference, results=results
    )


def batch_sizes(body: BatchRequest) -> dict[str, int]:
    """What a batch asks for (``access.budget``: bounds per role, cost); 422 unless exactly one
    of ``participant_ids`` and ``vacancy_ids`` is given."""
    if (body.participant_ids is None) == (body.vacancy_ids is None):
        raise InvalidInput(
            detail="Give participant_ids or vacancy_ids.",
            errors=[
                FieldError("participant_ids", "give exactly one of participant_ids, vacancy_ids")
            ],
        )
    if body.participant_ids is not None:
        return {"participant_ids": len(body.participant_ids), "limit": body.limit}
    return {"vacancy_ids": len(body.vacancy_ids or []), "limit": body.limit}


def _load_all(
    session: Session, model: type, ids: list[int], field: str, principal: Principal
) -> list:
    """All requested records in the order asked, or a 404 naming the missing ids.

    Records outside the caller's reach (another site, another employer) count as missing.
    """
    scope = participant_scope(principal) if model is Participant else vacancy_scope(principal)
    query = select(model).where(col(model.id).in_(ids), *scope)
    found = {row.id: row for row in session.exec(query)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(
            detail=f"Unknown ids: {', '.join(map(str, missing))}.",
            errors=[FieldError(field, f"unknown ids {missing}")],
        )
    return [found[i] for i in dict.fromkeys(ids)]
