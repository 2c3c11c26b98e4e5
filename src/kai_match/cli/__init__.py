"""Command line: serve, demo data, database upgrades."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from kai_match import __version__
from kai_match.cli.accounts import accounts_app
from kai_match.cli.admin import keys_app, retention_app
from kai_match.cli.analytics import analytics_app
from kai_match.cli.engine import configured_engine
from kai_match.cli.errors import run
from kai_match.cli.imports import import_app
from kai_match.cli.transit import transit_app
from kai_match.cli.webhooks import webhooks_app
from kai_match.config import get_settings
from kai_match.data.taxonomy import taxonomy_app
from kai_match.logging_setup import configure_logging

app = typer.Typer(help="kai-match: ranked, explained placement suggestions.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema, backup and restore.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(taxonomy_app, name="taxonomy", help="Skills and occupations taxonomy.")
app.add_typer(keys_app, name="keys")
app.add_typer(accounts_app, name="accounts")
app.add_typer(retention_app, name="retention")
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(transit_app, name="transit")
app.add_typer(import_app, name="import")
app.add_typer(analytics_app)  # simulate, evaluate, fit, fairness (docs/analysts.md)


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"kai-match {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit"
        ),
    ] = False,
) -> None:
    """kai-match: ranked, explained placement suggestions (add --debug to see tracebacks)."""


def main() -> None:
    """The ``kai-match`` console script: errors as one line and an exit code (``cli.errors``)."""
    raise SystemExit(run(app))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[
        int,
        typer.Option(min=1, envvar="KAI_WORKERS", help="Worker processes (> 1: under gunicorn)"),
    ] = 1,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load demo data into an empty database")
    ] = False,
    worker_timeout: Annotated[
        int,
        typer.Option(
            min=0,
            envvar="KAI_WORKER_TIMEOUT",
            help="Seconds a worker may take to start or stay silent before it is replaced (0: never)",
        ),
    ] = 60,
    graceful_timeout: Annotated[
        int,
        typer.Option(
            min=1,
            envvar="KAI_GRACEFUL_TIMEOUT",
            help="Seconds workers get to finish their requests on stop or restart",
        ),
    ] = 30,
    keep_alive: Annotated[
        int,
        typer.Option(min=1, envvar="KAI_KEEP_ALIVE", help="Seconds an idle connection is kept"),
    ] = 5,
    reuse_port: Annotated[
        bool,
        typer.Option(
            envvar="KAI_REUSE_PORT",
            help="A listening socket per worker (SO_REUSEPORT), so connections are spread evenly",
        ),
    ] = True,
) -> None:
    """Start the API (upgrading the schema first, unless KAI_AUTO_MIGRATE=false).

    One worker runs in plain uvicorn; several run under gunicorn (docs/operations.md).
    """
    typer.echo(
        f"kai-match on http://{host}:{port}  — console (sign-in) at http://{host}:{port}/ ,"
        f" API docs at http://{host}:{port}/docs"
    )
    if workers > 1:
        from kai_match.cli.process import ProcessOptions, run_workers

        options = ProcessOptions(
            host=host,
            port=port,
            workers=workers,
            worker_timeout=worker_timeout,
            graceful_timeout=graceful_timeout,
            keep_alive=keep_alive,
            reuse_port=reuse_port,
        )
        run_workers(options, prepare=lambda: _prepare(demo=demo))
        return
    import uvicorn

    _prepare(demo=demo)
    os.environ["KAI_AUTO_MIGRATE"] = "false"  # done above; the app reads its settings anew
    get_settings.cache_clear()
    settings = get_settings()
    # One log format from the first line on: uvicorn keeps the handlers set up here.
    configure_logging(settings.log_level, settings.log_json)
    uvicorn.run(
        "kai_match.main:create_app",
        factory=True,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        timeout_keep_alive=keep_alive,
        timeout_graceful_shutdown=graceful_timeout,
    )


def _prepare(*, demo: bool) -> None:
    """Migrations and demo data, once, before any worker starts."""
    if get_settings().auto_migrate:
        _upgrade()
    if demo:
        _seed_demo(participants=300, vacancies=400, seed=7)


@app.command()
def demo(
    participants: Annotated[int, typer.Option(min=0, help="Participants to create")] = 300,
    vacancies: Annotated[int, typer.Option(min=0, help="Vacancies to create")] = 400,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives the same district")
    ] = 7,
) -> None:
    """Fill the database with a believable district (Landkreis Leipzig)."""
    _upgrade()
    _seed_demo(participants=participants, vacancies=vacancies, seed=seed)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision")] = "head") -> None:
    """Apply migrations up to REVISION (never down: see `db downgrade`)."""
    from kai_match.migrate import current_revision, is_older

    engine = configured_engine()
    try:
        current = current_revision(engine)
        if is_older(revision, current):
            _fail(
                f"the database is at {current}, newer than {revision}; "
                f"`kai-match db downgrade {revision}` takes it back"
            )
    except ValueError as exc:
        _fail(str(exc))
    finally:
        engine.dispose()
    _upgrade(revision)
    typer.echo(f"database at {_current()}")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision (`base`: empty schema)")],
) -> None:
    """Take the schema back to REVISION, undoing newer migrations (see docs/operations.md)."""
    from kai_match.migrate import current_revision, downgrade, is_older, resolve

    engine = configured_engine()
    try:
        target = resolve(revision)
        current = current_revision(engine)
        if current is None or not is_older(target, current):
            _fail(f"the database is at {current or 'base'}, not newer than {revision}")
        downgrade(engine, target)
    except ValueError as exc:
        _fail(str(exc))
    finally:
        engine.dispose()
    typer.echo(f"database at {_current()}")


@db_app.command("current")
def db_current() -> None:
    """Print the revision the database is at (`base`: not migrated yet)."""
    typer.echo(_current())


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup (replaced when done)")],
) -> None:
    """Write a consistent backup while the service runs (SQLite: online backup; PostgreSQL: pg_dump -Fc)."""
    from kai_match.backup import BackupError, backup

    try:
        result = backup(get_settings().database_url, file)
    except BackupError as exc:
        _fail(str(exc))
    typer.echo(
        f"backup written to {result.path} ({result.size_bytes} bytes, "
        f"schema revision {result.revision or 'base'})"
    )


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="A backup made by `kai-match db backup`")],
) -> None:
    """Replace the database's contents with a backup (see docs/operations.md, restore drill)."""
    from kai_match.backup import BackupError, restore

    try:
        result = restore(get_settings().database_url, file)
    except BackupError as exc:
        _fail(str(exc))
    typer.echo(f"restored {file} into {result.target} (schema revision {result.revision})")
    if result.behind_head:
        typer.echo(
            "the backup's schema is older than this release: run `kai-match db upgrade` "
            "(serve does it at start unless KAI_AUTO_MIGRATE=false)"
        )


def _current() -> str:
    from kai_match.migrate import current_revision

    engine = configured_engine()
    try:
        return current_revision(engine) or "base"
    finally:
        engine.dispose()


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def _upgrade(revision: str = "head") -> None:
    from kai_match.migrate import upgrade

    engine = configured_engine()
    try:
        upgrade(engine, revision)
    finally:
        engine.dispose()


def _seed_demo(*, participants: int, vacancies: int, seed: int) -> None:
    """Seed the demo district unless the database already holds participants (idempotent)."""
    from kai_match.demo.service import seed_demo

    engine = configured_engine()
    try:
        summary = seed_demo(
            engine,
            participants=participants,
            vacancies=vacancies,
            seed=seed,
            cheap_hashes=get_settings().environment == "test",
        )
    finally:
        engine.dispose()
    if summary.already_present:
        typer.echo(
            f"database already holds {summary.already_present} participants; "
            "demo data not loaded again"
        )
        return
    typer.echo(
        f"demo data: {summary.employers} employers, {summary.participants} participants, "
        f"{summary.vacancies} vacancies"
    )
    if summary.history is not None:
        typer.echo(
            f"history: {summary.history.placements} placements (each on a vacancy of its own), "
            f"{summary.history.follow_ups} follow-ups"
        )
    for account in summary.accounts:
        typer.echo(
            f"console account {account.username} ({account.display_name}), "
            f"password {account.password}"
        )
