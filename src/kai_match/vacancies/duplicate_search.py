"""Stored vacancies that are probably the same as a new one: found on create and import.

Candidates are the open and filled vacancies of the same municipality; within them only
those whose employer shares a word with the new one's are scored (``duplicates``), so an
import of thousands of rows compares each with a handful, not with the whole district.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache

from sqlalchemy import select
from sqlmodel import Session

from kai_match.data.geo import lookup_postal_code
from kai_match.data.geo.places import district_postal_codes, postal_code_municipalities
from kai_match.models import Employer, Vacancy
from kai_match.models.bulk import PossibleDuplicate
from kai_match.models.common import VacancyStatus
from kai_match.vacancies.duplicates import (
    DUPLICATE_THRESHOLD,
    Posting,
    duplicate_score,
    employer_words,
)

MAX_REPORTED = 5
# A firm with hundreds of vacancies in one town: only its newest ones are compared, so an
# import stays linear (a duplicate is almost always a recent posting).
MAX_COMPARED = 200


def place_of(postal_code: str, municipality_ags: str | None) -> str:
    """The municipality (AGS) a vacancy lies in, else its postal code."""
    if municipality_ags:
        return municipality_ags
    place = lookup_postal_code(postal_code)
    return place.ags if place and place.ags else postal_code


def posting_of(vacancy: Vacancy, employer_name: str) -> Posting:
    return Posting(
        employer=employer_name,
        title=vacancy.title,
        postal_code=vacancy.postal_code,
        municipality=place_of(vacancy.postal_code, vacancy.municipality_ags),
        start_date=vacancy.start_date,
        end_date=vacancy.end_date,
    )


@cache
def _codes_by_municipality() -> dict[str, tuple[str, ...]]:
    codes: dict[str, list[str]] = defaultdict(list)
    for code in district_postal_codes():
        for municipality in postal_code_municipalities(code):
            codes[municipality.ags].append(code)
    return {ags: tuple(found) for ags, found in codes.items()}


def _codes_of(place: str) -> tuple[str, ...]:
    """The postal codes of a municipality (AGS) in the district, or the postal code itself."""
    return _codes_by_municipality().get(place, (place,))


class DuplicateIndex:
    """Open vacancies of some places, by place and employer word."""

    def __init__(self, session: Session, places: Iterable[str]) -> None:
        wanted = set(places)
        self._by_place: dict[str, dict[str, list[tuple[int, Posting]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        if not wanted:
            return
        postal_codes = {code for place in wanted for code in _codes_of(place)}
        query = (
            select(Vacancy, Employer.name)
            .join(Employer, Employer.id == Vacancy.employer_id)
            .where(
                Vacancy.status != VacancyStatus.closed.value,
                Vacancy.postal_code.in_(postal_codes) | Vacancy.municipality_ags.in_(wanted),
            )
        )
        for vacancy, name in session.execute(query.order_by(Vacancy.id)):
            posting = posting_of(vacancy, name)
            place = posting.municipality or vacancy.postal_code
            if place not in wanted:
                continue
            self.add(vacancy.id, posting)

    def add(self, vacancy_id: int | None, posting: Posting) -> None:
        """Index a vacancy stored after the index was built (the next rows compare with it)."""
        assert vacancy_id is not None
        place = posting.municipality or posting.postal_code
        for word in set(employer_words(posting.employer)):
            self._by_place[place][word].append((vacancy_id, posting))

    def find(self, posting: Posting, exclude: set[int]) -> list[PossibleDuplicate]:
        words = self._by_place.get(posting.municipality or posting.postal_code, {})
        seen: set[int] = set()
        found = []
        for word in set(employer_words(posting.employer)):
            for vacancy_id, candidate in words.get(word, [])[-MAX_COMPARED:]:
                if vacancy_id in seen or vacancy_id in exclude:
                    continue
                seen.add(vacancy_id)
                score = duplicate_score(posting, candidate)
                if score >= DUPLICATE_THRESHOLD:
                    found.append(PossibleDuplicate(vacancy_id=vacancy_id, score=score))
        found.sort(key=lambda d: (-d.score, d.vacancy_id))
        return found[:MAX_REPORTED]


def possible_duplicates(session: Session, vacancy: Vacancy) -> list[PossibleDuplicate]:
    """The stored vacancies that are probably this one (best first, at most five)."""
    employer = session.get(Employer, vacancy.employer_id)
    if employer is None or vacancy.id is None:
        return []
    posting = posting_of(vacancy, employer.name)
    index = DuplicateIndex(session, [posting.municipality or vacancy.postal_code])
    return index.find(posting, exclude={vacancy.id})
