"""The feed in English and as CSV (issue 19, item 7): reason texts follow `lang` or
Accept-Language; `Accept: text/csv` gives one row per list item with the walk's cursor in
headers, and walking the CSV pages gives the same lists as the JSON walk. Both backends.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from tests.builders import matching_job, matching_person
from tests.world import World

C1 = {"german_level": "C1"}  # the world's people never qualify, so the lists hold ours alone


def _page(client, headers: dict, **params) -> Any:
    response = client.get("/api/v1/match-lists", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response


def _json_walk(client, headers: dict) -> list[tuple[str, str, int, float]]:
    rows, since = [], None
    while True:
        params = {"side": "vacancy", "limit": 1} | ({"since": since} if since else {})
        body = _page(client, headers, **params).json()
        for entry in body["lists"]:
            for item in (entry["ranking"] or {}).get("items", []):
                rows.append(
                    (
                        str(entry["vacancy_id"]),
                        item["participant_public_id"],
                        item["rank"],
                        item["score"],
                    )
                )
        since = body["next_cursor"]
        if not body["has_more"]:
            return rows


def _csv_walk(client, headers: dict) -> list[tuple[str, str, int, float]]:
    rows, since = [], None
    csv_headers = headers | {"Accept": "text/csv"}
    while True:
        params = {"side": "vacancy", "limit": 1} | ({"since": since} if since else {})
        response = _page(client, csv_headers, **params)
        assert response.headers["content-type"].startswith("text/csv")
        for row in csv.DictReader(io.StringIO(response.text)):
            if row["rank"]:
                rows.append(
                    (
                        row["list_vacancy_id"],
                        row["participant_public_id"],
                        int(row["rank"]),
                        float(row["score"]),
                    )
                )
        since = response.headers["X-Next-Cursor"]
        if response.headers["X-Has-More"] == "false":
            assert "Link" not in response.headers
            return rows
        assert 'rel="next"' in response.headers["Link"]


def test_the_csv_walk_holds_the_json_walk(client, world: World):
    jobs = [matching_job(client, world.employer_a["id"], min_german_level="C1") for _ in range(2)]
    people = [matching_person(client, site=s, **C1) for s in ("grimma", "borna")]
    partner = world.headers("partner")
    from_json = _json_walk(client, partner)
    from_csv = _csv_walk(client, partner)
    assert from_csv == from_json
    ours = {str(j["id"]) for j in jobs}
    assert {row[0] for row in from_csv} >= ours
    assert sum(1 for row in from_csv if row[0] in ours) == len(jobs) * len(people)


def test_reason_texts_follow_lang(client, world: World):
    job = matching_job(client, world.employer_a["id"], min_german_level="C1")
    matching_person(client, **C1)
    partner = world.headers("partner")

    def reasons(**kw) -> list[str]:
        headers = partner | kw.pop("headers", {})
        body = _page(client, headers, side="vacancy", limit=100, **kw).json()
        entry = next(e for e in body["lists"] if e["vacancy_id"] == job["id"])
        return [c["reason"] for it in entry["ranking"]["items"] for c in it["components"].values()]

    german, english = reasons(), reasons(lang="en")
    assert any(r.startswith("Deutsch C1") for r in german)
    assert any(r.startswith("German C1") for r in english)
    assert reasons(headers={"Accept-Language": "en-GB,en;q=0.8"}) == english
    bad = client.get("/api/v1/match-lists", params={"lang": "xx"}, headers=partner)
    assert bad.status_code == 422
    assert "lang" in bad.text
