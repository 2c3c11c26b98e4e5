"""A vacancy as a schema.org JobPosting (JSON-LD), readable back by ``vacancies.jobposting_in``.

What schema.org has no property for travels in ``kai:`` extension properties, so a round trip
keeps the placement type, German level, shifts and skill importance.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from kai_match.models import Employer, Vacancy
from kai_match.models.common import PlacementType
from kai_match.models.jobposting import KAI_NAMESPACE
from kai_match.models.vacancy import VacancyPublic
from kai_match.vacancies.jobposting_ref import OWN_PROPERTY_ID
from kai_match.vacancies.service import vacancy_public

FULL_TIME_FROM_HOURS = 35
_CODE_SETS = {5: "KldB 2010", 4: "ISCO-08"}  # by the length of the code


def job_posting_of(session: Session, vacancy: Vacancy) -> dict[str, Any]:
    """The JobPosting document of one vacancy."""
    public = vacancy_public(session, vacancy)
    employer = session.get(Employer, vacancy.employer_id)
    assert employer is not None
    document: dict[str, Any] = {
        "@context": ["https://schema.org", {"kai": KAI_NAMESPACE}],
        "@type": "JobPosting",
        "identifier": _identifiers(public),
        "title": public.title,
        "datePosted": public.created_at.date().isoformat(),
        "hiringOrganization": {"@type": "Organization", "name": employer.name},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "postalCode": public.postal_code,
                "addressLocality": public.municipality,
                "addressCountry": "DE",
            },
        },
        "totalJobOpenings": public.openings,
        "kai:placementType": public.type.value,
        "kai:minGermanLevel": public.min_german_level.value,
        "kai:germanTolerance": public.german_tolerance,
        "kai:shifts": [s.value for s in public.shifts],
        "kai:status": public.status.value,
    }
    if public.description:
        document["description"] = public.description
    employment = _employment_types(public.type.value, public.hours_per_week, public.end_date)
    if employment:
        document["employmentType"] = employment
    if public.hours_per_week:
        document["workHours"] = f"{public.hours_per_week} hours per week"
    for name, value in (
        ("validThrough", public.valid_through),
        ("jobStartDate", public.start_date),
        ("kai:endDate", public.end_date),
    ):
        if value is not None:
            document[name] = value.isoformat()
    if public.skills:
        document["skills"] = [
            {
                "@type": "DefinedTerm",
                "name": s.label or s.name,
                **({"termCode": s.skill_id} if s.skill_id else {}),
                "kai:importance": s.importance.value,
                "kai:level": s.level,
            }
            for s in public.skills
        ]
    if public.occupation is not None:
        document["occupationalCategory"] = _category(
            public.occupation.code, public.occupation.label or public.occupation.name
        )
    if public.driving_licence_required:
        document["kai:drivingLicence"] = public.driving_licence_required.value
    if public.languages_wanted:
        document["kai:languagesWanted"] = [
            {"code": x.code, "level": x.level.value} for x in public.languages_wanted
        ]
    return document


def _employment_types(kind: str, hours: int | None, end_date: object) -> list[str]:
    """internship → INTERN; a job by its hours; other types have no schema.org value (OTHER)."""
    if kind == PlacementType.internship:
        types = ["INTERN"]
    elif kind == PlacementType.job:
        types = (
            [] if hours is None else ["FULL_TIME" if hours >= FULL_TIME_FROM_HOURS else "PART_TIME"]
        )
    else:
        types = ["OTHER"]
    if end_date is not None:
        types.append("TEMPORARY")
    return types


def _category(code: str | None, name: str | None) -> dict[str, Any] | str | None:
    if code is None:
        return name
    code_set = "ESCO" if code.startswith("http") else _CODE_SETS.get(len(code))
    return {"@type": "CategoryCode", "codeValue": code, "name": name, "inCodeSet": code_set}


def _identifiers(public: VacancyPublic) -> dict[str, Any] | list[dict[str, Any]]:
    """kai-match's own id, then the external references (a re-import updates by them)."""
    own = {"@type": "PropertyValue", "propertyID": OWN_PROPERTY_ID, "value": public.id}
    others = [
        {"@type": "PropertyValue", "propertyID": ref.system, "value": ref.id}
        for ref in public.external_refs
    ]
    return [own, *others] if others else own
