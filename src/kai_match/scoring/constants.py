"""Closed vocabularies of the matching domain and their integer codes.

The integer code of a value is its position in the tuple; the columnar indexes store codes, so the
order of these tuples is part of the index format and must only ever be appended to.
"""

from __future__ import annotations

CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2")
B1 = 2  # ordinal of B1, the goal of the integration course

PLACEMENT_TYPES: tuple[str, ...] = (
    "work_trial",
    "internship",
    "job",
    "apprenticeship",
    "entry_qualification",
)
SHIFTS: tuple[str, ...] = ("early", "day", "late", "night", "weekend")
# Shifts that need travel when rural buses hardly run (before 6:00, at night, at weekends).
OFF_PEAK_SHIFTS: frozenset[str] = frozenset({"early", "night", "weekend"})
# Placement types that are open-ended unless the vacancy states an end date: the employer waits
# for the right person, so a start before the person's earliest start does not exclude them.
# Every other type (and a job with an end date) is time-boxed: its start slack applies.
OPEN_ENDED_TYPES: frozenset[str] = frozenset({"job"})

WORK_PERMITS: tuple[str, ...] = ("unrestricted", "permitted", "approval_required", "prohibited")
PERMIT_RULES: tuple[str, ...] = ("allow", "flag", "deny")
SKILL_SOURCES: tuple[str, ...] = ("self_reported", "assessed", "certified")
IMPORTANCES: tuple[str, ...] = ("must", "should", "nice")
PARTICIPANT_STATUSES: tuple[str, ...] = ("active", "placed", "paused", "archived")
VACANCY_STATUSES: tuple[str, ...] = ("open", "filled", "closed")

# German driving licence classes (Fahrerlaubnisklassen). Record every class on the licence:
# no implication between classes is assumed.
LICENCE_CLASSES: tuple[str, ...] = (
    "AM", "A1", "A2", "A", "B", "B96", "BE", "C1", "C1E", "C", "CE",
    "D1", "D1E", "D", "DE", "L", "T",
)  # fmt: skip
CAR_LICENCE = "B"
COMMUTE_STEP_MINUTES = 5
"""Employers and partners see commute minutes rounded to steps of this size."""

# Mode index meaning of CommuteModel.best_minutes; the engine adds the employer's shuttle.
MODES: tuple[str, ...] = ("walk", "bike", "public_transport", "car", "shuttle")
SHUTTLE_MODE = MODES.index("shuttle")
MAX_SHUTTLE_RIDE_MINUTES = 180

CONSTRAINTS: tuple[str, ...] = (
    "work_permit",
    "consent",
    "language",
    "commute",
    "driving_licence",
    "must_skill",
    "openings",
    "dates",
    "status",
    "schedule",
    "recognition",
)
# Recognition of a foreign qualification, weakest first; in a regulated occupation only a full
# or a pending one lets a person work in it (pending: flagged with the expected date).
# The document a person's right to stay rests on; texts name it (a Duldung is no residence title).
PERMIT_DOCUMENTS: tuple[str, ...] = (
    "residence_title",  # Aufenthaltstitel (incl. Blaue Karte, Niederlassungserlaubnis)
    "permission_to_reside",  # Aufenthaltsgestattung (asylum procedure)
    "toleration",  # Duldung
    "fictional_certificate",  # Fiktionsbescheinigung (application pending)
)
RECOGNITION_STATES: tuple[str, ...] = ("none", "partial", "pending", "full")
RECOGNITION_ALLOWS: frozenset[str] = frozenset({"pending", "full"})
PREFERENCE_PARTS: tuple[str, ...] = ("type", "field", "hours", "shifts", "start")

LANGS: tuple[str, ...] = ("de", "en")

CEFR_INDEX = {level: i for i, level in enumerate(CEFR_LEVELS)}
TYPE_INDEX = {name: i for i, name in enumerate(PLACEMENT_TYPES)}
SHIFT_BIT = {name: 1 << i for i, name in enumerate(SHIFTS)}
PERMIT_INDEX = {name: i for i, name in enumerate(WORK_PERMITS)}
RULE_INDEX = {name: i for i, name in enumerate(PERMIT_RULES)}
SOURCE_INDEX = {name: i for i, name in enumerate(SKILL_SOURCES)}
IMPORTANCE_INDEX = {name: i for i, name in enumerate(IMPORTANCES)}
LICENCE_INDEX = {name: i for i, name in enumerate(LICENCE_CLASSES)}


OFF_PEAK_MASK = sum(1 << i for i, name in enumerate(SHIFTS) if name in OFF_PEAK_SHIFTS)
PEAK_MASK = sum(1 << i for i, name in enumerate(SHIFTS) if name not in OFF_PEAK_SHIFTS)


def shift_mask(shifts: frozenset[str] | set[str] | tuple[str, ...]) -> int:
    """Bitmask of a set of shift names (bit i = SHIFTS[i])."""
    mask = 0
    for s in shifts:
        mask |= SHIFT_BIT[s]
    return mask
