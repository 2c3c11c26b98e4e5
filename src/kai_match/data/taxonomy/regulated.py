"""Regulated occupations: where a foreign qualification must be recognised before work in it.

In Germany most dual-training occupations (Lagerlogistik, Koch, Verkäufer …) are not regulated:
anyone may work in them, and recognition only helps. Health, care, education and a few others
are regulated by federal or Saxon law. ``files/regulated_occupations.csv`` lists the common ones
for this district's programme with the ISCO-08 unit groups they fall into, the helper roles
open without recognition, and the law behind each (own compilation of the kai-match project
from the federal recognition framework and the named laws; not an official register).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .store import FILES, read_rows


@dataclass(frozen=True, slots=True)
class RegulatedOccupation:
    """One regulated occupation: key, titles, ISCO-08 unit groups, helper roles, legal basis."""

    key: str
    title_de: str
    title_en: str
    isco_groups: tuple[str, ...]
    helper_roles_de: str
    helper_roles_en: str
    legal_basis: str

    def title(self, lang: str) -> str:
        return self.title_de if lang == "de" else self.title_en


@cache
def regulated_occupations() -> dict[str, RegulatedOccupation]:
    """The shipped list by key, in file order."""
    found: dict[str, RegulatedOccupation] = {}
    for row in read_rows(FILES / "regulated_occupations.csv"):
        found[row["key"]] = RegulatedOccupation(
            key=row["key"],
            title_de=row["title_de"],
            title_en=row["title_en"],
            isco_groups=tuple(row["isco_groups"].split("|")),
            helper_roles_de=row["helper_roles_de"],
            helper_roles_en=row["helper_roles_en"],
            legal_basis=row["legal_basis"],
        )
    return found


def regulated_occupation(key: str | None) -> RegulatedOccupation | None:
    """The entry for a stored key (None for None or a key gone from the list)."""
    return regulated_occupations().get(key) if key else None
