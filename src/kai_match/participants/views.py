"""How a participant is shown: the full record (admins, counsellors of the site) or the
pseudonymised view (employers, partners, analysts — and everyone, once a profile is erased).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Row
from sqlmodel import Session, col, select

from kai_match.kit.child_rows import rows_by_owner
from kai_match.kit.principal import Principal
from kai_match.models import (
    Participant,
    ParticipantLanguage,
    ParticipantOccupation,
    ParticipantPersonal,
    ParticipantSkill,
)
from kai_match.models.participant import (
    ParticipantPseudonymous,
    ParticipantPublic,
    SkillPseudonymous,
)
from kai_match.models.parts import (
    AvailabilityIn,
    ConsentIn,
    GermanSkillsIn,
    LanguageIn,
    MobilityIn,
    OccupationOut,
    PreferencesIn,
    SkillOut,
    WorkPermitIn,
)
from kai_match.reference.service import municipality_of, occupation_label_of, skill_label_of

_AGE_BANDS = ((18, "under 18"), (25, "18–24"), (35, "25–34"), (45, "35–44"), (55, "45–54"))
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
    return [
        _to_public(p, personal[p.id], languages[p.id], skills[p.id], occupations[p.id])
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
                confidence=o.confidence,
                normalized=o.code is not None,
            )
            for o in occupations
        ],
        home_postal_code=participant.home_postal_code,
        municipality=municipality_of(participant.home_postal_code),
        mobility=MobilityIn(
            driving_licences=participant.driving_licences,
            has_car=participant.has_car,
            has_bike=participant.has_bike,
            max_commute_minutes=participant.max_commute_minutes,
        ),
        availability=AvailabilityIn(
            earliest_start=participant.earliest_start,
            hours_per_week=participant.hours_per_week,
            shifts=participant.shifts,
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
        ),
        consent=ConsentIn(
            processing=participant.consent_processing,
            share_with_employers=participant.consent_share_with_employers,
            given_on=participant.consent_given_on,
        ),
        created_at=participant.created_at,
        updated_at=participant.updated_at,
    )


def views_for(
    session: Session, participants: list[Participant], principal: Principal
) -> list[ParticipantPublic | ParticipantPseudonymous]:
    """The view the caller's role allows, record by record (erased profiles are pseudonymous)."""
    if not principal.sees_personal_data:
        return list(participants_pseudonymous(session, participants))
    live = [p for p in participants if p.erased_at is None]
    erased = [p for p in participants if p.erased_at is not None]
    views: dict = dict(zip([p.id for p in live], participants_public(session, live), strict=True))
    pseudonymous = participants_pseudonymous(session, erased)
    views |= dict(zip([p.id for p in erased], pseudonymous, strict=True))
    return [views[p.id] for p in participants]


def participants_pseudonymous(
    session: Session, participants: list[Participant], today: date | None = None
) -> list[ParticipantPseudonymous]:
    """No name, birth date, contact, nationality-revealing languages or permit details."""
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
    return [
        ParticipantPseudonymous(
            public_id=p.public_id,
            site=p.site,
            status=p.status,
            german_level=p.german_level,
            skills=[
                SkillPseudonymous(
                    skill_id=s.skill_id, label=skill_label_of(s.skill_id), level=s.level
                )
                for s in skills[p.id]
                if s.skill_id is not None
            ],
            municipality=municipality_of(p.home_postal_code),
            work_permitted=work_permitted(p, today),
            age_band=age_band(birth_dates.get(p.id), today),
        )
        for p in participants
    ]


def age_band(birth_date: date | None, today: date) -> str | None:
    """Ten-year bands (18–24 first, as the programme's participants are adults)."""
    if birth_date is None:
        return None
    age = (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )
    for upper, label in _AGE_BANDS:
        if age < upper:
            return label
    return "55+"


def work_permitted(participant: Participant, today: date) -> bool:
    """Yes when work is allowed today without asking the foreigners' office first."""
    valid = (
        participant.work_permit_valid_until is None or participant.work_permit_valid_until >= today
    )
    return participant.work_permit_status in _WORK_ALLOWED and valid
