"""Participant use cases: create, read, list, update, archive — one transaction each."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from kai_match.access.scopes import participant_scope
from kai_match.audit import service as audit
from kai_match.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from kai_match.external_refs import service as refs
from kai_match.external_refs.upsert import Upserted, UpsertSteps, upsert, with_ref
from kai_match.kit import changes
from kai_match.kit.child_rows import replace_rows
from kai_match.kit.pagination import Page, PageRequest, page_of
from kai_match.kit.patching import null_errors
from kai_match.kit.principal import SYSTEM, Principal
from kai_match.kit.versioning import bump_version, check_if_match, lock_for_write, record_etag
from kai_match.models import (
    Participant,
    ParticipantLanguage,
    ParticipantOccupation,
    ParticipantPersonal,
    ParticipantSkill,
)
from kai_match.models.api_key import Role
from kai_match.models.common import GeoPoint, ParticipantStatus, utcnow
from kai_match.models.external_ref import RefResource
from kai_match.models.participant import (
    ParticipantCreate,
    ParticipantPseudonymous,
    ParticipantPublic,
    ParticipantUpdate,
)
from kai_match.models.parts import (
    ConsentIn,
    LanguageIn,
    OccupationIn,
    PreferencesIn,
    SkillIn,
    dedupe,
)
from kai_match.models.schedule import stored_commitments
from kai_match.participants import consents
from kai_match.participants.anonymity import analyst_release
from kai_match.participants.pseudonyms import audience_of, new_public_id
from kai_match.participants.search import matches_text
from kai_match.participants.views import participant_public, views_for
from kai_match.reference.service import (
    check_fields,
    check_municipality,
    check_postal_code,
    municipality_after_update,
    resolve_occupation_input,
    resolve_skill_input,
)


def create_participant(
    *, session: Session, data: ParticipantCreate, principal: Principal = SYSTEM
) -> ParticipantPublic:
    """Store a new competence profile with its child rows in one transaction."""
    _check_site_allowed(principal, data.site)
    errors: list[FieldError] = []
    check_postal_code(data.home_postal_code, "home_postal_code", errors)
    municipality = None
    if data.home_municipality is not None:
        municipality = check_municipality(
            data.home_postal_code, data.home_municipality, "home_municipality", errors
        )
    _check_consent(data.consent, errors)
    _check_preferences(data.preferences, errors)
    skills = _skill_rows(data.skills, errors)
    occupations = _occupation_rows(data.occupations, errors)
    errors += refs.check_unique(data.external_refs)
    if errors:
        raise InvalidInput(detail="The participant could not be stored.", errors=errors)
    refs.check_may_set(principal, data.external_refs)

    participant = Participant(
        public_id=new_public_id(), site=data.site, status=ParticipantStatus.active
    )
    _apply_matching_fields(participant, data.model_dump(exclude_unset=False), data)
    participant.home_municipality_ags = municipality
    _apply_location(participant, data.home_location)
    session.add(participant)
    session.flush()
    assert participant.id is not None
    session.add(
        ParticipantPersonal(
            participant_id=participant.id,
            first_name=data.first_name,
            last_name=data.last_name,
            birth_date=data.birth_date,
            email=data.email,
            phone=data.phone,
        )
    )
    _replace_children(session, participant.id, data.other_languages, skills, occupations)
    refs.replace(session, RefResource.participant, participant.id, data.external_refs, principal)
    consents.sync_flags(session, participant, (False, False), principal)
    changes.record(session, "participant", participant.id)
    audit.record(
        session, principal, "create", [participant.public_id], sorted(data.model_fields_set)
    )
    session.flush()
    return participant_public(session, participant)


def get_participant(
    *, session: Session, participant_id: int, principal: Principal | None = None
) -> Participant:
    """Load within the caller's reach: a counsellor finds only participants of their site."""
    query = select(Participant).where(
        Participant.id == participant_id, *participant_scope(principal)
    )
    participant = session.exec(query).first()
    if participant is None:
        raise NotFound(detail=f"Participant {participant_id} does not exist.")
    return participant


def read_participant(
    *, session: Session, participant: Participant, principal: Principal
) -> ParticipantPublic | ParticipantPseudonymous:
    """The record in the view the caller's role allows; the read is audited."""
    view = views_for(session, [participant], principal)[0]
    audit.record_reads(session, principal, [participant.public_id], _view_name(view), "read")
    return view


def list_participants(
    *,
    session: Session,
    page: PageRequest,
    principal: Principal = SYSTEM,
    site: str | None = None,
    status: str | None = None,
    german_level: str | None = None,
    q: str | None = None,
) -> Page[ParticipantPublic | ParticipantPseudonymous]:
    """One page in the caller's reach and view; every person listed is audited.

    ``q`` finds people by name, id or pseudonym for counsellors and admins, and by their own
    pseudonym for an audience (``participants.search``).

    Analysts' filters on site and German level compare with the generalised values they are
    shown (``participants.anonymity``), not with the stored ones.
    """
    query = select(Participant).where(*participant_scope(principal)).order_by(col(Participant.id))
    if principal.sees_personal_data:
        # Erased profiles hold nothing to manage; they stay in the pseudonymised lists.
        query = query.where(col(Participant.erased_at).is_(None))
    if page.after_id is not None:
        query = query.where(col(Participant.id) > page.after_id)
    release = None
    if audience_of(principal) is not None:
        release = analyst_release(session, date.today())
        query = query.where(*release.filter_conditions(site, german_level))
        site = german_level = None
    if site is not None:
        query = query.where(Participant.site == site)
    if status is not None:
        query = query.where(Participant.status == status)
    if german_level is not None:
        query = query.where(Participant.german_level == german_level)
    if q is not None:
        audience = audience_of(principal)
        if audience is None:
            query = query.join(
                ParticipantPersonal, col(ParticipantPersonal.participant_id) == Participant.id
            )
        query = query.where(matches_text(q, audience))
    rows = list(session.exec(query.limit(page.limit + 1)))
    rows, cursor = page_of(rows, page.limit, lambda p: p.id)
    items = views_for(session, rows, principal, release)
    view = "full" if principal.sees_personal_data else "pseudonymous"
    audit.record_reads(session, principal, [p.public_id for p in rows], view, "list")
    return Page(items=items, next_cursor=cursor)


def update_participant(
    *,
    session: Session,
    participant: Participant,
    data: ParticipantUpdate,
    if_match: str | None = None,
    principal: Principal = SYSTEM,
) -> ParticipantPublic:
    """Partial update; nested parts and lists given replace the stored ones whole."""
    participant = lock_for_write(session, participant)
    check_if_match(if_match, record_etag(participant))
    if participant.erased_at is not None:
        raise Conflict(
            detail="This profile was erased; it can no longer be changed.",
            errors=[FieldError("participant_id", "is erased")],
        )
    changed = data.model_dump(exclude_unset=True, exclude={"external_refs"})
    if changed.get("site") is not None:
        _check_site_allowed(principal, changed["site"])
    errors = null_errors(changed, Participant, ParticipantPersonal)
    if data.home_postal_code is not None:
        check_postal_code(data.home_postal_code, "home_postal_code", errors)
    municipality = municipality_after_update(
        field="home_municipality",
        postal_code=participant.home_postal_code,
        new_postal_code=data.home_postal_code,
        sent="home_municipality" in data.model_fields_set,
        value=data.home_municipality,
        stored=participant.home_municipality_ags,
        errors=errors,
    )
    if data.consent is not None:
        _check_consent(data.consent, errors)
    if data.preferences is not None:
        _check_preferences(data.preferences, errors)
    skills = _skill_rows(data.skills, errors) if data.skills is not None else None
    occupations = (
        _occupation_rows(data.occupations, errors) if data.occupations is not None else None
    )
    errors += refs.check_unique(data.external_refs or [])
    if errors:
        raise InvalidInput(detail="The participant could not be updated.", errors=errors)
    refs.check_may_set(principal, data.external_refs or [])

    assert participant.id is not None
    personal = session.get(ParticipantPersonal, participant.id)
    assert personal is not None
    before = (participant.consent_processing, participant.consent_share_with_employers)
    for name in ("first_name", "last_name", "birth_date", "email", "phone"):
        if name in changed:
            setattr(personal, name, changed[name])
    for name in ("site", "counsellor", "status"):
        if name in changed:
            setattr(participant, name, changed[name])
    if "status" in changed:
        _stamp_archived(participant)
    _apply_matching_fields(participant, changed, data)
    participant.home_municipality_ags = municipality
    if "home_location" in changed:
        _apply_location(participant, data.home_location)
    _replace_children(session, participant.id, data.other_languages, skills, occupations)
    refs.replace(session, RefResource.participant, participant.id, data.external_refs, principal)
    bump_version(participant)
    session.add_all([participant, personal])
    consents.sync_flags(session, participant, before, principal)
    changes.record(session, "participant", participant.id)
    audit.record(session, principal, "update", [participant.public_id], sorted(changed))
    session.flush()
    return participant_public(session, participant)


def archive_participant(
    *, session: Session, participant: Participant, principal: Principal = SYSTEM
) -> None:
    """Deleting a profile archives it; erasure of personal data is a separate, audited step."""
    participant = lock_for_write(session, participant)
    participant.status = ParticipantStatus.archived
    _stamp_archived(participant)
    bump_version(participant)
    session.add(participant)
    assert participant.id is not None
    changes.record(session, "participant", participant.id)
    audit.record(session, principal, "archive", [participant.public_id], ["status"])
    session.flush()


def _stamp_archived(participant: Participant) -> None:
    """The retention period runs from the day a profile was archived."""
    if participant.status == ParticipantStatus.archived:
        participant.archived_at = participant.archived_at or utcnow()
    else:
        participant.archived_at = None


def _check_site_allowed(principal: Principal, site: str) -> None:
    """Counsellors keep profiles of their own site; handing one over is an admin's step."""
    if principal.role == Role.counsellor and site != principal.site:
        raise Forbidden(
            detail="Counsellors keep profiles of their own site only.",
            errors=[FieldError("site", f"must be {principal.site}")],
        )


def _apply_location(participant: Participant, location: GeoPoint | None) -> None:
    participant.home_lat = location.lat if location else None
    participant.home_lon = location.lon if location else None


def _view_name(view: ParticipantPublic | ParticipantPseudonymous) -> str:
    return "full" if isinstance(view, ParticipantPublic) else "pseudonymous"


def _apply_matching_fields(participant: Participant, values: dict, data) -> None:
    """Copy matching data from a create or update body onto the flat table row."""
    simple = ("german_level", "expected_b1_date", "latin_literacy", "course_state")
    for name in simple:
        if name in values:
            setattr(participant, name, values[name])
    if "counsellor" in values:
        participant.counsellor = values["counsellor"]
    if "home_postal_code" in values:
        participant.home_postal_code = values["home_postal_code"]
    if data.german_skills is not None and "german_skills" in values:
        for part, level in data.german_skills.model_dump().items():
            setattr(participant, f"german_{part}", level)
    if data.mobility is not None and "mobility" in values:
        mobility = data.mobility
        participant.driving_licences = dedupe([str(x) for x in mobility.driving_licences])
        participant.has_car = mobility.has_car
        participant.has_bike = mobility.has_bike
        participant.max_commute_minutes = mobility.max_commute_minutes
    if data.availability is not None and "availability" in values:
        availability = data.availability
        participant.earliest_start = availability.earliest_start
        participant.hours_per_week = availability.hours_per_week
        participant.shifts = dedupe([str(x) for x in availability.shifts])
        participant.commitments = stored_commitments(availability.commitments)
    if data.preferences is not None and "preferences" in values:
        preferences = data.preferences
        participant.placement_types = dedupe([str(x) for x in preferences.placement_types])
        participant.fields_wanted = dedupe(preferences.fields_wanted)
        participant.fields_excluded = dedupe(preferences.fields_excluded)
    if data.work_permit is not None and "work_permit" in values:
        permit = data.work_permit
        participant.work_permit_status = permit.status
        participant.work_permit_valid_until = permit.valid_until
        participant.work_permit_renewal_pending = permit.renewal_pending
        participant.work_permit_document = permit.document
    if data.consent is not None and "consent" in values:
        consent = data.consent
        participant.consent_processing = consent.processing
        participant.consent_share_with_employers = consent.share_with_employers
        given_on = consent.given_on
        if consent.processing and given_on is None:
            given_on = date.today()
        participant.consent_given_on = given_on


def _check_preferences(preferences: PreferencesIn, errors: list[FieldError]) -> None:
    check_fields(preferences.fields_wanted, "preferences.fields_wanted", errors)
    check_fields(preferences.fields_excluded, "preferences.fields_excluded", errors)


def _check_consent(consent: ConsentIn, errors: list[FieldError]) -> None:
    if consent.share_with_employers and not consent.processing:
        errors.append(FieldError("consent.share_with_employers", "requires consent to processing"))


def _skill_rows(skills: list[SkillIn], errors: list[FieldError]) -> list[ParticipantSkill]:
    rows = []
    for index, skill in enumerate(skills):
        resolved = resolve_skill_input(skill.name, skill.skill_id, f"skills[{index}]", errors)
        rows.append(
            ParticipantSkill(
                participant_id=0,
                name=skill.name,
                skill_id=resolved.code,
                level=skill.level,
                source=skill.source,
                confidence=resolved.confidence,
            )
        )
    return rows


def _occupation_rows(
    occupations: list[OccupationIn], errors: list[FieldError]
) -> list[ParticipantOccupation]:
    rows = []
    for index, occupation in enumerate(occupations):
        resolved = resolve_occupation_input(
            occupation.name, occupation.code, f"occupations[{index}]", errors
        )
        rows.append(
            ParticipantOccupation(
                participant_id=0,
                name=occupation.name,
                code=resolved.code,
                years=occupation.years,
                recognition=occupation.recognition,
                recognition_expected=occupation.recognition_expected,
                confidence=resolved.confidence,
            )
        )
    return rows


def _replace_children(
    session: Session,
    participant_id: int,
    languages: list[LanguageIn] | None,
    skills: list[ParticipantSkill] | None,
    occupations: list[ParticipantOccupation] | None,
) -> None:
    if languages is not None:
        replace_rows(
            session,
            ParticipantLanguage,
            "participant_id",
            participant_id,
            _language_rows(languages),
        )
    replace_rows(session, ParticipantSkill, "participant_id", participant_id, skills)
    replace_rows(session, ParticipantOccupation, "participant_id", participant_id, occupations)
    session.flush()


def _language_rows(languages: list[LanguageIn]) -> list[ParticipantLanguage]:
    by_code = {language.code: language.level for language in languages}
    return [ParticipantLanguage(participant_id=0, code=c, level=lv) for c, lv in by_code.items()]


def upsert_participant_by_ref(
    *,
    session: Session,
    system: str,
    ref_id: str,
    data: ParticipantCreate,
    principal: Principal = SYSTEM,
    if_match: str | None = None,
) -> Upserted[ParticipantPublic]:
    """Create the profile the reference names, or replace it whole (``PUT …/by-ref``)."""
    data = data.model_copy(update={"external_refs": with_ref(data.external_refs, system, ref_id)})

    def load(participant_id: int) -> Participant | None:
        query = select(Participant).where(
            Participant.id == participant_id, *participant_scope(principal)
        )
        return session.exec(query).first()

    def replace(participant: Participant) -> ParticipantPublic:
        update = ParticipantUpdate.model_validate(data.model_dump())
        return update_participant(
            session=session,
            participant=participant,
            data=update,
            if_match=if_match,
            principal=principal,
        )

    steps = UpsertSteps(
        resource=RefResource.participant,
        create=lambda: create_participant(session=session, data=data, principal=principal),
        load=load,
        replace=replace,
        public_of=lambda participant: participant_public(session, participant),
    )
    return upsert(session, steps, system=system, ref_id=ref_id, principal=principal)


def get_participant_by_ref(
    *, session: Session, system: str, ref_id: str, principal: Principal
) -> Participant:
    participant_id = refs.find_or_404(session, RefResource.participant, system, ref_id)
    return get_participant(session=session, participant_id=participant_id, principal=principal)
