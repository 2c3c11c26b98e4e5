"""CSV columns of the bulk import, per record kind, and how a cell becomes a field.

One column per field; a dotted name fills a nested part (``mobility.has_car``). Lists are
comma-separated (``early, late``); skills are separated by ``|`` and may carry importance and
level after colons (``Kommissionieren:must:2|Gabelstapler fahren``); languages are
``code:level`` (``ar:C2, en:B1``). Dates are ISO (2027-01-31) or German (31.01.2027); yes/no
cells take ``ja/nein``, ``true/false``, ``1/0`` or ``x``. Every column is listed in
docs/partners.md; an unknown column is refused before any row is read, so a typo in a header
never silently drops a field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from kai_match.errors import FieldError, InvalidInput
from kai_match.models.external_ref import RefResource

Parser = Callable[[str], Any]
IMPORTANCES = ("must", "should", "nice")


class CellError(ValueError):
    """A cell that cannot become its field; the message says what it must be."""


def text(value: str) -> str:
    return value


def whole_number(value: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,9}", value):
        raise CellError("must be a whole number")
    return int(value)


def decimal(value: str) -> float:
    try:
        return float(value.replace(",", "."))
    except ValueError as exc:
        raise CellError("must be a number (a decimal comma is fine)") from exc


def day(value: str) -> str:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    raise CellError("must be a date: 2027-01-31 or 31.01.2027")


YES = {"ja", "j", "yes", "y", "true", "wahr", "1", "x"}
NO = {"nein", "n", "no", "false", "falsch", "0"}


def yes_no(value: str) -> bool:
    folded = value.casefold()
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise CellError("must be ja or nein (or true/false, 1/0)")


def word_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def languages(value: str) -> list[dict[str, str]]:
    out = []
    for part in word_list(value):
        code, _, level = part.partition(":")
        if not level:
            raise CellError("must be code:level items, e.g. 'ar:C2, en:B1'")
        out.append({"code": code.strip().lower(), "level": level.strip().upper()})
    return out


def required_skills(value: str) -> list[dict[str, Any]]:
    """``name[:importance[:level]]`` items separated by ``|``; an ESCO URI may be the name."""
    out = []
    for item in (part.strip() for part in value.split("|")):
        if not item:
            continue
        name, importance, level = item, None, None
        parts = item.rsplit(":", 2)
        if len(parts) == 3 and parts[1].strip() in IMPORTANCES and parts[2].strip().isdigit():
            name, importance, level = parts[0], parts[1].strip(), int(parts[2])
        elif len(parts) >= 2 and parts[-1].strip() in IMPORTANCES:
            name, importance = item.rsplit(":", 1)[0], parts[-1].strip()
        out.append(_skill(name.strip(), importance=importance, level=level))
    return out


def profile_skills(value: str) -> list[dict[str, Any]]:
    """``name[:level]`` items separated by ``|``."""
    out = []
    for item in (part.strip() for part in value.split("|")):
        if not item:
            continue
        name, _, level = item.rpartition(":")
        if name and level.strip().isdigit() and not name.endswith(("http", "https")):
            out.append(_skill(name.strip(), level=int(level)))
        else:
            out.append(_skill(item))
    return out


def _skill(name: str, **extra: Any) -> dict[str, Any]:
    key = "skill_id" if name.startswith(("http://", "https://")) else "name"
    return {key: name} | {k: v for k, v in extra.items() if v is not None}


REFERENCE_COLUMNS: dict[str, tuple[tuple[str, ...], Parser]] = {
    "ref_system": (("ref", "system"), text),
    "ref_id": (("ref", "id"), text),
}

VACANCY_COLUMNS: dict[str, tuple[tuple[str, ...], Parser]] = REFERENCE_COLUMNS | {
    "employer_id": (("employer_id",), whole_number),
    "employer_ref_system": (("employer_ref", "system"), text),
    "employer_ref_id": (("employer_ref", "id"), text),
    "title": (("title",), text),
    "description": (("description",), text),
    "type": (("type",), text),
    "occupation": (("occupation", "name"), text),
    "occupation_code": (("occupation", "code"), text),
    "skills": (("skills",), required_skills),
    "min_german_level": (("min_german_level",), str.upper),
    "german_tolerance": (("german_tolerance",), whole_number),
    "languages_wanted": (("languages_wanted",), languages),
    "postal_code": (("postal_code",), text),
    "municipality": (("municipality",), text),
    "lat": (("location", "lat"), decimal),
    "lon": (("location", "lon"), decimal),
    "shifts": (("shifts",), word_list),
    "hours_per_week": (("hours_per_week",), whole_number),
    "openings": (("openings",), whole_number),
    "start_date": (("start_date",), day),
    "end_date": (("end_date",), day),
    "valid_through": (("valid_through",), day),
    "driving_licence_required": (("driving_licence_required",), text),
    "regulated_occupation": (("regulated_occupation",), text),
    "suitable_for_refugees": (("suitable_for_refugees",), yes_no),
}

EMPLOYER_COLUMNS: dict[str, tuple[tuple[str, ...], Parser]] = REFERENCE_COLUMNS | {
    "name": (("name",), text),
    "sector": (("sector",), text),
    "postal_code": (("postal_code",), text),
    "contact_name": (("contact_name",), text),
    "contact_email": (("contact_email",), text),
    "contact_phone": (("contact_phone",), text),
    "support": (("support",), word_list),
}

PARTICIPANT_COLUMNS: dict[str, tuple[tuple[str, ...], Parser]] = REFERENCE_COLUMNS | {
    "site": (("site",), text),
    "counsellor": (("counsellor",), text),
    "first_name": (("first_name",), text),
    "last_name": (("last_name",), text),
    "birth_date": (("birth_date",), day),
    "email": (("email",), text),
    "phone": (("phone",), text),
    "german_level": (("german_level",), str.upper),
    "expected_b1_date": (("expected_b1_date",), day),
    "latin_literacy": (("latin_literacy",), yes_no),
    "other_languages": (("other_languages",), languages),
    "skills": (("skills",), profile_skills),
    "home_postal_code": (("home_postal_code",), text),
    "home_municipality": (("home_municipality",), text),
    "mobility.driving_licences": (("mobility", "driving_licences"), word_list),
    "mobility.has_car": (("mobility", "has_car"), yes_no),
    "mobility.has_bike": (("mobility", "has_bike"), yes_no),
    "mobility.max_commute_minutes": (("mobility", "max_commute_minutes"), whole_number),
    "availability.earliest_start": (("availability", "earliest_start"), day),
    "availability.hours_per_week": (("availability", "hours_per_week"), whole_number),
    "availability.shifts": (("availability", "shifts"), word_list),
    "preferences.placement_types": (("preferences", "placement_types"), word_list),
    "work_permit.status": (("work_permit", "status"), text),
    "work_permit.valid_until": (("work_permit", "valid_until"), day),
    "consent.processing": (("consent", "processing"), yes_no),
    "consent.share_with_employers": (("consent", "share_with_employers"), yes_no),
    "consent.given_on": (("consent", "given_on"), day),
}

COLUMNS = {
    RefResource.vacancy: VACANCY_COLUMNS,
    RefResource.employer: EMPLOYER_COLUMNS,
    RefResource.participant: PARTICIPANT_COLUMNS,
}


def check_header(kind: RefResource, columns: tuple[str, ...]) -> None:
    """422 naming every unknown column (with the documented set), before any row is read."""
    known = COLUMNS[kind]
    unknown = [c for c in columns if c and c not in known]
    if unknown:
        raise InvalidInput(
            detail=f"Unknown columns for {kind.value} rows; the columns are: {', '.join(known)}.",
            errors=[FieldError(f"column {c}", "is no known column") for c in unknown],
        )


def row_body(kind: RefResource, cells: dict[str, str]) -> tuple[dict[str, Any], list[FieldError]]:
    """The JSON body of one CSV row, and an error per cell that could not be read."""
    body: dict[str, Any] = {}
    errors = []
    for column, value in cells.items():
        path, parse = COLUMNS[kind][column]
        try:
            parsed = parse(value)
        except CellError as exc:
            errors.append(FieldError(column, str(exc)))
            continue
        target = body
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = parsed
    reference = body.pop("ref", None)
    if reference is not None:
        if set(reference) != {"system", "id"}:
            errors.append(FieldError("ref_id", "ref_system and ref_id go together"))
        else:
            body["external_refs"] = [reference]
    return body, errors
