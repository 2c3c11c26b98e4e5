"""Normalisation costs CPU per text and per character: each text is capped like the look-ups'
``q`` and the request's characters in all, so one call cannot hold a worker for seconds."""

from __future__ import annotations

from kai_match.models.taxonomy import MAX_NORMALIZE_CHARACTERS, MAX_TEXT_LENGTH

URL = "/api/v1/taxonomy/normalize"


def _fields(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def test_a_text_longer_than_a_lookup_is_422_naming_it(client, world):
    texts = ["Staplerschein", "x" * (MAX_TEXT_LENGTH + 1), "Kommissionieren"]
    response = client.post(URL, json={"texts": texts}, headers=world.headers("employer_a"))
    assert response.status_code == 422, response.text[:300]
    assert _fields(response) == ["texts[1]"]


def test_the_review_request_is_refused(client, world):
    # 200 texts of 4,900 characters took 4.6 s of CPU from one employer key.
    texts = ["Gabelstapler fahren " * 245] * 200
    response = client.post(URL, json={"texts": texts}, headers=world.headers("employer_a"))
    assert response.status_code == 422, response.text[:300]
    assert set(_fields(response)) == {f"texts[{i}]" for i in range(200)}


def test_too_many_characters_in_all_is_422_on_texts(client):
    count = MAX_NORMALIZE_CHARACTERS // MAX_TEXT_LENGTH + 1
    texts = [("Lagerlogistik " * 15)[:MAX_TEXT_LENGTH]] * count
    assert all(len(t.strip()) <= MAX_TEXT_LENGTH for t in texts)
    assert sum(len(t.strip()) for t in texts) > MAX_NORMALIZE_CHARACTERS
    response = client.post(URL, json={"texts": texts})
    assert response.status_code == 422, response.text[:300]
    assert _fields(response) == ["texts"]


def test_texts_at_the_limits_are_normalised(client):
    texts = ["Gabelstapler fahren", "a" * MAX_TEXT_LENGTH]
    response = client.post(URL, json={"texts": texts, "limit": 1})
    assert response.status_code == 200, response.text
    assert [r["text"] for r in response.json()["results"]] == texts


def test_the_limits_are_in_the_openapi(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]["NormalizeRequest"]
    texts = schema["properties"]["texts"]
    assert texts["maxItems"] == 200
    assert texts["items"]["maxLength"] == MAX_TEXT_LENGTH
    assert texts["items"]["minLength"] == 1
    assert f"{MAX_NORMALIZE_CHARACTERS:,}" in texts["description"]
