"""Per-audience pseudonyms: every employer knows a person by an id of its own (issue 17)."""

from __future__ import annotations

from kai_match.matching.ranking_access import commute_step
from tests.builders import make_placement, matching_job, matching_person, pseudonyms_of
from tests.world import World


def ranked(client, vacancy_id: int, headers: dict) -> list[dict]:
    response = client.get(f"/api/v1/vacancies/{vacancy_id}/matches", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def send_to_employer(client, participant_id: int, vacancy_id: int) -> dict:
    placement = make_placement(client, participant_id, vacancy_id)
    for state in ("proposed", "accepted_by_participant", "sent_to_employer"):
        moved = client.post(f"/api/v1/placements/{placement['id']}/transitions", json={"to": state})
        assert moved.status_code == 200, moved.text
    return placement


def test_two_employers_see_different_stable_pseudonyms_and_counsellors_see_both(
    client, world: World
):
    person = matching_person(client)
    job_a = matching_job(client, world.employer_a["id"])
    job_b = matching_job(client, world.employer_b["id"])
    a, b = world.headers("employer_a"), world.headers("employer_b")
    first_a = {i["participant_public_id"] for i in ranked(client, job_a["id"], a)}
    first_b = {i["participant_public_id"] for i in ranked(client, job_b["id"], b)}

    audience_a, audience_b = (
        f"employer:{world.employer_a['id']}",
        f"employer:{world.employer_b['id']}",
    )
    known_as = pseudonyms_of(client, person["id"])
    assert known_as[audience_a] in first_a and known_as[audience_b] in first_b
    assert len({known_as[audience_a], known_as[audience_b], person["public_id"]}) == 3
    assert known_as[audience_a].startswith("P-") and len(known_as[audience_a]) == 10
    assert not first_a & first_b  # nobody is known to both by the same id
    # Stable: a later ranking (and another vacancy of the same employer) uses the same ids.
    other_job_a = matching_job(client, world.employer_a["id"], title="Kommissionierer/in")
    assert {i["participant_public_id"] for i in ranked(client, job_a["id"], a)} == first_a
    assert known_as[audience_a] in {
        i["participant_public_id"] for i in ranked(client, other_job_a["id"], a)
    }

    counsellor = world.headers("counsellor_a")  # the person's site
    record = client.get(f"/api/v1/participants/{person['id']}", headers=counsellor).json()
    assert [(p["audience"], p["pseudonym"]) for p in record["pseudonyms"]] == sorted(
        [(audience_a, known_as[audience_a]), (audience_b, known_as[audience_b])]
    )
    own = ranked(client, job_a["id"], counsellor)
    mine = next(i for i in own if i["participant_id"] == person["id"])
    assert mine["participant_public_id"] == person["public_id"]

    # The audit names the person by their own public id, whatever the employer was shown.
    entries = client.get(
        "/api/v1/audit", params={"key_id": world.keys["employer_a"]["id"], "limit": 100}
    ).json()["items"]
    assert entries and {e["action"] for e in entries} == {"rank"}
    assert person["public_id"] in {e["public_id"] for e in entries}
    assert not {e["public_id"] for e in entries} & first_a


def test_an_employer_cannot_use_another_employers_pseudonym(client, world: World):
    person = matching_person(client)
    job_a = matching_job(client, world.employer_a["id"])
    job_b = matching_job(client, world.employer_b["id"])
    placement_a = send_to_employer(client, person["id"], job_a["id"])
    placement_b = send_to_employer(client, person["id"], job_b["id"])
    a, b = world.headers("employer_a"), world.headers("employer_b")
    in_ranking = {i["participant_public_id"] for i in ranked(client, job_a["id"], a)}

    listed_a = client.get("/api/v1/placements", headers=a).json()["items"]
    assert [p["id"] for p in listed_a] == [placement_a["id"]]
    mine = listed_a[0]["participant_public_id"]
    assert mine in in_ranking  # the same id in rankings and placements
    theirs = client.get(f"/api/v1/placements/{placement_b['id']}", headers=b).json()
    assert theirs["participant_public_id"] not in {mine, person["public_id"]}

    def filtered(headers: dict, public_id: str) -> list[int]:
        response = client.get(
            "/api/v1/placements", params={"participant_public_id": public_id}, headers=headers
        )
        assert response.status_code == 200, response.text
        return [p["id"] for p in response.json()["items"]]

    assert filtered(a, mine) == [placement_a["id"]]
    assert filtered(a, theirs["participant_public_id"]) == []
    assert filtered(a, person["public_id"]) == []
    assert filtered(b, theirs["participant_public_id"]) == [placement_b["id"]]
    assert filtered(b, mine) == []
    # Admins and counsellors name people by their own public ids, not by a pseudonym.
    assert filtered({}, person["public_id"]) == [placement_a["id"], placement_b["id"]]
    assert filtered({}, mine) == []


def test_audiences_get_commute_minutes_in_five_minute_steps(client, world: World):
    person = matching_person(client, home_postal_code="04564")  # Böhlen, a few km from Borna
    job = matching_job(client, world.employer_a["id"])
    exact = next(i for i in ranked(client, job["id"], {}) if i["participant_id"] == person["id"])
    assert exact["commute_minutes"] % 5 != 0  # the estimate is not a round number here
    for role in ("employer_a", "partner", "analyst"):
        items = ranked(client, job["id"], world.headers(role))
        assert items and all(i["commute_minutes"] % 5 == 0 for i in items)
        known_as = pseudonyms_of(client, person["id"])
        audience = next(a for a in known_as if a.startswith(role.split("_")[0]))
        theirs = next(i for i in items if i["participant_public_id"] == known_as[audience])
        assert theirs["commute_minutes"] == commute_step(exact["commute_minutes"])
    assert commute_step(12.4) == 10.0 and commute_step(12.6) == 15.0 and commute_step(1.0) == 5.0
    assert commute_step(0.0) == 0.0 and commute_step(float("inf")) == float("inf")
