"""Migrations build exactly the schema the models describe, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from kai_match.db import normalise_url
from kai_match.models import metadata


def test_no_autogenerate_diff(database_url):
    engine = create_engine(normalise_url(database_url))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    assert diff == []


def test_list_columns_written_as_null_become_empty_lists(database_url):
    """0005 makes list columns NOT NULL; rows an older version stored with NULL keep working."""
    from alembic import command
    from sqlalchemy import text

    from kai_match.config import Settings
    from kai_match.db import make_engine
    from kai_match.migrate import alembic_config, upgrade

    engine = make_engine(Settings(database_url=database_url))
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO employer (name, postal_code, sector, support, version, created_at,"
                " updated_at) VALUES ('Alt GmbH', '04668', 'C10.1', NULL, 1, :now, :now)"
            ),
            {"now": "2026-01-01 00:00:00"},
        )
    upgrade(engine)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT support FROM employer")).scalar_one()
    engine.dispose()
    assert stored in ([], "[]")


def test_pseudonym_backfill_keeps_the_ids_audiences_already_hold(client, database_url, world):
    """0007: employers keep today's id of people in their placements or shown to their keys;
    partner systems and analysts found in the audit log keep it for everyone."""
    from alembic import command
    from sqlalchemy import insert, text

    from kai_match.config import Settings
    from kai_match.db import make_engine
    from kai_match.migrate import alembic_config, upgrade
    from kai_match.models import AuditEntry
    from kai_match.models.common import utcnow
    from tests.builders import make_placement, pseudonyms_of

    a, b = world.participant_a, world.participant_b
    make_placement(client, a["id"], world.vacancy_a["id"])
    engine = make_engine(Settings(database_url=database_url))
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    shown = [  # what the audit log of the old version holds: (role, actor, key, person)
        ("employer", f"key:{world.keys['employer_b']['id']}", world.keys["employer_b"]["id"], b),
        ("partner", f"key:{world.keys['partner']['id']}", world.keys["partner"]["id"], a),
        ("analyst", f"key:{world.keys['analyst']['id']}", world.keys["analyst"]["id"], b),
    ]
    with engine.begin() as connection:
        connection.execute(
            insert(AuditEntry.__table__),
            [
                {"at": utcnow(), "actor": actor, "key_id": key, "role": role, "action": "rank"}
                | {
                    "route": "GET /api/v1/vacancies/{vacancy_id}/matches",
                    "public_id": p["public_id"],
                }
                for role, actor, key, p in shown
            ],
        )
    upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT participant_id, audience, pseudonym FROM participant_pseudonym")
        ).all()
    engine.dispose()
    employer_a, employer_b = (
        f"employer:{world.employer_a['id']}",
        f"employer:{world.employer_b['id']}",
    )
    partner = f"partner:key:{world.keys['partner']['id']}"
    assert sorted(tuple(r) for r in rows) == sorted(
        [
            (a["id"], employer_a, a["public_id"]),  # a placement at employer A's vacancy
            (a["id"], partner, a["public_id"]),
            (a["id"], "analyst", a["public_id"]),
            (b["id"], employer_b, b["public_id"]),  # shown to employer B's key
            (b["id"], partner, b["public_id"]),
            (b["id"], "analyst", b["public_id"]),
        ]
    )
    assert pseudonyms_of(client, a["id"]) == {
        employer_a: a["public_id"],
        partner: a["public_id"],
        "analyst": a["public_id"],
    }
    # The backfilled ids are what the audiences get from now on; anyone else gets a new one.
    analyst = client.get(f"/api/v1/participants/{b['id']}", headers=world.headers("analyst"))
    assert analyst.json()["public_id"] == b["public_id"]
    spare = client.get("/api/v1/match-lists", params={"limit": 10}, headers=world.headers("spare"))
    assert spare.status_code == 200, spare.text
    fresh = pseudonyms_of(client, b["id"])[f"partner:key:{world.keys['spare']['id']}"]
    assert fresh != b["public_id"]
    assert fresh in {i["participant_public_id"] for i in spare.json()["lists"]}
