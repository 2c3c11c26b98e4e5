"""Command line: serve, demo data, database upgrades."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from kai_match.cli.admin import keys_app, retention_app
from kai_match.cli.analytics import analytics_app
from kai_match.cli.engine import configured_engine
from kai_match.data.taxonomy import taxonomy_app

app = typer.Typer(help="kai-match: ranked, explained placement suggestions.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(taxonomy_app, name="taxonomy", help="Skills and occupations taxonomy.")
app.add_typer(keys_app, name="keys")
app.add_typer(retention_app, name="retention")
app.add_typer(analytics_app)  # simulate, evaluate, fit, fairness (docs/analysts.md)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load demo data into an empty database")
    ] = False,
) -> None:
    """Start the API (upgrading the schema first)."""
    import uvicorn

    _upgrade()
    if demo:
        _seed_demo_if_empty()
    # Workers must not race on migrations: this process did it once for all of them.
    os.environ["KAI_AUTO_MIGRATE"] = "false"
    typer.echo(f"kai-match on http://{host}:{port}  — API docs at http://{host}:{port}/docs")
    uvicorn.run(
        "kai_match.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
    )


@app.command()
def demo(
    participants: Annotated[int, typer.Option(min=0, help="Participants to create")] = 300,
    vacancies: Annotated[int, typer.Option(min=0, help="Vacancies to create")] = 400,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives the same district")
    ] = 7,
) -> None:
    """Fill the database with a believable district (Landkreis Leipzig)."""
    from kai_match.demo.service import seed_demo

    _upgrade()
    engine = configured_engine()
    summary = seed_demo(engine, participants=participants, vacancies=vacancies, seed=seed)
    typer.echo(
        f"demo data: {summary.employers} employers, {summary.participants} participants, "
        f"{summary.vacancies} vacancies"
    )


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision")] = "head") -> None:
    """Apply migrations up to REVISION."""
    _upgrade(revision)
    typer.echo(f"database at {revision}")


def _upgrade(revision: str = "head") -> None:
    from kai_match.migrate import upgrade

    engine = configured_engine()
    try:
        upgrade(engine, revision)
    finally:
        engine.dispose()


def _seed_demo_if_empty() -> None:
    from sqlmodel import Session, func, select

    from kai_match.demo.service import seed_demo
    from kai_match.models import Participant

    engine = configured_engine()
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(Participant)).one()
    if count:
        typer.echo(f"database already holds {count} participants; demo data not loaded again")
        return
    summary = seed_demo(engine, participants=300, vacancies=400, seed=7)
    typer.echo(
        f"demo data: {summary.employers} employers, {summary.participants} participants, "
        f"{summary.vacancies} vacancies"
    )
