"""Taxonomy look-ups over HTTP."""

from __future__ import annotations

FORKLIFT = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"
WAREHOUSE = "http://data.europa.eu/esco/occupation/bea705fe-06ac-4147-b8e0-6e8ac1208d8f"


def test_skill_autocomplete(client):
    response = client.get("/api/v1/taxonomy/skills", params={"q": "Staplerschein", "limit": 3})
    assert response.status_code == 200
    candidates = response.json()
    assert candidates[0]["id"] == FORKLIFT
    assert len(candidates) <= 3
    assert all(0 <= c["confidence"] <= 1 for c in candidates)


def test_occupation_autocomplete(client):
    response = client.get("/api/v1/taxonomy/occupations", params={"q": "Lagerhelfer"})
    assert response.json()[0]["id"] == WAREHOUSE


def test_normalize_keeps_gibberish_unnormalised(client):
    response = client.post(
        "/api/v1/taxonomy/normalize",
        json={"kind": "skill", "texts": ["Gabelstapler fahren", "xqzvbn klmpf"]},
    )
    assert response.status_code == 200, response.text
    first, second = response.json()["results"]
    assert first["chosen"]["id"] == FORKLIFT
    assert second["chosen"] is None


def test_lookup_validation(client):
    assert client.get("/api/v1/taxonomy/skills", params={"q": ""}).status_code == 422
    bad = client.post("/api/v1/taxonomy/normalize", json={"kind": "hobby", "texts": ["x"]})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "kind"
