"""Analysts' record views are k-anonymous over the whole population (issue 17, re-identification)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from kai_match.participants.anonymity import Person, Shown, choose, generalise
from tests.builders import bearer, make_key, make_participant

TODAY = date.today()
QUASI = ("site", "municipality", "age_band", "german_level")


def born(age: int) -> str:
    """A birth date ``age`` or ``age - 1`` years ago: well inside its ten-year band."""
    return date(TODAY.year - age, 1, 1).isoformat()


def crowd(client, count: int, **body) -> list[dict]:
    return [make_participant(client, **body) for _ in range(count)]


def shown(item: dict) -> tuple:
    return tuple(item[q] for q in QUASI)


def test_analysts_see_quasi_identifiers_generalised_until_five_share_them(client):
    grimma_young = crowd(
        client, 4, home_postal_code="04668", birth_date=born(30), german_level="A1"
    )
    grimma_older = crowd(
        client, 3, home_postal_code="04668", birth_date=born(40), german_level="A2"
    )
    naunhof = crowd(client, 3, home_postal_code="04683", birth_date=born(30), german_level="A2")
    leipzig = make_participant(
        client,
        site="markkleeberg",
        home_postal_code="04109",
        birth_date=born(60),
        german_level="C1",
    )
    analyst = bearer(make_key(client, "analyst"))
    response = client.get("/api/v1/participants", params={"limit": 50}, headers=analyst)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert len(items) == 11
    # District for municipality, CEFR halves for levels, ten-year bands kept: 7 share
    # (grimma, Landkreis Leipzig, 25–34, A1–A2). The three older ones and the one from Leipzig
    # cannot form a class of five, so they are suppressed, and with them the last of the seven,
    # so that the suppressed are five as well.
    general = ("grimma", "Landkreis Leipzig", "25–34", "A1–A2")
    nothing = (None, None, None, None)
    expected = [general] * 6 + [nothing] * 5
    assert sorted(map(shown, items), key=str) == sorted(expected, key=str)
    assert min(Counter(map(shown, items)).values()) == 5

    def as_analyst(person: dict) -> tuple:
        answer = client.get(f"/api/v1/participants/{person['id']}", headers=analyst)
        assert answer.status_code == 200, answer.text
        return shown(answer.json())

    for person in grimma_young + naunhof[:2]:
        assert as_analyst(person) == general
    for person in [*grimma_older, leipzig, naunhof[-1]]:
        assert as_analyst(person) == nothing
    # Counsellors and admins still see the stored values.
    full = client.get(f"/api/v1/participants/{naunhof[-1]['id']}").json()
    assert (full["site"], full["municipality"], full["german_level"]) == ("grimma", "Naunhof", "A2")

    # Filters compare with the values shown, so they cannot reveal the stored ones.
    def listed(**params) -> list[tuple]:
        page = client.get("/api/v1/participants", params={"limit": 50, **params}, headers=analyst)
        assert page.status_code == 200, page.text
        return [shown(i) for i in page.json()["items"]]

    assert listed(german_level="A1") == []
    assert listed(site="grimma") == [general] * 6
    assert listed(site="markkleeberg") == []
    assert len(listed(site="grimma", limit=2)) == 2


def test_the_whole_population_counts_not_the_page(client):
    crowd(client, 5, home_postal_code="04668", birth_date=born(30), german_level="B1")
    analyst = bearer(make_key(client, "analyst"))

    def first_page() -> list[tuple]:
        page = client.get("/api/v1/participants", params={"limit": 2}, headers=analyst)
        return [shown(i) for i in page.json()["items"]]

    assert first_page() == [("grimma", "Grimma", "25–34", "B1")] * 2
    # One person elsewhere, older, at A2, changes what the first page shows: six share the
    # district and the wider band once the German level goes.
    lonely = make_participant(
        client, home_postal_code="04683", birth_date=born(40), german_level="A2"
    )
    general = ("grimma", "Landkreis Leipzig", "25–44", None)
    assert first_page() == [general] * 2
    single = client.get(f"/api/v1/participants/{lonely['id']}", headers=analyst).json()
    assert shown(single) == general


def test_fewer_than_five_people_show_nothing(client):
    make_participant(client)
    analyst = bearer(make_key(client, "analyst"))
    items = client.get("/api/v1/participants", headers=analyst).json()["items"]
    assert [shown(i) for i in items] == [(None, None, None, None)]


def person(municipality: str, age: str, level: str, site: str = "grimma") -> Person:
    return Person(site, municipality, "Landkreis Leipzig", age, level)


def test_the_hierarchies():
    someone = Person("wurzen", "Wurzen", "Landkreis Leipzig", "18–24", "B2")
    assert generalise(someone, (0, 0, 0)) == Shown("wurzen", "Wurzen", "18–24", "B2")
    assert generalise(someone, (1, 1, 1)) == Shown(
        "wurzen", "Landkreis Leipzig", "under 25", "B1–B2"
    )
    assert generalise(someone, (2, 2, 2)) == Shown("wurzen", None, None, "B1–C2")
    assert generalise(someone, (2, 2, 3)) == Shown("wurzen", None, None, None)
    older = Person("borna", "Borna", "Landkreis Leipzig", "55+", "A1")
    assert generalise(older, (0, 1, 2)) == Shown("borna", "Borna", "45+", "A1–A2")


def test_choose_generalises_no_further_than_needed():
    people = {i: person("Grimma", "25–34", "A1") for i in range(1, 5)}
    people |= {i: person("Grimma", "35–44", "A2") for i in range(5, 8)}
    people |= {i: person("Naunhof", "25–34", "A2") for i in range(8, 11)}
    release = choose(people)
    # Every level lower in one attribute leaves a class of three or four: all go up one step.
    assert release.levels == (1, 1, 1)
    assert release.suppressed == frozenset()
    assert set(release.shown.values()) == {Shown("grimma", "Landkreis Leipzig", "25–44", "A1–A2")}
    assert release.smallest_class() == 10
    exact = choose({i: person("Grimma", "25–34", "A1") for i in range(1, 6)})
    assert exact.levels == (0, 0, 0) and exact.smallest_class() == 5
