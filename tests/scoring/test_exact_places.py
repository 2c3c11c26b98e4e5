"""The engine with the shipped places and commute model: Bennewitz → Wurzen, minutes in steps.

The engine takes coordinates as they come; where they come from (coordinates, a named
municipality, a postal code's main place) is decided before it (``matching.inputs``). These
cases run the real ``CommuteEstimator`` on the shipped places, so a regression in the data or
its place rule shows here.
"""

from __future__ import annotations

from dataclasses import replace

from kai_match.data.geo import CommuteEstimator, lookup_postal_code
from kai_match.scoring import RankingContext, VacancyIndex, explain, rank_vacancies

from .fakes import AS_OF, make_participant, make_vacancy

CTX = RankingContext(commute=CommuteEstimator(), as_of=AS_OF)
OLD_04808_CENTROID = (51.3921, 12.7978)
"""Where 04808 sat before: the mean of Wurzen, Lossatal and Thallwitz places."""


def _bennewitz_cyclist(**overrides):
    home = lookup_postal_code("04828")
    assert home is not None
    return make_participant(
        home_lat=home.lat, home_lon=home.lon, home_transit=home.transit, **overrides
    )


def _job_in(lat: float, lon: float, **overrides):
    return make_vacancy(lat=lat, lon=lon, transit=0.8, **overrides)


def test_bennewitz_to_wurzen_is_two_kilometres_and_a_short_ride() -> None:
    wurzen = lookup_postal_code("04808")
    assert wurzen is not None
    person = _bennewitz_cyclist()
    now = explain(person, _job_in(wurzen.lat, wurzen.lon), CTX)
    before = explain(person, _job_in(*OLD_04808_CENTROID), CTX)
    assert now.commute_mode == before.commute_mode == "bike"
    assert round(now.commute_minutes, 1) == 14.4
    assert round(before.commute_minutes, 1) == 37.7
    assert now.components["commute"].reason == (
        "Pendelzeit ca. 14 Min. mit dem Fahrrad (Grenze 45 Min.)"
    )
    ranked = rank_vacancies(person, VacancyIndex([_job_in(wurzen.lat, wurzen.lon)]), CTX)
    assert [round(item.commute_minutes, 1) for item in ranked.items] == [14.4]


def test_restricted_texts_give_the_minutes_in_five_minute_steps() -> None:
    wurzen = lookup_postal_code("04808")
    assert wurzen is not None
    job = _job_in(wurzen.lat, wurzen.lon)
    employer = replace(CTX, employer_view=True, restricted_texts=True)
    ranked = rank_vacancies(_bennewitz_cyclist(), VacancyIndex([job]), employer)
    assert ranked.items[0].components["commute"].reason == (
        "Pendelzeit ca. 15 Min. mit dem Fahrrad (Grenze 45 Min.)"
    )
    too_far = explain(_bennewitz_cyclist(max_commute_minutes=10.0), job, employer)
    assert [f.reason for f in too_far.failed_constraints] == [
        "Pendelzeit ca. 15 Min. mit dem Fahrrad, Grenze 10 Min."
    ]
    exact = explain(_bennewitz_cyclist(max_commute_minutes=10.0), job, CTX)
    assert [f.reason for f in exact.failed_constraints] == [
        "Pendelzeit ca. 14 Min. mit dem Fahrrad, Grenze 10 Min."
    ]
