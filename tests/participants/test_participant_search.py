"""`GET /participants?q=`: counsellors find people by name, id or pseudonym; an audience only by
the pseudonym it was given (issue 19, item 7). One rule with the console's search. Both backends.
"""

from __future__ import annotations

from tests.builders import matching_job, matching_person, pseudonyms_of
from tests.world import World


def _found(client, q: str, headers: dict | None = None) -> list[int | str]:
    response = client.get("/api/v1/participants", params={"q": q}, headers=headers or {})
    assert response.status_code == 200, response.text
    return [item.get("id", item.get("public_id")) for item in response.json()["items"]]


def test_counsellors_search_by_name_id_and_pseudonym(client, world: World):
    zeynep = matching_person(client, first_name="Zeynep", last_name="Yilmazoglu", german_level="C1")
    other = matching_person(client, first_name="Olena", last_name="Kovalenko")
    assert _found(client, "yilmazoglu") == [zeynep["id"]]
    assert _found(client, "Yilmazoglu Zeynep") == [zeynep["id"]]  # either order
    assert _found(client, "eynep yilm") == [zeynep["id"]]  # any part, any case
    assert _found(client, other["public_id"]) == [other["id"]]
    assert _found(client, "Nobody") == []
    # A pseudonym an employer was given finds the person too (a call from the firm).
    job = matching_job(client, world.employer_a["id"], min_german_level="C1")
    client.get(f"/api/v1/vacancies/{job['id']}/matches", headers=world.headers("employer_a"))
    given = pseudonyms_of(client, zeynep["id"])
    assert list(given) == [f"employer:{world.employer_a['id']}"]
    assert _found(client, next(iter(given.values()))) == [zeynep["id"]]
    # The site's counsellor sees only their own site's people, search or not.
    borna = world.headers("counsellor_b")
    assert zeynep["id"] not in _found(client, "Yilmazoglu", borna)


def test_an_analyst_finds_only_by_the_pseudonym_it_was_given(client, world: World):
    person = matching_person(client, first_name="Zeynep", last_name="Yilmazoglu")
    analyst = world.headers("analyst")
    listed = client.get("/api/v1/participants", params={"limit": 100}, headers=analyst).json()
    known = [item["public_id"] for item in listed["items"]]
    assert known, "the analysts' list must show somebody"
    by_pseudonym = client.get(
        "/api/v1/participants", params={"q": known[0]}, headers=analyst
    ).json()["items"]
    assert [item["public_id"] for item in by_pseudonym] == [known[0]]
    # A name, or the person's own id, tells an analyst nothing.
    for text in ("Yilmazoglu", person["public_id"]):
        response = client.get("/api/v1/participants", params={"q": text}, headers=analyst)
        assert response.status_code == 200
        assert response.json()["items"] == []


def test_an_empty_or_overlong_search_is_refused(client):
    for q in ("", "x" * 201):
        response = client.get("/api/v1/participants", params={"q": q})
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "q" in {e.get("field") or e.get("name") for e in response.json().get("errors", [])}
