"""A simulated district on disk: profiles as JSON, attributes and outcomes as CSV.

Files in DIR: `participants.json`, `vacancies.json` (engine profiles, one object each),
`attributes.csv` (protected attributes, for fairness only), `outcomes.csv`
(vacancy_id, participant_id, completed, hired), `truth.json` (the hidden success function and
the simulation's seed and day). Reading gives back an equal `District`.
"""

from __future__ import annotations

import csv
import json
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

from kai_match.scoring import (
    Experience,
    HeldSkill,
    LanguageLevel,
    ParticipantProfile,
    RequiredSkill,
    VacancyProfile,
)
from kai_match.scoring.schedule import Commitment

from .district import ProtectedAttributes
from .pairs import Outcome
from .simulate import District, HiddenTruth

__all__ = ["profile_from_dict", "profile_to_dict", "read_district", "write_district"]

_DATES = {
    "expected_b1_date",
    "earliest_start",
    "permit_valid_until",
    "start_date",
    "end_date",
    "valid_through",
}


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    return value


def profile_to_dict(profile: ParticipantProfile | VacancyProfile) -> dict[str, Any]:
    """JSON-friendly form of an engine profile."""
    return {f.name: _plain(getattr(profile, f.name)) for f in fields(profile) if f.init}


def profile_from_dict(kind: type, data: dict[str, Any]) -> Any:
    """Inverse of `profile_to_dict` for `ParticipantProfile` or `VacancyProfile`."""
    kwargs = dict(data)
    for name in _DATES & kwargs.keys():
        if kwargs[name] is not None:
            kwargs[name] = date.fromisoformat(kwargs[name])
    if kind is ParticipantProfile:
        kwargs["skills"] = {k: HeldSkill(*v) for k, v in kwargs["skills"].items()}
        kwargs["occupations"] = tuple(Experience(*o) for o in kwargs["occupations"])
        kwargs["commitments"] = tuple(
            Commitment(*c[:4], *(date.fromisoformat(d) if d else None for d in c[4:]))
            for c in kwargs.get("commitments", ())
        )
    else:
        kwargs["skills"] = tuple(RequiredSkill(*s) for s in kwargs["skills"])
        kwargs["languages_wanted"] = tuple(LanguageLevel(*x) for x in kwargs["languages_wanted"])
    for name in (
        "driving_licences",
        "shifts",
        "placement_types",
        "fields_wanted",
        "fields_excluded",
    ):
        if name in kwargs:
            kwargs[name] = frozenset(kwargs[name])
    return kind(**kwargs)


def write_district(district: District, directory: Path) -> list[Path]:
    """Write the district's files into `directory` (created if missing); returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, items in (("participants", district.participants), ("vacancies", district.vacancies)):
        path = directory / f"{name}.json"
        path.write_text(json.dumps([profile_to_dict(x) for x in items], ensure_ascii=False))
        paths.append(path)
    path = directory / "attributes.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([fl.name for fl in fields(ProtectedAttributes)])
        writer.writerows([getattr(a, fl.name) for fl in fields(a)] for a in district.attributes)
    paths.append(path)
    path = directory / "outcomes.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["vacancy_id", "participant_id", "completed", "hired"])
        writer.writerows(
            (o.vacancy_id, o.participant_id, int(o.completed), int(o.hired))
            for o in district.outcomes
        )
    paths.append(path)
    path = directory / "truth.json"
    meta = {"seed": district.seed, "as_of": district.as_of.isoformat()}
    path.write_text(json.dumps({**meta, "truth": district.truth.to_dict()}, indent=2))
    paths.append(path)
    return paths


def read_district(directory: Path) -> District:
    """Read what `write_district` wrote."""
    people = json.loads((directory / "participants.json").read_text())
    jobs = json.loads((directory / "vacancies.json").read_text())
    with (directory / "attributes.csv").open(newline="") as f:
        attributes = [
            ProtectedAttributes(**{**row, "participant_id": int(row["participant_id"])})
            for row in csv.DictReader(f)
        ]
    with (directory / "outcomes.csv").open(newline="") as f:
        outcomes = [
            Outcome(
                int(row["vacancy_id"]),
                int(row["participant_id"]),
                row["completed"] == "1",
                row["hired"] == "1",
            )
            for row in csv.DictReader(f)
        ]
    meta = json.loads((directory / "truth.json").read_text())
    return District(
        participants=[profile_from_dict(ParticipantProfile, p) for p in people],
        vacancies=[profile_from_dict(VacancyProfile, v) for v in jobs],
        attributes=attributes,
        outcomes=outcomes,
        truth=HiddenTruth(**meta["truth"]),
        as_of=date.fromisoformat(meta["as_of"]),
        seed=int(meta["seed"]),
    )
