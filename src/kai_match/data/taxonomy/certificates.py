"""Certificates and licences: skill concepts whose possession is a document, not a level.

A firm that asks for a forklift permit or a § 43 IfSG instruction needs the paper, and a
self-reported "Stapler" at any level is not it. The concepts listed in ``files/certificates.csv``
are therefore held or not held (no levels, no credit from related skills), and a must
requirement held without ``source: certified`` is flagged "Nachweis fehlt" for the counsellor.
The list is hand-written (own work of the kai-match project, URIs from ESCO).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .store import FILES, read_rows

KINDS = ("certificate", "licence")


@dataclass(frozen=True, slots=True)
class Certificate:
    """A skill concept that is proven by a document: its kind and the document's name."""

    skill_id: str
    kind: str
    proof_de: str
    proof_en: str

    def proof(self, lang: str) -> str:
        """The document's name in ``lang`` (German, else English)."""
        return self.proof_de if lang == "de" else self.proof_en


@cache
def certificates() -> dict[str, Certificate]:
    """The shipped certificate concepts by skill id."""
    found: dict[str, Certificate] = {}
    for row in read_rows(FILES / "certificates.csv"):
        if row["kind"] not in KINDS:
            raise ValueError(f"certificates.csv: unknown kind {row['kind']!r}")
        found[row["esco_uri"]] = Certificate(
            row["esco_uri"], row["kind"], row["proof_de"], row["proof_en"]
        )
    return found


def is_certificate(skill_id: str | None) -> bool:
    """True for a skill concept that is a certificate or licence."""
    return skill_id is not None and skill_id in certificates()
