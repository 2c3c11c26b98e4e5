"""Migration 0009 (exact places) goes down and up again on a database with data in it."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from kai_match.migrate import alembic_config, upgrade
from kai_match.models import metadata
from tests.builders import matching_job, matching_person
from tests.world import World

PLACE_COLUMNS = {
    "participant": {"home_municipality_ags", "home_lat", "home_lon"},
    "vacancy": {"municipality_ags", "lat", "lon"},
}


def _columns(engine, table: str) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns(table)}


def test_0009_round_trip_keeps_the_records_and_starts_the_places_empty(
    client, engine, world: World
):
    person = matching_person(
        client,
        home_postal_code="04808",
        home_municipality="Lossatal",
        home_location={"lat": 51.4, "lon": 12.87},
    )
    job = matching_job(client, world.employer_a["id"], postal_code="04808", municipality="Wurzen")
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    for table, columns in PLACE_COLUMNS.items():
        assert not columns & _columns(engine, table), table

    upgrade(engine)
    for table, columns in PLACE_COLUMNS.items():
        assert columns <= _columns(engine, table), table
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT home_postal_code, home_municipality_ags, home_lat FROM participant"
                " WHERE id = :id"
            ),
            {"id": person["id"]},
        ).one()
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    assert tuple(row) == ("04808", None, None)
    stored = client.get(f"/api/v1/vacancies/{job['id']}").json()
    assert (stored["municipality"], stored["location"]) == ("Wurzen", None)
