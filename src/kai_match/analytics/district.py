"""A synthetic district as the engine sees it: participant and vacancy profiles, plus the
protected attributes an analyst needs for fairness checks (kept apart, never scoring inputs).

Distributions follow the demo catalogue (`kai_match.data.demo_catalog`): CEFR skewed A1–B1, the
programme's permit mix, real postal codes of Landkreis Leipzig, skills and occupations of the
sectors that hire at entry level, resolved once onto the taxonomy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import numpy as np

from kai_match.data import demo_catalog as catalog
from kai_match.data.geo import lookup_postal_code
from kai_match.data.taxonomy import occupation_info, resolve_occupation, resolve_skill
from kai_match.scoring import (
    Experience,
    HeldSkill,
    LanguageLevel,
    ParticipantProfile,
    RequiredSkill,
    VacancyProfile,
)

__all__ = ["ProtectedAttributes", "make_participants", "make_vacancies"]

SITE_WEIGHTS = {"borna": 3, "grimma": 3, "markkleeberg": 2, "wurzen": 3}
# Main language of a language profile → the nationality group an analyst would report.
NATIONALITY_GROUP = {
    "ar": "arabic_speaking",
    "fa": "afghan_iranian",
    "ps": "afghan_iranian",
    "uk": "ukrainian_russian",
    "ru": "ukrainian_russian",
    "tr": "turkish_kurdish",
    "ti": "east_african",
    "so": "east_african",
    "en": "other",
    "ro": "other",
}
AGE_BANDS = ((18, 24), (25, 34), (35, 44), (45, 54), (55, 200))
SHIFT_SETS = (
    ("day",),
    ("day",),
    ("early", "day"),
    ("day", "late"),
    ("early", "day", "late"),
    ("early", "day", "late", "weekend"),
    ("early", "day", "late", "night", "weekend"),
)
SECTOR_WEIGHTS = (6, 3, 4, 4, 4, 3, 4, 2, 3, 2, 1)


@dataclass(frozen=True, slots=True)
class ProtectedAttributes:
    """What fairness is checked against; the scoring engine never sees these."""

    participant_id: int
    gender: str
    nationality_group: str
    age_band: str
    site: str


def age_band(age: int) -> str:
    """The programme's reporting bands: 18–24, 25–34, …, 55+."""
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}+" if high >= 200 else f"{low}–{high}"
    return "under 18"


@cache
def _place(postal_code: str) -> tuple[float, float, float]:
    place = lookup_postal_code(postal_code)
    return (place.lat, place.lon, place.transit) if place else (51.2, 12.6, 0.3)


@cache
def _skill_id(name: str) -> str:
    found = resolve_skill(name)
    return found.id if found else f"demo:{name}"


@cache
def _occupation(name: str) -> tuple[str, str | None, str | None]:
    found = resolve_occupation(name)
    if found is None:
        return f"demo:{name}", None, None
    info = occupation_info(found.id)
    return found.id, (info.isco_group if info else None), (info.field if info else None)


def _pick(rng: np.random.Generator, options: tuple, weights=None):
    p = None if weights is None else np.asarray(weights, float) / np.sum(weights)
    return options[int(rng.choice(len(options), p=p))]


def _weighted(rng: np.random.Generator, pairs: tuple):
    values, weights = zip(*pairs, strict=True)
    return _pick(rng, values, weights)


def make_participants(
    rng: np.random.Generator, n: int, as_of: date
) -> tuple[list[ParticipantProfile], list[ProtectedAttributes]]:
    """`n` participants with ids 1..n and their protected attributes (same order)."""
    people, attributes = [], []
    for pid in range(1, n + 1):
        site = _pick(rng, tuple(SITE_WEIGHTS), tuple(SITE_WEIGHTS.values()))
        postal = (
            _pick(rng, catalog.LEIPZIG_POSTAL_CODES)
            if rng.random() < 0.08
            else _pick(rng, catalog.SITE_POSTAL_CODES[site])
        )
        lat, lon, transit = _place(postal)
        gender = "female" if rng.random() < 0.46 else "male"
        languages = _weighted(rng, catalog.LANGUAGE_PROFILES)
        age = int(rng.integers(18, 59))
        level = _weighted(rng, catalog.GERMAN_LEVELS)
        expected_b1 = None
        if level in ("A1", "A2") and rng.random() < 0.5:
            expected_b1 = as_of + timedelta(days=int(rng.integers(20, 240)))
        sectors = [
            _pick(rng, catalog.SECTORS, SECTOR_WEIGHTS) for _ in range(_pick(rng, (1, 1, 2)))
        ]
        skills: dict[str, HeldSkill] = {}
        for sector in sectors:
            k = int(rng.integers(1, 3))
            for name in rng.choice(
                sector.participant_skills,
                size=min(k, len(sector.participant_skills)),
                replace=False,
            ):
                source = _pick(rng, ("self_reported", "self_reported", "assessed", "certified"))
                skills[_skill_id(str(name))] = HeldSkill(int(rng.integers(1, 5)), source)
        occupations: tuple[Experience, ...] = ()
        field_wanted: frozenset[str] = frozenset()
        if rng.random() < 0.7:
            code, isco, field = _occupation(_pick(rng, sectors[0].participant_occupations))
            occupations = (Experience(code, isco, float(_pick(rng, (0, 1, 2, 3, 5, 8)))),)
            if field and rng.random() < 0.5:
                field_wanted = frozenset({field})
        licence = rng.random() < (0.25 if gender == "female" else 0.42)
        # Childcare often decides shifts; in this programme it falls more often on women.
        day_only = rng.random() < (0.45 if gender == "female" else 0.15)
        shifts = ("day",) if day_only else _pick(rng, SHIFT_SETS)
        permit = _weighted(rng, catalog.PERMITS)
        consent = rng.random() < 0.93
        people.append(
            ParticipantProfile(
                id=pid,
                german_level=level,
                home_lat=lat,
                home_lon=lon,
                home_transit=transit,
                expected_b1_date=expected_b1,
                latin_literacy=rng.random() < 0.88,
                other_languages=dict(languages),
                skills=skills,
                occupations=occupations,
                driving_licences=frozenset({"B"}) if licence else frozenset(),
                has_car=bool(licence and rng.random() < 0.45),
                has_bike=bool(rng.random() < 0.6),
                max_commute_minutes=float(_pick(rng, (30, 45, 45, 60, 60, 75, 90))),
                earliest_start=as_of + timedelta(days=int(rng.integers(0, 90))),
                hours_per_week=float(_pick(rng, (15, 20, 25, 30, 30, 35, 40))),
                shifts=frozenset(shifts),
                placement_types=frozenset(
                    str(t)
                    for t in rng.choice(
                        ["work_trial", "job", "internship", "apprenticeship"],
                        size=_pick(rng, (0, 1, 2, 2, 3)),
                        replace=False,
                    )
                ),
                fields_wanted=field_wanted,
                work_permit=permit,
                permit_valid_until=None
                if permit == "unrestricted"
                else as_of + timedelta(days=int(rng.integers(60, 900))),
                consent_processing=consent,
                share_with_employers=consent and rng.random() < 0.85,
            )
        )
        attributes.append(
            ProtectedAttributes(
                participant_id=pid,
                gender=gender,
                nationality_group=NATIONALITY_GROUP[languages[0][0]],
                age_band=age_band(age),
                site=site,
            )
        )
    return people, attributes


def make_vacancies(rng: np.random.Generator, n: int, as_of: date) -> list[VacancyProfile]:
    """`n` open vacancies with ids 1..n from employers of the catalogue's sectors."""
    towns = tuple(catalog.TOWNS)
    employer_count = max(1, n // 6)
    employers = []
    for _ in range(employer_count):
        sector = _pick(rng, catalog.SECTORS, SECTOR_WEIGHTS)
        support = {str(s) for s in sector.support if rng.random() < 0.5}
        employers.append((sector, _pick(rng, towns), bool(support)))
    vacancies = []
    for vid in range(1, n + 1):
        employer_id = (vid - 1) % employer_count
        sector, town, support = employers[employer_id]
        job = _pick(rng, sector.jobs)
        kind = _pick(rng, job.types)
        start = as_of + timedelta(days=int(rng.integers(7, 120)))
        end = None
        if kind in ("work_trial", "internship"):
            end = start + timedelta(weeks=_pick(rng, (2, 4, 6, 6, 8)))
        skills = [RequiredSkill(_skill_id(s), "must", 2) for s in job.must]
        skills += [
            RequiredSkill(_skill_id(s), "should", int(rng.integers(1, 3))) for s in job.should
        ]
        skills += [RequiredSkill(_skill_id(s), "nice", 1) for s in job.nice]
        unique = list({s.skill_id: s for s in reversed(skills)}.values())[::-1]
        code, isco, field = _occupation(job.occupation)
        postal = town if rng.random() < 0.8 else _pick(rng, towns)
        lat, lon, transit = _place(postal)
        tolerance = job.tolerance + (1 if kind == "work_trial" and job.tolerance < 2 else 0)
        vacancies.append(
            VacancyProfile(
                id=vid,
                employer_id=employer_id + 1,
                type=kind,
                min_german_level=job.min_german,
                lat=lat,
                lon=lon,
                transit=transit,
                german_tolerance=tolerance,
                occupation_code=code,
                isco_group=isco,
                field=field,
                skills=tuple(unique),
                languages_wanted=tuple(LanguageLevel(c, lv) for c, lv in job.languages),
                shifts=frozenset(_pick(rng, job.shifts)),
                hours_per_week=float(_pick(rng, job.hours)),
                openings_left=int(_pick(rng, (1, 1, 1, 2, 2, 3, 5))),
                start_date=start,
                end_date=end,
                valid_through=start + timedelta(days=int(rng.integers(14, 90))),
                driving_licence_required=job.licence,
                employer_offers_language_support=support,
            )
        )
    return vacancies
