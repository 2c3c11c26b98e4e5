"""Value types handed to callers: small, frozen and hashable, so results can be cached and compared."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Candidate:
    """One normalisation hit: a taxonomy id, its German display label and a confidence in [0, 1]."""

    id: str
    label: str
    confidence: float


@dataclass(frozen=True, slots=True)
class OccupationInfo:
    """What scoring and explanations need to know about an occupation code.

    ``isco_group`` is the 4-digit ISCO-08 unit group, ``kldb`` a 5-digit KldB 2010 code (the
    KldB↔ISCO links are approximate, see docs/taxonomy.md) and ``field`` a ``FIELDS`` slug.
    """

    code: str
    label: str
    isco_group: str | None
    kldb: str | None
    field: str | None
