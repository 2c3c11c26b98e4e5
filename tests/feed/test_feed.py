"""Match-list feed for partners and CSV rankings (issue: placements, partner integration)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlmodel import Session, func, select

from kai_match.models import ChangeLog
from tests.builders import (
    make_key,
    matching_job,
    matching_person,
    partner_audience,
    pseudonyms_of,
)
from tests.world import World, assert_no_personal_data


def walk(client, headers, side: str, since: str | None = None, limit: int = 1):
    """Every page of one walk: (lists, cursor for the next walk)."""
    lists: list[dict[str, Any]] = []
    cursor = since
    for _ in range(100):
        params: dict[str, Any] = {"side": side, "limit": limit}
        if cursor:
            params["since"] = cursor
        response = client.get("/api/v1/match-lists", params=params, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        lists += body["lists"]
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return lists, cursor
    raise AssertionError("the walk does not end")


def key(item: dict[str, Any]) -> Any:
    return item.get("participant_public_id") or item["vacancy_id"]


def as_partner(client, world: World, person: dict[str, Any]) -> str | None:
    """The id the world's partner system knows ``person`` by (None: never shown to it)."""
    return pseudonyms_of(client, person["id"]).get(partner_audience(world.keys["partner"]))


@pytest.fixture
def market(client, world: World) -> dict[str, Any]:
    jobs = [matching_job(client, world.employer_a["id"]) for _ in range(2)]
    people = [matching_person(client, site=s) for s in ("grimma", "borna", "wurzen")]
    private = matching_person(client, consent={"processing": False})
    return {"jobs": jobs, "people": people, "private": private}


def test_a_full_walk_equals_the_current_rankings(client, world: World, market):
    partner = world.headers("partner")
    lists, cursor = walk(client, partner, "participant")
    keys = [key(item) for item in lists]
    assert len(keys) == len(set(keys))  # each list once
    people = [*market["people"], world.participant_a, world.participant_b]
    active = {as_partner(client, world, p) for p in people}
    assert set(keys) == active  # the person without consent to processing is not listed
    assert as_partner(client, world, market["private"]) is None
    assert not active & {p["public_id"] for p in people}  # the partner's own pseudonyms
    by_person = {item["participant_public_id"]: item for item in lists}
    for person in market["people"]:
        current = client.get(
            f"/api/v1/participants/{person['id']}/matches", params={"limit": 10}, headers=partner
        ).json()
        known_as = as_partner(client, world, person)
        assert by_person[known_as]["ranking"]["items"] == current["items"]
        assert {i["participant_public_id"] for i in current["items"]} == {known_as}
        assert by_person[known_as]["ranked"] is True
        assert current["items"], "the market should produce matches"
    assert_no_personal_data(str(lists))
    assert all("participant_id" not in item for item in lists)

    vacancy_lists, _ = walk(client, partner, "vacancy", limit=2)
    open_ids = {world.vacancy_a["id"], world.vacancy_b["id"], *(j["id"] for j in market["jobs"])}
    assert sorted(key(i) for i in vacancy_lists) == sorted(open_ids)
    for item in vacancy_lists:
        current = client.get(
            f"/api/v1/vacancies/{item['vacancy_id']}/matches",
            params={"limit": 10},
            headers=partner,
        ).json()
        assert item["ranking"]["items"] == current["items"]

    nothing, again = walk(client, partner, "participant", since=cursor)
    assert nothing == [] and again == cursor


def test_only_lists_changed_after_the_cursor_each_change_once(client, world: World, market):
    partner = world.headers("partner")
    _, people_cursor = walk(client, partner, "participant")
    _, jobs_cursor = walk(client, partner, "vacancy")
    changed = market["people"][1]
    client.patch(f"/api/v1/participants/{changed['id']}", json={"german_level": "B2"})

    lists, people_cursor = walk(client, partner, "participant", since=people_cursor)
    assert [key(i) for i in lists] == [as_partner(client, world, changed)]
    vacancy_lists, jobs_cursor = walk(client, partner, "vacancy", since=jobs_cursor, limit=2)
    assert len(vacancy_lists) == 4  # a person's change may reorder every vacancy's list
    assert walk(client, partner, "participant", since=people_cursor)[0] == []

    job = market["jobs"][0]
    client.patch(f"/api/v1/vacancies/{job['id']}", json={"hours_per_week": 30})
    lists, people_cursor = walk(client, partner, "participant", since=people_cursor)
    assert len(lists) == 5 and len({key(i) for i in lists}) == 5
    vacancy_lists, jobs_cursor = walk(client, partner, "vacancy", since=jobs_cursor)
    assert [key(i) for i in vacancy_lists] == [job["id"]]

    gone = market["people"][2]
    assert client.delete(f"/api/v1/participants/{gone['id']}").status_code == 204
    lists, people_cursor = walk(client, partner, "participant", since=people_cursor)
    assert lists == [
        {"side": "participant", "participant_public_id": as_partner(client, world, gone)}
        | {
            "ranked": False,
            "ranking": None,
        }
    ]


def test_a_change_during_a_walk_comes_with_the_next_walk(client, world: World, market):
    partner = world.headers("partner")
    first = client.get("/api/v1/match-lists", params={"limit": 1}, headers=partner).json()
    assert first["has_more"]
    seen = first["lists"][0]["participant_public_id"]
    person = next(
        p for p in [*market["people"], world.participant_a] if as_partner(client, world, p) == seen
    )
    client.patch(f"/api/v1/participants/{person['id']}", json={"german_level": "B2"})
    lists, cursor = walk(client, partner, "participant", since=first["next_cursor"])
    assert seen not in [key(i) for i in lists]  # this walk had delivered it already
    following, _ = walk(client, partner, "participant", since=cursor)
    assert [key(i) for i in following] == [seen]


def test_a_change_committed_late_is_not_lost(client, engine, world: World, market):
    """PostgreSQL may commit change 7 after change 8: the cursor carries the gap."""
    partner = world.headers("partner")
    _, cursor = walk(client, partner, "participant")
    late, early = market["people"][0], market["people"][1]
    with Session(engine) as session:
        base = session.exec(select(func.max(ChangeLog.id))).one() + 5
    with Session(engine) as session:
        session.add(ChangeLog(id=base + 2, entity="participant", entity_id=early["id"]))
        session.commit()
    lists, cursor = walk(client, partner, "participant", since=cursor)
    assert [key(i) for i in lists] == [as_partner(client, world, early)]
    with Session(engine) as session:  # the transaction that took base + 1 commits now
        session.add(ChangeLog(id=base + 1, entity="participant", entity_id=late["id"]))
        session.commit()
    lists, _ = walk(client, partner, "participant", since=cursor)
    assert [key(i) for i in lists] == [as_partner(client, world, late)]


def test_each_partner_system_gets_its_own_stable_pseudonyms(client, world: World, market):
    other = make_key(client, "partner", label="Jobcenter")  # same label, another system
    first, _ = walk(client, world.headers("partner"), "participant", limit=10)
    second, _ = walk(client, {"Authorization": f"Bearer {other['key']}"}, "participant", limit=10)
    again, _ = walk(client, world.headers("partner"), "participant", limit=10)
    assert [key(i) for i in again] == [key(i) for i in first]  # stable
    person = market["people"][0]
    known_as = pseudonyms_of(client, person["id"])
    mine, theirs = (
        known_as[partner_audience(world.keys["partner"])],
        known_as[partner_audience(other)],
    )
    assert len({mine, theirs, person["public_id"]}) == 3
    assert mine in {key(i) for i in first} and theirs in {key(i) for i in second}
    assert mine not in {key(i) for i in second}
    listed = next(i for i in first if key(i) == mine)
    assert {i["participant_public_id"] for i in listed["ranking"]["items"]} == {mine}


def test_foreign_or_tampered_cursors_are_refused(client, world: World):
    partner = world.headers("partner")
    bad = client.get("/api/v1/match-lists", params={"since": "ml1.e30"}, headers=partner)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "since"
    _, cursor = walk(client, partner, "participant")
    mixed = client.get(
        "/api/v1/match-lists", params={"since": cursor, "side": "vacancy"}, headers=partner
    )
    assert mixed.status_code == 422


def test_rankings_as_csv(client, world: World, market):
    person = market["people"][0]
    url = f"/api/v1/participants/{person['id']}/matches"
    as_json = client.get(url).json()
    response = client.get(url, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["X-Weight-Profile"] == "default;version=1"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == [
        "rank",
        "participant_id",
        "participant_public_id",
        "vacancy_id",
        "score",
        "language_contribution",
        "skills_contribution",
        "occupation_contribution",
        "commute_contribution",
        "preferences_contribution",
        "commute_minutes",
        "commute_mode",
    ]
    assert [int(r["vacancy_id"]) for r in rows] == [i["vacancy_id"] for i in as_json["items"]]
    for row, item in zip(rows, as_json["items"], strict=True):
        assert float(row["score"]) == item["score"]
        assert float(row["commute_minutes"]) == item["commute_minutes"]
        parts = [float(row[f"{c}_contribution"]) for c in item["components"]]
        assert sum(parts) == pytest.approx(item["score"], abs=0.05)
    preferring_json = client.get(url, headers={"Accept": "text/csv;q=0.5, application/json"})
    assert preferring_json.headers["content-type"] == "application/json"

    job = market["jobs"][0]
    pseudonymous = client.get(
        f"/api/v1/vacancies/{job['id']}/matches",
        params={"limit": 2},
        headers=world.headers("partner") | {"Accept": "text/csv"},
    )
    rows = list(csv.DictReader(io.StringIO(pseudonymous.text)))
    assert rows and all(r["participant_id"] == "" for r in rows)
    assert all(r["participant_public_id"].startswith("P-") for r in rows)
    assert_no_personal_data(pseudonymous.text)
    if 'rel="next"' in pseudonymous.headers.get("Link", ""):
        assert "cursor=" in pseudonymous.headers["Link"]
