"""How a participant is shown: the full record (admins, counsellors of the site) or the
pseudonymised view (employers, partners, analysts — and everyone, once a profile is erased).

The pseudonymised view names the person by the caller's own pseudonym (``pseudonyms``), and
shows analysts the quasi-identifiers generalised over the whole population (``anonymity``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Row
from sqlmodel import Session, col, select

from kai_match.data.taxonomy.certificates import is_certificate
from kai_match.external_refs.service import refs_by_owner
from kai_match.kit.child_rows import rows_by_owner
from kai_match.kit.principal import SYSTEM, Principal
from kai_match.models import (
    Participant,
    ParticipantLanguage,
    ParticipantOccupation,
    ParticipantPersonal,
    ParticipantSkill,
)
from kai_match.models.common import GeoPoint
from kai_match.models.external_ref import RefResource
from kai_match.models.participant import (
    ParticipantPseudonymous,
    ParticipantPublic,
    SkillPseudonymous,
)
from kai_match.models.parts import (
    AvailabilityOut,
    ConsentIn,
    GermanSkillsIn,
    LanguageIn,
    MobilityIn,
    OccupationOut,
    PreferencesIn,
    SkillOut,
    WorkPermitIn,
)
from kai_match.models.schedule import commitments_out
from kai_match.participants import pseudonyms
from kai_match.participants.anonymity import Release, Shown, analyst_release
from kai_match.participants.anonymity import age_band as age_band
from kai_match.reference.service import (
    municipality_name,
    municipality_of,
    occupation_label_of,
    skill_label_of,
)

_WORK_ALLOWED = frozenset({"unrestricted", "permitted"})


def participant_public(session: Session, participant: Participant) -> ParticipantPublic:
    return participants_public(session, [participant])[0]


def participants_public(
    session: Session, participants: list[Participant]
) -> list[ParticipantPublic]:
    """Assemble full records with one query per child table for the whole page."""
    ids = [p.id for p in participants]
    if not ids:
        return []
    personal = {
        row.participant_id: row
        for row in session.exec(
            select(ParticipantPersonal).where(col(ParticipantPersonal.participant_id).in_(ids))
        )
    }
    languages = rows_by_owner(session, ParticipantLanguage, "participant_id", ids)
    skills = rows_by_owner(session, ParticipantSkill, "participant_id", ids)
    occupations = rows_by_owner(session, ParticipantOccupation, "participant_id", ids)
    given_out = pseudonyms.given_out(session, [i for i in ids if i is not None])
    references = refs_by_owner(session, RefResource.participant, ids)
    return [
        _to_public(p, personal[p.id], languages[p.id], skills[p.id], occupations[p.id]).model_copy(
            update={"pseudonyms": given_out[p.id], "external_refs": references[p.id]}
        )
        for p in participants
    ]


def _to_public(
    participant: Participant,
    personal: ParticipantPersonal,
    languages: list[Row],
    skills: list[Row],
    occupations: list[Row],
) -> ParticipantPublic:
    assert participant.id is not None
    return ParticipantPublic(
        id=participant.id,
        public_id=participant.public_id,
        site=participant.site,
        counsellor=participant.counsellor,
        status=participant.status,
        first_name=personal.first_name,
        last_name=personal.last_name,
        birth_date=personal.birth_date,
        email=personal.email,
        phone=personal.phone,
        german_level=participant.german_level,
        german_skills=GermanSkillsIn(
            listening=participant.german_listening,
            reading=participant.german_reading,
            speaking=participant.german_speaking,
            writing=participant.german_writing,
        ),
        expected_b1_date=participant.expected_b1_date,
        latin_literacy=participant.latin_literacy,
        course_state=participant.course_state,
        other_languages=[LanguageIn(code=x.code, level=x.level) for x in languages],
        skills=[
            SkillOut(
                name=s.name,
                skill_id=s.skill_id,
                label=skill_label_of(s.skill_id),
                level=s.level,
                source=s.source,
                confidence=s.confidence,
                normalized=s.skill_id is not None,
                certificate=is_certificate(s.skill_id),
            )
            for s in skills
        ],
        occupations=[
            OccupationOut(
                name=o.name,
                code=o.code,
                label=occupation_label_of(o.code),
                years=o.years,
                recognition=o.recognition,
                recognition_expected=o.recognition_expected,
                confidence=o.confidence,
                normalized=o.code is not None,
            )
            for o in occupations
        ],
        home_postal_code=participant.home_postal_code,
        home_municipality=municipality_name(participant.home_municipality_ags),
        home_municipality_ags=participant.home_municipality_ags,
        home_location=_location(participant),
        municipality=(
            municipality_name(participant.home_municipality_ags)
            or municipality_of(participant.home_postal_code)
        ),
        mobility=MobilityIn(
            driving_licences=participant.driving_licences,
            has_car=participant.has_car,
            has_bike=participant.has_bike,
            max_commute_minutes=participant.max_commute_minutes,
        ),
        availability=AvailabilityOut(
            earliest_start=participant.earliest_start,
            hours_per_week=participant.hours_per_week,
            shifts=participant.shifts,
            commitments=commitments_out(participant.commitments),
        ),
        preferences=PreferencesIn(
            placement_types=participant.placement_types,
            fields_wanted=participant.fields_wanted,
            fields_excluded=participant.fields_excluded,
        ),
        work_permit=WorkPermitIn(
            status=participant.work_permit_status,
            valid_until=participant.work_permit_valid_until,
            renewal_pending=participant.work_permit_renewal_pending,
            document=participant.work_permit_document,
        ),
        consent=ConsentIn(
            processing=participant.consent_processing,
            share_with_employers=participant.consent_share_with_employers,
            given_on=participant.consent_given_on,
        ),
        created_at=participant.created_at,
        updated_at=participant.updated_at,
    )


def _location(participant: Participant) -> GeoPoint | None:
    if participant.home_lat is None or participant.home_lon is None:
        return None
    return GeoPoint.model_construct(lat=participant.home_lat, lon=participant.home_lon)


def views_for(
    session: Session,
    participants: list[Participant],
    principal: Principal,
    release: Release | None = None,
) -> list[ParticipantPublic | ParticipantPseudonymous]:
    """The view the caller's role allows, record by record (erased profiles are pseudonymous).

    ``release``: the analysts' generalisation, when the caller computed it already.
    """
    if not principal.sees_personal_data:
        return list(participants_pseudonymous(session, participants, principal, release=release))
    live = [p for p in participants if p.erased_at is None]
    erased = [p for p in participants if p.erased_at is not None]
    views: dict = dict(zip([p.id for p in live], participants_public(session, live), strict=True))
    pseudonymous = participants_pseudonymous(session, erased, principal)
    views |= dict(zip([p.id for p in erased], pseudonymous, strict=True))
    return [views[p.id] for p in participants]


def participants_pseudonymous(
    session: Session,
    participants: list[Participant],
    principal: Principal = SYSTEM,
    today: date | None = None,
    release: Release | None = None,
) -> list[ParticipantPseudonymous]:
    """No name, birth date, contact, nationality-revealing languages or permit details.

    Named by the id the caller knows the person by. An audience (analysts) gets the
    quasi-identifiers as the release over the whole population shows them, never as stored.
    """
    ids = [p.id for p in participants]
    if not ids:
        return []
    today = today or date.today()
    birth_dates = dict(
        session.exec(
            select(ParticipantPersonal.participant_id, ParticipantPersonal.birth_date).where(
                col(ParticipantPersonal.participant_id).in_(ids)
            )
        ).all()
    )
    skills = rows_by_owner(session, ParticipantSkill, "participant_id", ids)
    public_ids = pseudonyms.ids_for(session, principal, [i for i in ids if i is not None])
    if pseudonyms.audience_of(principal) is not None:
        release = release or analyst_release(session, today)
        shown = {p.id: release.of(p.id) for p in participants}
    else:
        shown = {
            p.id: Shown(
                site=p.site,
                municipality=municipality_of(p.home_postal_code),
                age_band=age_band(birth_dates.get(p.id), today),
                german_level=p.german_level,
            )
            for p in participants
        }
    return [
        ParticipantPseudonymous(
            public_id=public_ids[p.id],
            site=shown[p.id].site,
            status=p.status,
            german_level=shown[p.id].german_level,
            skills=[
                SkillPseudonymous(
                    skill_id=s.skill_id, label=skill_label_of(s.skill_id), level=s.level
                )
                for s in skills[p.id]
                if s.skill_id is not None
            ],
            municipality=shown[p.id].municipality,
            work_permitted=work_permitted(p, today),
            age_band=shown[p.id].age_band,
        )
        for p in participants
    ]


def work_permitted(participant: Participant, today: date) -> bool:
    """Yes when work is allowed today without asking the foreigners' office first."""
    valid = (
        participant.work_permit_valid_until is None or participant.work_permit_valid_until >= today
    )
    return participant.work_permit_status in _WORK_ALLOWED and valid
