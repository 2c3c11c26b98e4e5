"""k-anonymous analyst records: quasi-identifiers generalised over the whole population.

Site, municipality, age band and German level together singled out about half of the demo
district's people (docs/security.md, "Analyst records"). Analysts' record views therefore show
them generalised, one level for everybody (full-domain generalisation), chosen so that every
combination shown is shared by at least ``K`` people of the whole population, not of a page:

- location: site and municipality → site and district → site only (the programme's unit,
  which analysts' work is organised by: it goes only with suppression);
- age band: ten-year band → under 25 / 25–44 / 45+ → nothing;
- German level: CEFR level → A1–A2 / B1–B2 / C1–C2 → A1–A2 / B1–C2 → nothing.

People still in a class smaller than ``K`` at the chosen levels are suppressed (all four shown
as null). The suppressed form a class of their own, which needs ``K`` people as well (else a
person missing from their class would be found among them): when fewer are suppressed, the last
members of the largest class that can spare them are added. Of all level combinations the one
losing least is taken: a record's loss is the mean of its levels' heights, a suppressed record
loses everything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import product
from typing import Any

from sqlalchemy import false
from sqlmodel import Session, col, select

from kai_match.data.geo import lookup_postal_code
from kai_match.models import Participant, ParticipantPersonal

K = 5

_AGE_BANDS = ((18, "under 18"), (25, "18–24"), (35, "25–34"), (45, "35–44"), (55, "45–54"))
_WIDE_AGE = {
    "under 18": "under 25",
    "18–24": "under 25",
    "25–34": "25–44",
    "35–44": "25–44",
    "45–54": "45+",
    "55+": "45+",
}
_GERMAN_BANDS = {"A1": "A1–A2", "A2": "A1–A2", "B1": "B1–B2", "B2": "B1–B2", "C1": "C1–C2"}
_GERMAN_BANDS["C2"] = "C1–C2"
_GERMAN_HALVES = {"A1–A2": "A1–A2", "B1–B2": "B1–C2", "C1–C2": "B1–C2"}
# Heights of the hierarchies: the top level shows nothing.
# What showing an attribute at each level loses (0: as stored, 1: nothing). Location counts
# "site only" as two thirds lost, as if "nothing" were the next step.
LOSS = ((0.0, 1 / 3, 2 / 3), (0.0, 0.5, 1.0), (0.0, 1 / 3, 2 / 3, 1.0))


def age_band(birth_date: date | None, today: date) -> str | None:
    """Ten-year bands (18–24 first, as the programme's participants are adults)."""
    if birth_date is None:
        return None
    age = (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )
    for upper, label in _AGE_BANDS:
        if age < upper:
            return label
    return "55+"


@dataclass(frozen=True, slots=True)
class Person:
    """The quasi-identifiers of one person as stored (district: for the generalisation)."""

    site: str | None
    municipality: str | None
    district: str | None
    age_band: str | None
    german_level: str | None


@dataclass(frozen=True, slots=True)
class Shown:
    """The quasi-identifiers an analyst sees; ``municipality`` may hold the district."""

    site: str | None
    municipality: str | None
    age_band: str | None
    german_level: str | None


SUPPRESSED = Shown(None, None, None, None)
Levels = tuple[int, int, int]


def generalise(person: Person, levels: Levels) -> Shown:
    """The person's quasi-identifiers at the given levels (location, age band, German level)."""
    location, age, german = levels
    site = person.site
    place = (person.municipality, person.district, None)[location]
    band = (person.age_band, _WIDE_AGE.get(person.age_band or ""), None)[age]
    level = person.german_level
    if german >= 1 and level is not None:
        level = _GERMAN_BANDS.get(level)
    if german >= 2 and level is not None:
        level = _GERMAN_HALVES.get(level)
    return Shown(site, place, band, level if german < 3 else None)


@dataclass(frozen=True)
class Release:
    """The generalisation chosen for one population: what each person is shown as."""

    k: int
    levels: Levels
    shown: Mapping[int, Shown]
    suppressed: frozenset[int]

    def of(self, participant_id: int | None) -> Shown:
        """Someone not in the population (created since) is suppressed, never shown exactly."""
        return SUPPRESSED if participant_id is None else self.shown.get(participant_id, SUPPRESSED)

    def smallest_class(self) -> int:
        return min(Counter(self.shown.values()).values(), default=0)

    def filter_conditions(self, site: str | None, german_level: str | None) -> list[Any]:
        """Conditions on ``Participant`` so that filters compare with the values shown.

        A filter on the stored value would tell an analyst the exact level (or the site) of
        everyone it returns, undoing the generalisation.
        """
        conditions: list[Any] = []
        german = self.levels[2]
        if site is not None:
            conditions.append(col(Participant.site) == site)
        if german_level is not None:
            conditions.append(
                col(Participant.german_level) == german_level if german == 0 else false()
            )
        if conditions and self.suppressed:
            conditions.append(col(Participant.id).not_in(sorted(self.suppressed)))
        return conditions


def choose(people: Mapping[int, Person], k: int = K) -> Release:
    """The least lossy levels under which every class shown has at least ``k`` people."""
    ids = list(people)
    # Each attribute at each of its levels, once: the level combinations only zip them.
    columns = [
        [[_part(generalise(people[i], _only(a, lv)), a) for i in ids] for lv in range(len(costs))]
        for a, costs in enumerate(LOSS)
    ]
    best: tuple[tuple[float, int, Levels], Levels, frozenset[int]] | None = None
    for levels in product(*(range(len(costs)) for costs in LOSS)):
        rows = list(zip(*(columns[a][lv] for a, lv in enumerate(levels)), strict=True))
        sizes = Counter(rows)
        small = frozenset(i for i, row in zip(ids, rows, strict=True) if sizes[row] < k)
        # The suppressed form one class (the site is shown to everyone else): it needs k too,
        # else whoever is missing from their class would be found among the suppressed.
        if small and len(small) < k:
            padding = _padding(ids, rows, sizes, k - len(small), k)
            if padding is None:
                continue
            small |= padding
        kept = len(ids) - len(small)
        loss = kept * sum(costs[lv] for lv, costs in zip(levels, LOSS, strict=True)) / 3
        loss += len(small)
        key = (round(loss, 9), len(small), levels)
        if best is None or key < best[0]:
            best = (key, levels, small)
    if best is None:  # fewer than k people: nothing can be shown
        top = (len(LOSS[0]) - 1, len(LOSS[1]) - 1, len(LOSS[2]) - 1)
        return Release(k, top, dict.fromkeys(ids, SUPPRESSED), frozenset(ids))
    _, levels, small = best
    shown = {i: SUPPRESSED if i in small else generalise(people[i], levels) for i in ids}
    return Release(k, levels, shown, small)


def _padding(
    ids: list[int], rows: list[tuple], sizes: Counter, need: int, k: int
) -> frozenset[int] | None:
    """``need`` more people to suppress, taken from the largest class (its last members), so
    that the suppressed reach ``k`` and that class keeps ``k``; None if no class can spare them.
    """
    donor = max(sizes, key=lambda row: sizes[row], default=None)  # the first of the largest
    if donor is None or sizes[donor] < k + need:
        return None
    members = [i for i, row in zip(ids, rows, strict=True) if row == donor]
    return frozenset(members[-need:])


def _only(attribute: int, level: int) -> Levels:
    levels = [0, 0, 0]
    levels[attribute] = level
    return (levels[0], levels[1], levels[2])


def _part(shown: Shown, attribute: int) -> object:
    if attribute == 0:
        return (shown.site, shown.municipality)
    return shown.age_band if attribute == 1 else shown.german_level


def population(session: Session, today: date) -> dict[int, Person]:
    """Everyone an analyst's record view covers (every profile, erased ones included)."""
    query = select(
        Participant.id,
        Participant.site,
        Participant.home_postal_code,
        Participant.german_level,
        ParticipantPersonal.birth_date,
    ).outerjoin(ParticipantPersonal, col(ParticipantPersonal.participant_id) == Participant.id)
    query = query.order_by(col(Participant.id))
    people = {}
    for pid, site, postal_code, german_level, birth_date in session.exec(query):
        place = lookup_postal_code(postal_code)
        people[pid] = Person(
            site=site,
            municipality=place.municipality if place else None,
            district=place.district if place else None,
            age_band=age_band(birth_date, today),
            german_level=german_level,
        )
    return people


def analyst_release(session: Session, today: date, k: int = K) -> Release:
    return choose(population(session, today), k)
