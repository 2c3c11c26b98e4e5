"""Turn stored rows into the scoring engine's plain inputs (no personal data crosses over)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from sqlalchemy import Row
from sqlmodel import Session, col, select

from kai_match.data.geo import PostalPlace, lookup_municipality, lookup_postal_code
from kai_match.data.taxonomy import normalize_occupation, occupation_info
from kai_match.data.taxonomy.certificates import is_certificate
from kai_match.data.taxonomy.regulated import regulated_occupation
from kai_match.kit.child_rows import rows_by_owner
from kai_match.models import (
    Employer,
    Participant,
    ParticipantLanguage,
    ParticipantOccupation,
    ParticipantSkill,
    Vacancy,
    VacancyLanguage,
    VacancySkill,
)
from kai_match.models.schedule import commitment_of, working_time_of
from kai_match.scoring import (
    Experience,
    HeldSkill,
    LanguageLevel,
    ParticipantProfile,
    RequiredSkill,
    VacancyProfile,
)
from kai_match.scoring.profiles import ShuttleStop
from kai_match.vacancies import openings as capacity

# Support that makes an employer accept weaker German, e.g. A1 with a mentor (docs/domain.md).
LANGUAGE_SUPPORT = frozenset({"mentor", "multilingual_staff", "language_course"})
# Employers with childcare-friendly hours let the day start later and end earlier (schedule).
CHILDCARE_FRIENDLY = "childcare_friendly_hours"
_IMPORTANCE_RANK = {"must": 3, "should": 2, "nice": 1}
_FALLBACK_PLACE = (51.2, 12.6, 0.3)  # centre of the district, for codes lost from the data


def participant_profiles(session: Session, rows: Iterable[Participant]) -> list[ParticipantProfile]:
    """Profiles for many participants with one query per child table."""
    rows = list(rows)
    ids = [r.id for r in rows]
    if not ids:
        return []
    languages = rows_by_owner(session, ParticipantLanguage, "participant_id", ids)
    skills = rows_by_owner(session, ParticipantSkill, "participant_id", ids)
    occupations = rows_by_owner(session, ParticipantOccupation, "participant_id", ids)
    return [_participant_profile(r, languages[r.id], skills[r.id], occupations[r.id]) for r in rows]


def vacancy_profiles(
    session: Session, rows: Iterable[Vacancy], openings_used: dict[int, int] | None = None
) -> list[VacancyProfile]:
    """Profiles for many vacancies; booked placements (``openings_used``) reduce the openings.

    Without ``openings_used`` the bookings are read from the placements, so every ranking,
    explanation and index sees the openings actually left.
    """
    rows = list(rows)
    ids = [r.id for r in rows]
    if not ids:
        return []
    if openings_used is None:
        openings_used = capacity.openings_used(session, ids)
    skills = rows_by_owner(session, VacancySkill, "vacancy_id", ids)
    languages = rows_by_owner(session, VacancyLanguage, "vacancy_id", ids)
    employer_ids = {r.employer_id for r in rows}
    employers = {
        e.id: e for e in session.exec(select(Employer).where(col(Employer.id).in_(employer_ids)))
    }
    used = openings_used or {}
    return [
        _vacancy_profile(r, skills[r.id], languages[r.id], employers[r.employer_id], used)
        for r in rows
    ]


def _place(
    postal_code: str,
    municipality_ags: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
) -> tuple[float, float, float]:
    """Where a record is for the engine: its coordinates, else its named municipality's centre,
    else its postal code's main place (docs/commute.md, "Where a record is").

    Transit quality comes from the named municipality, else from the postal code: coordinates
    say where the door is, not how often the bus runs there.
    """
    municipality = lookup_municipality(municipality_ags) if municipality_ags else None
    if municipality is not None:
        point_lat, point_lon, transit = municipality.lat, municipality.lon, municipality.transit
    else:
        place = lookup_postal_code(postal_code)
        point_lat, point_lon, transit = (
            (place.lat, place.lon, place.transit) if place else _FALLBACK_PLACE
        )
    if lat is not None and lon is not None:
        return lat, lon, transit
    return point_lat, point_lon, transit


def participant_place(row: Participant) -> PostalPlace | None:
    """The person's home as a place for a routing server: the same point the engine uses."""
    return _as_place(
        row.home_postal_code,
        _place(row.home_postal_code, row.home_municipality_ags, row.home_lat, row.home_lon),
    )


def vacancy_place(row: Vacancy) -> PostalPlace | None:
    """The workplace as a place for a routing server: the same point the engine uses."""
    return _as_place(
        row.postal_code, _place(row.postal_code, row.municipality_ags, row.lat, row.lon)
    )


def _as_place(postal_code: str, point: tuple[float, float, float]) -> PostalPlace | None:
    known = lookup_postal_code(postal_code)
    if known is None:
        return None
    lat, lon, transit = point
    return replace(known, lat=lat, lon=lon, transit=transit)


def _participant_profile(
    row: Participant,
    languages: list[Row],
    skills: list[Row],
    occupations: list[Row],
) -> ParticipantProfile:
    lat, lon, transit = _place(
        row.home_postal_code, row.home_municipality_ags, row.home_lat, row.home_lon
    )
    held: dict[str, HeldSkill] = {}
    for skill in skills:
        if skill.skill_id is None:
            continue  # unnormalised free text cannot be compared; the counsellor sees it flagged
        current = held.get(skill.skill_id)
        if current is None or skill.level > current.level:
            held[skill.skill_id] = HeldSkill(skill.level, skill.source)
    experience = []
    for occupation in occupations:
        info = occupation_info(occupation.code) if occupation.code else None
        experience.append(
            Experience(
                occupation.code,
                info.isco_group if info else None,
                float(occupation.years),
                occupation.recognition,
                occupation.recognition_expected,
            )
        )
    assert row.id is not None
    return ParticipantProfile(
        id=row.id,
        german_level=row.german_level,
        home_lat=lat,
        home_lon=lon,
        home_transit=transit,
        expected_b1_date=row.expected_b1_date,
        latin_literacy=row.latin_literacy,
        other_languages={x.code: x.level for x in languages},
        skills=held,
        occupations=tuple(experience),
        driving_licences=frozenset(row.driving_licences),
        has_car=row.has_car,
        has_bike=row.has_bike,
        max_commute_minutes=float(row.max_commute_minutes),
        earliest_start=row.earliest_start,
        hours_per_week=float(row.hours_per_week) if row.hours_per_week else None,
        shifts=frozenset(row.shifts),
        placement_types=frozenset(row.placement_types),
        fields_wanted=frozenset(row.fields_wanted),
        fields_excluded=frozenset(row.fields_excluded),
        work_permit=row.work_permit_status,
        permit_valid_until=row.work_permit_valid_until,
        permit_renewal_pending=row.work_permit_renewal_pending,
        permit_document=row.work_permit_document,
        consent_processing=row.consent_processing,
        share_with_employers=row.consent_share_with_employers,
        status=row.status,
        commitments=tuple(commitment_of(c) for c in row.commitments),
    )


def _vacancy_profile(
    row: Vacancy,
    skills: list[Row],
    languages: list[Row],
    employer: Employer,
    openings_used: dict[int, int],
) -> VacancyProfile:
    lat, lon, transit = _place(row.postal_code, row.municipality_ags, row.lat, row.lon)
    info = occupation_info(row.occupation_code) if row.occupation_code else None
    regulated = regulated_occupation(row.regulated_occupation)
    isco_group = info.isco_group if info else None
    if isco_group is None and regulated is not None:
        isco_group = regulated.isco_groups[0]  # the regulated occupation names its own group
    assert row.id is not None
    return VacancyProfile(
        id=row.id,
        employer_id=row.employer_id,
        type=row.type,
        min_german_level=row.min_german_level,
        lat=lat,
        lon=lon,
        transit=transit,
        german_tolerance=row.german_tolerance,
        occupation_code=row.occupation_code,
        isco_group=isco_group,
        field=info.field if info else field_of_title(row.title),
        skills=tuple(_merged_requirements(skills)),
        languages_wanted=tuple(LanguageLevel(x.code, x.level) for x in languages),
        shifts=frozenset(row.shifts),
        hours_per_week=float(row.hours_per_week) if row.hours_per_week else None,
        openings_left=row.openings - openings_used.get(row.id, 0),
        start_date=row.start_date,
        end_date=row.end_date,
        valid_through=row.valid_through,
        driving_licence_required=row.driving_licence_required,
        status=row.status,
        employer_offers_language_support=bool(LANGUAGE_SUPPORT & set(employer.support)),
        working_times=tuple(working_time_of(t) for t in row.working_times),
        shuttle=tuple(_shuttle_stop(s) for s in row.shuttle),
        childcare_friendly=CHILDCARE_FRIENDLY in employer.support,
        regulated=regulated is not None,
        unverified=tuple(
            (x.name or "?", x.importance) for x in skills if x.skill_id is None and x.name
        ),
    )


# A title is short and often generic ("Helfer gesucht"): only a confident occupation counts.
TITLE_FIELD_CONFIDENCE = 0.8


@lru_cache(maxsize=8192)
def field_of_title(title: str) -> str | None:
    """The occupational field of a vacancy without an occupation code, read from its title.

    "Reinigungskraft (m/w/d)" is plainly cleaning; counting such a vacancy as "not in the
    wished field" would rank it below what the person asked for.
    """
    found = normalize_occupation(title, limit=1)
    if not found or found[0].confidence < TITLE_FIELD_CONFIDENCE:
        return None
    info = occupation_info(found[0].id)
    return info.field if info else None


def _shuttle_stop(stored: dict) -> ShuttleStop:
    lat, lon, transit = _place(
        stored["postal_code"], stored.get("municipality_ags"), stored.get("lat"), stored.get("lon")
    )
    return ShuttleStop(lat, lon, float(stored["ride_minutes"]), transit)


def _merged_requirements(skills: list[Row]) -> list[RequiredSkill]:
    """Two phrases may name one skill ("Staplerschein", "Gabelstapler fahren"): keep the stricter."""
    merged: dict[str, RequiredSkill] = {}
    for skill in skills:
        if skill.skill_id is None:
            continue
        new = RequiredSkill(
            skill.skill_id, skill.importance, skill.level, is_certificate(skill.skill_id)
        )
        old = merged.get(skill.skill_id)
        if old is None:
            merged[skill.skill_id] = new
            continue
        importance = max(old.importance, new.importance, key=_IMPORTANCE_RANK.__getitem__)
        merged[skill.skill_id] = old._replace(
            importance=importance, level=max(old.level, new.level)
        )
    return list(merged.values())
