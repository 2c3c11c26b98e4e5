"""Checks and normalisation of input against the reference data (postal codes, taxonomy)."""

from __future__ import annotations

from dataclasses import dataclass

from kai_match.data.geo import (
    lookup_municipality,
    lookup_postal_code,
    municipality_in_postal_code,
    postal_code_municipalities,
)
from kai_match.data.taxonomy import (
    FIELDS,
    is_known_skill,
    occupation_info,
    resolve_occupation,
    resolve_skill,
    skill_label,
)
from kai_match.errors import FieldError


@dataclass(frozen=True)
class Resolved:
    """A taxonomy id chosen for user input, or the raw text kept unnormalised."""

    code: str | None
    label: str | None
    confidence: float | None

    @property
    def normalized(self) -> bool:
        return self.code is not None


def check_postal_code(code: str, field: str, errors: list[FieldError]) -> None:
    if lookup_postal_code(code) is None:
        errors.append(FieldError(field, f"'{code}' is not a known German postal code"))


def check_fields(values: list[str], field: str, errors: list[FieldError]) -> None:
    """Occupational fields are the taxonomy's slugs, so preferences compare with vacancies."""
    for index, value in enumerate(values):
        if value not in FIELDS:
            errors.append(
                FieldError(f"{field}[{index}]", f"must be one of {', '.join(sorted(FIELDS))}")
            )


def municipality_of(code: str) -> str | None:
    place = lookup_postal_code(code)
    return place.municipality if place else None


def check_municipality(
    postal_code: str, key: str, field: str, errors: list[FieldError]
) -> str | None:
    """The AGS of the municipality ``key`` (AGS or name) names within ``postal_code``.

    Appends an error naming the municipalities of the code when ``key`` is not one of them; an
    unknown postal code is reported by ``check_postal_code`` and not again here.
    """
    if lookup_postal_code(postal_code) is None:
        return None
    found = municipality_in_postal_code(postal_code, key)
    if found is None:
        allowed = ", ".join(f"{m.name} ({m.ags})" for m in postal_code_municipalities(postal_code))
        errors.append(
            FieldError(
                field,
                f"'{key}' is not a municipality of postal code {postal_code};"
                f" must be one of: {allowed}",
            )
        )
        return None
    return found.ags


def municipality_after_update(
    *,
    field: str,
    postal_code: str,
    new_postal_code: str | None,
    sent: bool,
    value: str | None,
    stored: str | None,
    errors: list[FieldError],
) -> str | None:
    """The municipality key to store after a PATCH: the one sent, else the stored one if it
    still fits the (possibly new) postal code.

    A new postal code without a municipality must not leave the record in a municipality of
    the old code, so that case is refused rather than silently dropped.
    """
    code = new_postal_code or postal_code
    if sent:
        return None if value is None else check_municipality(code, value, field, errors)
    if stored is None or new_postal_code is None:
        return stored
    return check_municipality(code, stored, field, errors)


def municipality_name(ags: str | None) -> str | None:
    """Name of a stored municipality key (None for None or a key gone from the data)."""
    found = lookup_municipality(ags) if ags else None
    return found.name if found else None


def resolve_skill_input(
    name: str | None,
    skill_id: str | None,
    field: str,
    errors: list[FieldError],
    *,
    requirement: bool = False,
) -> Resolved:
    """By id: it must exist. By name: the best candidate above the threshold, else kept raw.

    A vacancy's requirement (``requirement=True``) needs the stricter requirement threshold.
    """
    if skill_id is not None:
        if not is_known_skill(skill_id):
            errors.append(FieldError(f"{field}.skill_id", "is not a known skill id"))
            return Resolved(None, None, None)
        return Resolved(skill_id, skill_label(skill_id), 1.0)
    candidate = resolve_skill(name or "", requirement=requirement)
    if candidate is None:
        return Resolved(None, None, None)
    return Resolved(candidate.id, candidate.label, round(candidate.confidence, 3))


def resolve_occupation_input(
    name: str | None, code: str | None, field: str, errors: list[FieldError]
) -> Resolved:
    if code is not None:
        info = occupation_info(code)
        if info is None:
            errors.append(
                FieldError(f"{field}.code", "is not a known ESCO, KldB 2010 or ISCO-08 code")
            )
            return Resolved(None, None, None)
        return Resolved(info.code, info.label, 1.0)
    candidate = resolve_occupation(name or "")
    if candidate is None:
        return Resolved(None, None, None)
    return Resolved(candidate.id, candidate.label, round(candidate.confidence, 3))


def skill_label_of(skill_id: str | None) -> str | None:
    return skill_label(skill_id) if skill_id else None


def occupation_label_of(code: str | None) -> str | None:
    if not code:
        return None
    info = occupation_info(code)
    return info.label if info else None
