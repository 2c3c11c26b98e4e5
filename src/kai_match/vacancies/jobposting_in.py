"""schema.org JobPosting → vacancy: map what has a counterpart, report the rest, never guess.

What schema.org cannot say (minimum German level, placement types other than internship and
job, shifts, skill importance) comes from documented extension properties (``kai:…``) or from
stated defaults; each default and each field left out is in the answer. The reverse direction
(a vacancy as JobPosting) is ``vacancies.jobposting_out``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from kai_match.data.taxonomy import occupation_info
from kai_match.errors import FieldError, Forbidden, InvalidInput
from kai_match.external_refs.upsert import Outcome
from kai_match.kit.principal import Principal
from kai_match.models import Employer, Vacancy
from kai_match.models.api_key import Role
from kai_match.models.jobposting import DefaultApplied, JobPostingImport, UnmappedField
from kai_match.models.vacancy import VacancyCreate, VacancyPublic
from kai_match.vacancies.jobposting_ref import references_of
from kai_match.vacancies.service import create_vacancy, upsert_vacancy_by_ref

# employmentType → placement type; the rest has no placement type of its own.
EMPLOYMENT_TYPES = {"INTERN": "internship", "FULL_TIME": "job", "PART_TIME": "job"}
EMPLOYMENT_TYPES_JOB_TOO = {"TEMPORARY", "PER_DIEM"}
SHIFT_WORDS = {
    "early": ("früh", "early", "morning"),
    "day": ("tagschicht", "day shift", "normalschicht"),
    "late": ("spät", "late", "evening"),
    "night": ("nacht", "night"),
    "weekend": ("wochenende", "weekend", "samstag", "sonntag", "saturday", "sunday"),
}
HOURS = re.compile(r"(\d{1,2}(?:[.,]5)?)\s*(?:h\b|std|stunden|hours|hrs|wochenstunden)", re.I)
HOURS_RANGE = re.compile(r"\d{1,2}\s*(?:-|–|bis|to)\s*\d{1,2}\s*(?:h\b|std|stunden|hours)", re.I)
CODE = re.compile(r"^\s*(https?://\S+|\d{4,5})(?:\s|$)")
SKILL_SPLIT = re.compile(r"[,;\n•|]+")
# JSON-LD keywords and fields used for the vacancy (everything else is reported as unmapped).
STRUCTURAL = {"@context", "@type", "@id"}
MAPPED = {
    "identifier",
    "title",
    "description",
    "hiringOrganization",
    "jobLocation",
    "employmentType",
    "workHours",
    "validThrough",
    "jobStartDate",
    "totalJobOpenings",
    "skills",
    "occupationalCategory",
}
EXTENSIONS = {
    "kai:placementType",
    "kai:minGermanLevel",
    "kai:germanTolerance",
    "kai:shifts",
    "kai:endDate",
    "kai:drivingLicence",
    "kai:languagesWanted",
}
SOURCE_OF = {
    "kai:drivingLicence": "driving_licence_required",
    "kai:languagesWanted": "languages_wanted",
}
# Where a vacancy field came from, to name JobPosting fields in error messages.
SOURCE = {
    "title": "title",
    "description": "description",
    "type": "employmentType",
    "postal_code": "jobLocation.address.postalCode",
    "hours_per_week": "workHours",
    "openings": "totalJobOpenings",
    "valid_through": "validThrough",
    "start_date": "jobStartDate",
    "end_date": "kai:endDate",
    "min_german_level": "kai:minGermanLevel",
    "german_tolerance": "kai:germanTolerance",
    "shifts": "kai:shifts",
    "driving_licence_required": "kai:drivingLicence",
    "languages_wanted": "kai:languagesWanted",
    "occupation": "occupationalCategory",
    "skills": "skills",
    "employer_id": "employer_id",
    "external_refs": "identifier",
}


@dataclass
class _Mapping:
    body: dict[str, Any] = field(default_factory=dict)
    unmapped: list[UnmappedField] = field(default_factory=list)
    defaults: list[DefaultApplied] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)

    def skip(self, name: str, reason: str) -> None:
        self.unmapped.append(UnmappedField(field=name, reason=reason))

    def default(self, name: str, value: Any, reason: str) -> None:
        self.body[name] = value
        self.defaults.append(DefaultApplied(field=name, value=value, reason=reason))


def import_job_posting(
    *,
    session: Session,
    document: dict[str, Any],
    principal: Principal,
    employer_id: int | None,
    ref_system: str | None = None,
) -> JobPostingImport:
    """Create a vacancy from a JobPosting, or update the one its ``identifier`` names; the
    answer lists every field left out or defaulted."""
    employer = _employer_for(session, principal, employer_id)
    types = document.get("@type")
    if types != "JobPosting" and not (isinstance(types, list) and "JobPosting" in types):
        raise InvalidInput(
            detail="The document is not a schema.org JobPosting.",
            errors=[FieldError("@type", "must be JobPosting")],
        )
    m = _Mapping(body={"employer_id": employer.id})
    _map_texts(document, employer, m)
    _map_location(document.get("jobLocation"), m)
    _map_type(document, m)
    _map_hours_and_shifts(document, m)
    _map_dates_and_openings(document, m)
    _map_occupation(document.get("occupationalCategory"), m)
    _map_skills(document.get("skills"), m)
    _map_german(session, document, employer, m)
    for name in ("kai:drivingLicence", "kai:languagesWanted"):
        if name in document:
            m.body[SOURCE_OF[name]] = document[name]
    identified = references_of(document.get("identifier"), ref_system)
    if "identifier" in document:
        for name, reason in identified.skipped:
            m.skip(name, reason)
    m.body["external_refs"] = identified.references
    for name in sorted(set(document) - STRUCTURAL - MAPPED - EXTENSIONS):
        reason = "unknown extension property" if name.startswith("kai:") else None
        m.skip(name, reason or "kai-match has no field for it")
    if m.errors:
        raise InvalidInput(detail="The JobPosting cannot become a vacancy.", errors=m.errors)
    try:
        data = VacancyCreate.model_validate(m.body)
    except ValidationError as exc:
        raise InvalidInput(
            detail="The JobPosting cannot become a vacancy.",
            errors=[_named(err) for err in exc.errors()],
        ) from exc
    try:
        vacancy, outcome = _store(session, data, principal)
    except InvalidInput as exc:
        exc.errors = [FieldError(_source(e.field), e.message) for e in exc.errors]
        raise
    for index, skill in enumerate(vacancy.skills):
        if not skill.normalized:
            m.skip(f"skills[{index}]", f"'{skill.name}' matches no taxonomy skill; kept as text")
    if vacancy.occupation is not None and not vacancy.occupation.normalized:
        m.skip("occupationalCategory", "matches no occupation; kept as text, not used in scoring")
    return JobPostingImport(
        vacancy=vacancy, outcome=outcome, unmapped=m.unmapped, defaults_applied=m.defaults
    )


def _store(
    session: Session, data: VacancyCreate, principal: Principal
) -> tuple[VacancyPublic, Outcome]:
    """Upsert by the first reference the identifier gave; without one, always a new vacancy."""
    if not data.external_refs:
        return create_vacancy(session=session, data=data, principal=principal), Outcome.created
    first = data.external_refs[0]
    upserted = upsert_vacancy_by_ref(
        session=session, system=first.system, ref_id=first.id, data=data, principal=principal
    )
    return upserted.public, upserted.outcome


def _employer_for(session: Session, principal: Principal, employer_id: int | None) -> Employer:
    """Employer keys post for their own employer; admins name one (``employer_id``)."""
    if principal.role == Role.employer:
        if employer_id is not None and employer_id != principal.employer_id:
            raise Forbidden(
                detail="An employer key posts vacancies of its own employer only.",
                errors=[FieldError("employer_id", f"must be {principal.employer_id}")],
            )
        employer_id = principal.employer_id
    if employer_id is None:
        raise InvalidInput(
            detail="Say which employer posts the vacancy.",
            errors=[FieldError("employer_id", "is required for admin keys")],
        )
    employer = session.get(Employer, employer_id)
    if employer is None:
        raise InvalidInput(
            errors=[FieldError("employer_id", f"employer {employer_id} does not exist")]
        )
    return employer


def _map_texts(document: dict[str, Any], employer: Employer, m: _Mapping) -> None:
    for name in ("title", "description"):
        if name in document:
            m.body[name] = document[name]
    organisation = document.get("hiringOrganization")
    given = organisation.get("name") if isinstance(organisation, dict) else organisation
    if isinstance(given, str) and given.strip().casefold() != employer.name.casefold():
        m.skip(
            "hiringOrganization.name",
            f"differs from the employer record '{employer.name}', which the vacancy belongs to",
        )
    if isinstance(organisation, dict):
        for name in sorted(set(organisation) - STRUCTURAL - {"name"}):
            m.skip(f"hiringOrganization.{name}", "the employer record is kept by kai-match")


def _map_location(location: Any, m: _Mapping) -> None:
    places = location if isinstance(location, list) else [location] if location else []
    for index in range(1, len(places)):
        m.skip(f"jobLocation[{index}]", "one vacancy per location: post it separately")
    address = places[0].get("address") if places and isinstance(places[0], dict) else None
    code = address.get("postalCode") if isinstance(address, dict) else None
    if code is None:
        m.errors.append(FieldError("jobLocation.address.postalCode", "is required"))
        return
    m.body["postal_code"] = str(code).strip()


def _map_type(document: dict[str, Any], m: _Mapping) -> None:
    given = document.get("employmentType") or []
    values = [given] if isinstance(given, str) else list(given)
    mapped = {EMPLOYMENT_TYPES[v] for v in values if v in EMPLOYMENT_TYPES}
    for value in values:
        if value not in EMPLOYMENT_TYPES and value not in EMPLOYMENT_TYPES_JOB_TOO:
            m.skip(f"employmentType: {value}", "has no placement type in kai-match")
    if "kai:placementType" in document:
        m.body["type"] = document["kai:placementType"]
    elif "internship" in mapped:
        m.body["type"] = "internship"
    elif mapped or set(values) & EMPLOYMENT_TYPES_JOB_TOO:
        m.body["type"] = "job"
    else:
        m.errors.append(
            FieldError(
                "employmentType",
                "must contain FULL_TIME, PART_TIME, TEMPORARY or INTERN, or give kai:placementType",
            )
        )


def _map_hours_and_shifts(document: dict[str, Any], m: _Mapping) -> None:
    text = document.get("workHours")
    if isinstance(text, str) and text.strip():
        if HOURS_RANGE.search(text):
            m.skip("workHours", "gives a range of hours; hours_per_week left empty")
        elif match := HOURS.search(text):
            m.body["hours_per_week"] = round(float(match.group(1).replace(",", ".")))
        else:
            m.skip("workHours", "names no hours per week")
    if "kai:shifts" in document:
        m.body["shifts"] = document["kai:shifts"]
        return
    lowered = (text or "").lower() if isinstance(text, str) else ""
    shifts = [s for s, words in SHIFT_WORDS.items() if any(w in lowered for w in words)]
    if shifts:
        m.body["shifts"] = shifts
    else:
        m.default("shifts", ["day"], "neither kai:shifts nor shift words in workHours")


def _map_dates_and_openings(document: dict[str, Any], m: _Mapping) -> None:
    for source, target in (
        ("validThrough", "valid_through"),
        ("jobStartDate", "start_date"),
        ("kai:endDate", "end_date"),
    ):
        if source not in document:
            continue
        parsed = _date(document[source])
        if parsed is None:
            m.skip(source, f"'{document[source]}' is not a date")
        else:
            m.body[target] = parsed
    if "totalJobOpenings" in document:
        m.body["openings"] = document["totalJobOpenings"]
    else:
        m.default("openings", 1, "no totalJobOpenings")


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _map_occupation(category: Any, m: _Mapping) -> None:
    if isinstance(category, list):
        for index in range(1, len(category)):
            m.skip(
                f"occupationalCategory[{index}]", "one occupation per vacancy; the first is used"
            )
        category = category[0] if category else None
    if isinstance(category, dict):
        category = category.get("codeValue") or category.get("name")
    if not isinstance(category, str) or not category.strip():
        return
    code = CODE.match(category)
    info = occupation_info(code.group(1)) if code else None
    if info is not None:
        m.body["occupation"] = {"code": info.code}
    elif code or re.match(r"^\s*\d", category):
        m.skip(
            "occupationalCategory",
            f"'{category}' is no known ISCO-08, KldB 2010 or ESCO code (O*NET is not mapped)",
        )
    else:
        m.body["occupation"] = {"name": category.strip()[:200]}


def _map_skills(skills: Any, m: _Mapping) -> None:
    items: list[Any]
    if isinstance(skills, str):
        items = [s.strip() for s in SKILL_SPLIT.split(skills) if s.strip()]
    elif isinstance(skills, list):
        items = skills
    else:
        items = [skills] if isinstance(skills, dict) else []
    out, defaulted = [], False
    for index, item in enumerate(items):
        if isinstance(item, str):
            out.append({"name": item[:200], "importance": "should", "level": 1})
            defaulted = True
        elif isinstance(item, dict) and (item.get("name") or item.get("termCode")):
            skill: dict[str, Any] = {
                "importance": item.get("kai:importance", "should"),
                "level": item.get("kai:level", 1),
            }
            defaulted = defaulted or "kai:importance" not in item
            code = item.get("termCode")
            if isinstance(code, str) and code.startswith("http"):
                skill["skill_id"] = code
            else:
                skill["name"] = str(item.get("name"))[:200]
            out.append(skill)
        else:
            m.skip(f"skills[{index}]", "is neither text nor a DefinedTerm with a name")
    if out:
        m.body["skills"] = out
    if defaulted:
        m.defaults.append(
            DefaultApplied(
                field="skills[].importance",
                value="should",
                reason="schema.org has no importance; level 1 unless kai:level says otherwise",
            )
        )


def _map_german(
    session: Session, document: dict[str, Any], employer: Employer, m: _Mapping
) -> None:
    """The minimum German level: from kai:minGermanLevel, else the employer's typical one."""
    typical = _typical(session, employer)
    if "kai:minGermanLevel" in document:
        m.body["min_german_level"] = document["kai:minGermanLevel"]
    elif typical is not None:
        level, _, count, total = typical
        m.default(
            "min_german_level",
            level,
            f"no kai:minGermanLevel; the employer's typical level ({count} of {total} vacancies)",
        )
    else:
        m.errors.append(
            FieldError(
                "kai:minGermanLevel",
                "is required: schema.org has no German level and the employer has no earlier "
                "vacancies to take a typical one from",
            )
        )
    if "kai:germanTolerance" in document:
        m.body["german_tolerance"] = document["kai:germanTolerance"]
    else:
        tolerance = typical[1] if typical is not None else 0
        source = "the employer's typical tolerance" if typical is not None else "none"
        m.default("german_tolerance", tolerance, f"no kai:germanTolerance; {source}")


def _typical(session: Session, employer: Employer) -> tuple[str, int, int, int] | None:
    """Most frequent (level, tolerance) of the employer's vacancies; on a tie the newest."""
    rows = list(
        session.exec(
            select(Vacancy.min_german_level, Vacancy.german_tolerance)
            .where(Vacancy.employer_id == employer.id)
            .order_by(col(Vacancy.id).desc())
        )
    )
    if not rows:
        return None
    counts = Counter(rows)
    best = max(counts.values())
    level, tolerance = next(r for r in rows if counts[r] == best)
    return level, tolerance, best, len(rows)


def _named(err: dict[str, Any]) -> FieldError:
    loc = [str(p) for p in err.get("loc", ())]
    name = _source(".".join(loc)) if loc else "body"
    if err.get("type") == "missing":
        return FieldError(name, "is required")
    return FieldError(name, str(err.get("msg", "is invalid")).removeprefix("Value error, "))


def _source(name: str) -> str:
    """``postal_code`` → ``jobLocation.address.postalCode`` (``skills.0.level`` → ``skills[0]…``)."""
    base = name.partition(".")[0].split("[")[0]
    mapped = SOURCE.get(base, name)
    return mapped + name[len(base) :] if mapped != name else name
