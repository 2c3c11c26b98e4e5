"""Command line for access and data protection: ``kai-match keys …`` and ``kai-match retention``."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer

from kai_match.cli.engine import configured_engine
from kai_match.config import get_settings
from kai_match.kit.principal import Principal
from kai_match.models.api_key import Role

keys_app = typer.Typer(help="API keys (the secret is printed once).", no_args_is_help=True)
retention_app = typer.Typer(help="Retention of archived profiles.", no_args_is_help=True)


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="admin, counsellor, employer, partner or analyst")],
    site: Annotated[str | None, typer.Option(help="Site of a counsellor key")] = None,
    employer_id: Annotated[int | None, typer.Option(help="Employer of an employer key")] = None,
    label: Annotated[str | None, typer.Option(help="What the key is for")] = None,
    ref_system: Annotated[
        list[str] | None,
        typer.Option(help="A partner system whose external references the key may set (repeat)"),
    ] = None,
) -> None:
    """Create a key and print it; store it now, it cannot be shown again."""
    from pydantic import ValidationError
    from sqlmodel import Session

    from kai_match.access.service import KeyHasher, create_key
    from kai_match.errors import InvalidInput
    from kai_match.models.api_key import ApiKeyCreate

    try:
        data = ApiKeyCreate(
            role=role,
            site=site,
            employer_id=employer_id,
            label=label,
            ref_systems=ref_system or [],
        )
    except ValidationError as exc:
        _fail("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()))
    settings = get_settings()
    engine = configured_engine()
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            created = create_key(
                session=session,
                data=data,
                hasher=KeyHasher(cheap=settings.environment == "test"),
                principal=_cli_principal("keys create"),
            )
    except InvalidInput as exc:
        _fail("; ".join(f"{e.field}: {e.message}" for e in exc.errors))
    finally:
        engine.dispose()
    binding = created.site or (f"employer {created.employer_id}" if created.employer_id else "")
    typer.echo(f"key {created.id} ({created.role}{' ' + binding if binding else ''}):")
    typer.echo(created.key)


@keys_app.command("list")
def keys_list(
    include_revoked: Annotated[bool, typer.Option(help="Show revoked keys too")] = False,
) -> None:
    """List keys (never their secrets)."""
    from sqlmodel import Session

    from kai_match.access.service import list_keys
    from kai_match.kit.pagination import PageRequest

    engine = configured_engine()
    with Session(engine) as session:
        page = list_keys(
            session=session,
            page=PageRequest(limit=10_000, after_id=None),
            include_revoked=include_revoked,
        )
    engine.dispose()
    for key in page.items:
        binding = key.site or (f"employer {key.employer_id}" if key.employer_id else "-")
        revoked = f" revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else ""
        typer.echo(f"{key.id}\t{key.prefix}\t{key.role}\t{binding}\t{key.label or ''}{revoked}")


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[int, typer.Argument(help="Id of the key")]) -> None:
    """Revoke a key at once (in every worker)."""
    from sqlmodel import Session

    from kai_match.access.service import get_key, revoke_key
    from kai_match.errors import NotFound

    engine = configured_engine()
    try:
        with Session(engine) as session, session.begin():
            key = get_key(session=session, key_id=key_id)
            revoke_key(session=session, key=key, principal=_cli_principal("keys revoke"))
    except NotFound as exc:
        _fail(exc.detail)
    finally:
        engine.dispose()
    typer.echo(f"key {key_id} revoked")


@retention_app.command("run")
def retention_run(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list what is due")] = False,
) -> None:
    """Erase personal data of profiles archived longer than KAI_RETENTION_DAYS."""
    from sqlmodel import Session

    from kai_match.privacy.service import run_retention

    settings = get_settings()
    engine = configured_engine()
    with Session(engine, expire_on_commit=False) as session, session.begin():
        due = run_retention(
            session=session, retention_days=settings.retention_days, dry_run=dry_run
        )
    engine.dispose()
    verb = "due for erasure" if dry_run else "erased"
    typer.echo(
        f"{len(due)} profiles archived over {settings.retention_days} days {verb}"
        + (": " + ", ".join(due) if due else "")
    )


def _cli_principal(command: str) -> Principal:
    return Principal(role=Role.admin, actor="cli", route=f"CLI {command}")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)
