"""``kai-match import``: bulk files and the BA job search from the command line.

The commands use the same service as ``POST …/bulk`` (one report, one set of rules), with a
progress bar on stderr and the report on stdout; ``--report FILE`` writes the full report as
JSON. They act as an admin (``actor: cli``), as every command here does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kai_match.cli.engine import configured_engine
from kai_match.config import get_settings

import_app = typer.Typer(
    help="Import records from files or the BA job search.", no_args_is_help=True
)

DryRun = Annotated[bool, typer.Option("--dry-run", help="Check every row, store nothing")]
Atomic = Annotated[bool, typer.Option("--atomic", help="All rows or none")]
ReportFile = Annotated[
    Path | None, typer.Option("--report", help="Write the full per-row report here (JSON)")
]


def _principal(command: str):
    from kai_match.kit.principal import Principal
    from kai_match.models.api_key import Role

    return Principal(role=Role.admin, actor="cli", route=f"CLI import {command}")


def _bulk(
    kind_name: str, path: Path, dry_run: bool, atomic: bool, report_file: Path | None
) -> None:
    from sqlmodel import Session
    from tqdm import tqdm

    from kai_match.errors import InvalidInput
    from kai_match.imports.bulk import BulkOptions, run_import
    from kai_match.imports.rows import SUFFIXES, parse
    from kai_match.models.external_ref import RefResource

    kind = RefResource(kind_name)
    body_format = SUFFIXES.get(path.suffix.lower())
    if body_format is None:
        raise typer.BadParameter(f"use a file ending in {', '.join(sorted(SUFFIXES))}")
    settings = get_settings()
    try:
        body = parse(path.read_bytes(), body_format, max_rows=10 * settings.bulk_max_rows)
    except InvalidInput as exc:
        _fail(exc)
    engine = configured_engine()
    try:
        with (
            Session(engine, expire_on_commit=False) as session,
            session.begin(),
            tqdm(total=len(body.rows), unit="rows", desc=path.name, disable=None) as bar,
        ):
            report = run_import(
                session,
                kind,
                body,
                _principal(kind_name),
                BulkOptions(dry_run=dry_run, atomic=atomic),
                progress=bar.update,
            )
    except InvalidInput as exc:
        _fail(exc)
    finally:
        engine.dispose()
    if report_file is not None:
        report_file.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    typer.echo(
        f"{report.rows} rows: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.failed} failed"
        + ("" if report.written else " — nothing stored (dry run or atomic)")
    )
    for result in report.results:
        for error in result.errors:
            typer.echo(f"  row {result.row}: {error.field}: {error.message}", err=True)
    if report.failed:
        raise typer.Exit(1)


def _fail(exc) -> None:
    typer.echo(f"error: {exc.detail}", err=True)
    for error in exc.errors:
        typer.echo(f"  {error.field}: {error.message}", err=True)
    raise typer.Exit(2)


@import_app.command("vacancies")
def vacancies(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV, JSON, JSONL")],
    dry_run: DryRun = False,
    atomic: Atomic = False,
    report: ReportFile = None,
) -> None:
    """Vacancies from a CSV, JSON or JSON Lines file (columns in docs/partners.md)."""
    _bulk("vacancy", path, dry_run, atomic, report)


@import_app.command("employers")
def employers(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    dry_run: DryRun = False,
    atomic: Atomic = False,
    report: ReportFile = None,
) -> None:
    """Employers from a CSV, JSON or JSON Lines file."""
    _bulk("employer", path, dry_run, atomic, report)


@import_app.command("participants")
def participants(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    dry_run: DryRun = False,
    atomic: Atomic = False,
    report: ReportFile = None,
) -> None:
    """Participant profiles from a CSV, JSON or JSON Lines file."""
    _bulk("participant", path, dry_run, atomic, report)


@import_app.command("ba")
def ba(
    path: Annotated[
        Path | None,
        typer.Argument(help="A saved search answer or a folder of pages (with details/)"),
    ] = None,
    from_api: Annotated[
        bool, typer.Option("--from-api", help="Search the BA API at KAI_BA_API_URL")
    ] = False,
    wo: Annotated[str | None, typer.Option(help="Place to search around (API)")] = None,
    umkreis: Annotated[int | None, typer.Option(help="Radius in km (API)")] = None,
    was: Annotated[str | None, typer.Option(help="What: job title or keyword (API)")] = None,
    angebotsart: Annotated[
        int | None, typer.Option(help="1 job, 4 apprenticeship, 34 internship (API)")
    ] = None,
    default_german_level: Annotated[
        str, typer.Option(help="German level of ads that state none")
    ] = "A2",
    page_size: Annotated[int, typer.Option(min=1, max=100, help="Ads per page (API)")] = 50,
) -> None:
    """Import the BA job search: new, updated, unchanged and closed (vanished) vacancies."""
    from sqlmodel import Session

    from kai_match.imports import ba_import

    if from_api == (path is not None):
        raise typer.BadParameter("give a saved search FILE_OR_DIR or --from-api, not both")
    complete = True
    if path is not None:
        saved = ba_import.read_saved(path)
        items, details = saved.items, saved.details
    else:
        items, details, complete = _search_api(
            {"wo": wo, "umkreis": umkreis, "was": was, "angebotsart": angebotsart}, page_size
        )
    engine = configured_engine()
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            report = ba_import.run(
                session,
                items,
                details,
                _principal("ba"),
                complete=complete,
                default_german_level=default_german_level,
            )
    finally:
        engine.dispose()
    typer.echo(
        f"BA: {report.new} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.closed} closed, {len(report.failed)} failed, {len(report.skipped)} skipped"
    )
    if report.closing_skipped:
        typer.echo("  the search was incomplete: no vacancy was closed", err=True)
    for reference, why in report.skipped:
        typer.echo(f"  skipped {reference}: {why}", err=True)
    for reference, why in report.failed:
        typer.echo(f"  failed {reference}: {why}", err=True)
    if report.failed:
        raise typer.Exit(1)


def _search_api(params: dict, page_size: int) -> tuple[list, dict, bool]:
    from kai_match.imports.ba_client import BaClient, BaUnavailable

    settings = get_settings()
    if not settings.ba_api_url:
        raise typer.BadParameter("set KAI_BA_API_URL to search the BA API")
    query = {k: v for k, v in params.items() if v is not None}
    try:
        with BaClient(
            settings.ba_api_url,
            timeout_seconds=settings.ba_api_timeout_seconds,
            page_size=page_size,
        ) as api:
            items = list(api.search(**query))
            details = {}
            for item in items:
                reference = str(item.get("refnr") or "")
                found = api.details(reference) if reference else None
                if found is not None:
                    details[reference] = found
            return items, details, bool(api.last_search_complete)
    except BaUnavailable as exc:
        typer.echo(f"error: the BA job search is unavailable: {exc}", err=True)
        raise typer.Exit(3) from exc
