"""Bulk import: thousands of rows in one request, upsert by reference, a per-row report."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from kai_match.main import create_app
from kai_match.models import ExternalRefRow, Vacancy, VacancySkill
from tests.builders import bearer, make_employer, make_key
from tests.conftest import ADMIN_KEY

URL = "/api/v1/vacancies/bulk"
CSV = {"Content-Type": "text/csv"}
HEADER = (
    "ref_system;ref_id;employer_id;title;type;skills;min_german_level;postal_code;openings;"
    "shifts;start_date"
)


def csv_body(employer_id: int, rows: int, *, title: str = "Lagerhelfer (m/w/d)") -> bytes:
    """German Excel's export: byte-order mark, ``;``, German dates, CRLF line ends."""
    lines = [HEADER]
    for i in range(rows):
        lines.append(
            f"erp;V-{i};{employer_id};{title} {i};job;"
            f"Kommissionieren:must:2|Gabelstapler fahren;A2;04552;{1 + i % 3};early, late;"
            "01.02.2027"
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def unmetered(settings):
    """A client whose cost budget is off: this test sends 5,000 rows four times in a minute."""
    # 5,000 rows on PostgreSQL on a loaded CI machine may take longer than the usual 30 s.
    unlimited = {"cost_budget_per_minute": 0, "request_timeout_seconds": 300}
    app = create_app(settings.model_copy(update=unlimited))
    with TestClient(app, headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as client:
        yield client


def test_five_thousand_csv_rows_in_one_request_dry_run_first(unmetered):
    client, engine = unmetered, unmetered.app.state.engine
    employer = make_employer(client)
    body = csv_body(employer["id"], 5000)
    dry = client.post(URL, content=body, headers=CSV, params={"dry_run": "true"})
    assert dry.status_code == 200, dry.text[:500]
    report = dry.json()
    assert (report["rows"], report["created"], report["failed"]) == (5000, 5000, 0)
    assert report["written"] is False and report["dry_run"] is True
    assert report["results"][0] == {
        "row": 1,
        "outcome": "created",
        "id": None,
        "ref": {"system": "erp", "id": "V-0"},
        "errors": [],
        "possible_duplicates": [],
    }
    assert count(engine, Vacancy) == 0 and count(engine, ExternalRefRow) == 0

    real = client.post(URL, content=body, headers=CSV)
    assert real.status_code == 200, real.text[:500]
    report = real.json()
    assert (report["created"], report["updated"], report["failed"]) == (5000, 0, 0)
    assert report["written"] is True
    assert count(engine, Vacancy) == 5000
    assert count(engine, VacancySkill) == 10000
    first = client.get("/api/v1/vacancies/by-ref/erp/V-0").json()
    assert first["id"] == report["results"][0]["id"]
    assert first["start_date"] == "2027-02-01" and first["shifts"] == ["early", "late"]
    assert [(s["importance"], s["level"], s["normalized"]) for s in first["skills"]] == [
        ("must", 2, True),
        ("should", 1, True),
    ]

    again = client.post(URL, content=body, headers=CSV).json()
    assert (again["unchanged"], again["created"], again["updated"]) == (5000, 0, 0)
    assert client.get("/api/v1/vacancies/by-ref/erp/V-0").headers["ETag"].endswith('-v1"')

    changed = csv_body(employer["id"], 3, title="Kommissionierer (m/w/d)")
    report = client.post(URL, content=changed, headers=CSV).json()
    assert [r["outcome"] for r in report["results"]] == ["updated"] * 3
    assert client.get("/api/v1/vacancies/by-ref/erp/V-1").json()["title"] == (
        "Kommissionierer (m/w/d) 1"
    )
    assert count(engine, Vacancy) == 5000


def test_bad_rows_are_named_and_the_good_ones_kept(client, engine):
    employer = make_employer(client)
    lines = [
        HEADER,
        f"erp;A;{employer['id']};Lagerhelfer;job;;A2;04552;1;day;",
        f"erp;B;{employer['id']};Lagerhelfer;job;;A2;00000;1;day;",
        "erp;C;999999;Lagerhelfer;job;;A2;04552;1;day;",
        f"erp;D;{employer['id']};Lagerhelfer;job;;A2;04552;eins;day;31.02.2027",
        f"erp;E;{employer['id']};Lagerhelfer;Praktikum;;A2;04552;1;day;",
    ]
    report = client.post(URL, content="\n".join(lines).encode(), headers=CSV).json()
    assert [(r["row"], r["outcome"]) for r in report["results"]] == [
        (1, "created"),
        (2, "failed"),
        (3, "failed"),
        (4, "failed"),
        (5, "failed"),
    ]
    errors = {r["row"]: r["errors"] for r in report["results"]}
    assert errors[2] == [
        {"field": "postal_code", "message": "'00000' is not a known German postal code"}
    ]
    assert errors[3] == [{"field": "employer_id", "message": "employer 999999 does not exist"}]
    assert errors[4] == [
        {"field": "openings", "message": "must be a whole number"},
        {"field": "start_date", "message": "must be a date: 2027-01-31 or 31.01.2027"},
    ]
    assert errors[5][0]["field"] == "type"
    assert count(engine, Vacancy) == 1

    atomic = client.post(
        URL, content="\n".join(lines).encode(), headers=CSV, params={"atomic": "true"}
    )
    assert atomic.status_code == 422, atomic.text
    problem = atomic.json()
    assert problem["detail"] == "4 of 5 rows failed; with atomic=true nothing was stored."
    assert problem["errors"][0] == {
        "field": "rows[2].postal_code",
        "message": "'00000' is not a known German postal code",
    }
    assert count(engine, Vacancy) == 1


def test_json_array_json_lines_and_employer_references(client, engine):
    employer = client.put(
        "/api/v1/employers/by-ref/ba/kd-1", json={"name": "Lager Nord GmbH", "postal_code": "04552"}
    ).json()
    row = {
        "employer_ref": {"system": "ba", "id": "kd-1"},
        "title": "Helfer/in - Lager",
        "type": "job",
        "min_german_level": "A2",
        "postal_code": "04552",
        "openings": 2,
        "external_refs": [{"system": "ba", "id": "10000-1"}],
    }
    as_array = client.post(URL, json=[row, row | {"external_refs": []}])
    assert as_array.status_code == 200, as_array.text
    assert [r["outcome"] for r in as_array.json()["results"]] == ["created", "created"]
    lines = "\n".join(
        json.dumps(r) for r in (row, row | {"employer_ref": {"system": "ba", "id": "x"}})
    )
    as_lines = client.post(URL, content=lines, headers={"Content-Type": "application/x-ndjson"})
    assert as_lines.status_code == 200, as_lines.text
    results = as_lines.json()["results"]
    assert results[0]["outcome"] == "unchanged"
    assert results[1]["errors"] == [
        {"field": "employer_ref", "message": "names no employer (ba/x)"}
    ]
    stored = client.get("/api/v1/vacancies/by-ref/ba/10000-1").json()
    assert stored["employer_id"] == employer["id"]


def test_job_postings_in_a_graph_upsert_by_identifier(client, world):
    posting = {
        "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "propertyID": "ba", "value": "R-9"},
        "title": "Lagerhelfer/in (m/w/d)",
        "employmentType": "FULL_TIME",
        "jobLocation": {"@type": "Place", "address": {"postalCode": "04552"}},
        "kai:minGermanLevel": "A2",
    }
    graph = {"@context": "https://schema.org", "@graph": [posting, posting | {"identifier": "x"}]}
    params = {"employer_id": world.employer_a["id"]}
    first = client.post(URL, json=graph, params=params)
    assert first.status_code == 200, first.text
    assert [r["outcome"] for r in first.json()["results"]] == ["created", "created"]
    second = client.post(URL, json=graph, params=params).json()
    assert [r["outcome"] for r in second["results"]] == ["unchanged", "created"]


def test_refused_bodies_name_the_rule(client):
    employer = make_employer(client)
    unknown = f"ref_system;ref_id;employer_id;titel\nerp;1;{employer['id']};Lager\n"
    answer = client.post(URL, content=unknown.encode(), headers=CSV)
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "column titel", "message": "is no known column"}]
    latin1 = client.post(URL, content="title\nK\xfcche\n".encode("latin-1"), headers=CSV)
    assert latin1.status_code == 422
    assert latin1.json()["errors"][0]["field"] == "body"
    xml = client.post(URL, content=b"<rows/>", headers={"Content-Type": "application/xml"})
    assert xml.status_code == 422
    assert xml.json()["errors"][0]["field"] == "Content-Type"


def test_partners_import_only_by_their_reference(client):
    employer = make_employer(client)
    partner = make_key(client, "partner", ref_systems=["jobcenter"])
    body = [
        {
            "employer_id": employer["id"],
            "title": "Küchenhilfe",
            "type": "job",
            "min_german_level": "A1",
            "postal_code": "04668",
            "openings": 1,
            "external_refs": refs,
        }
        for refs in ([{"system": "jobcenter", "id": "S-1"}], [], [{"system": "ba", "id": "1"}])
    ]
    report = client.post(URL, json=body, headers=bearer(partner)).json()
    assert [r["outcome"] for r in report["results"]] == ["created", "failed", "failed"]
    assert report["results"][1]["errors"] == [
        {"field": "external_refs", "message": "a partner key writes by reference only"}
    ]
    assert report["results"][2]["errors"] == [
        {"field": "external_refs[0].system", "message": "this key may not set references of 'ba'"}
    ]


def test_one_request_pays_by_rows_and_bulk_bodies_may_be_larger(settings):
    app = create_app(
        settings.model_copy(update={"cost_budget_per_minute": 100, "max_body_bytes": 20_000})
    )
    with TestClient(app, headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as client:
        employer = make_employer(client)
        body = csv_body(employer["id"], 1500)  # about 160 kB: over the usual limit
        assert len(body) > 20_000
        first = client.post(URL, content=body, headers=CSV)
        assert first.status_code == 200, first.text[:300]
        assert first.json()["created"] == 1500
        again = client.post(URL, content=body, headers=CSV)
        assert again.status_code == 429, again.text[:300]
        assert "bulk import" in again.json()["detail"]
        plain = client.post(
            "/api/v1/vacancies", content=body, headers={"Content-Type": "application/json"}
        )
        assert plain.status_code == 413
