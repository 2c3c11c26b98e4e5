"""Command line for console accounts: ``kai-match accounts create | reset-password | bind | list``.

The first admin account is made here (the console's admin page makes the rest). Passwords are
asked for at a hidden prompt, or read from standard input with ``--password-stdin`` (scripts);
never from the command line, where they would land in the shell history.
"""

from __future__ import annotations

import sys
from typing import Annotated, NoReturn

import typer

from kai_match.cli.engine import configured_engine
from kai_match.config import get_settings
from kai_match.errors import KaiError
from kai_match.models.common import Site

accounts_app = typer.Typer(help="Console accounts of counsellors and admins.", no_args_is_help=True)

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input")
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def _fail(error: KaiError) -> NoReturn:
    reasons = "; ".join(f"{e.field}: {e.message}" for e in error.errors) or error.detail
    typer.echo(f"error: {reasons}", err=True)
    raise typer.Exit(2)


def _run(work):
    from sqlmodel import Session

    engine = configured_engine()
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            return work(session)
    except KaiError as error:
        _fail(error)
    finally:
        engine.dispose()


@accounts_app.command("create")
def create(
    username: Annotated[str, typer.Argument(help="Lower-case name to sign in with")],
    role: Annotated[str, typer.Option(help="counsellor or admin")] = "counsellor",
    site: Annotated[
        Site | None, typer.Option(case_sensitive=False, help="The counsellor's site")
    ] = None,
    name: Annotated[str, typer.Option(help="Name shown in the console")] = "",
    password_stdin: PasswordStdin = False,
) -> None:
    """Create an account (a counsellor is bound to one site)."""
    from kai_match.console.accounts import check_new_account, create_account

    password = _password(password_stdin)
    try:
        check_new_account(username, role, site.value if site else None, password)
    except KaiError as error:
        _fail(error)
    cheap = get_settings().environment == "test"
    account = _run(
        lambda session: create_account(
            session,
            username=username,
            display_name=name,
            role=role,
            site=site.value if site else None,
            password=password,
            cheap=cheap,
        )
    )
    where = f" at {account.site}" if account.site else ""
    typer.echo(f"account {account.username} ({account.role}{where}) created")


@accounts_app.command("reset-password")
def reset(
    username: Annotated[str, typer.Argument()], password_stdin: PasswordStdin = False
) -> None:
    """Set a new password; unlocks the account and ends its sessions."""
    from kai_match.console.accounts import reset_password

    password = _password(password_stdin)
    cheap = get_settings().environment == "test"
    _run(lambda session: reset_password(session, username, password, cheap=cheap))
    typer.echo(f"password of {username} set; its sessions have ended")


@accounts_app.command("bind")
def bind(
    username: Annotated[str, typer.Argument()],
    site: Annotated[Site, typer.Option(case_sensitive=False, help="The new site")],
) -> None:
    """Move a counsellor to another site (their sessions end)."""
    from kai_match.console.accounts import bind_site

    _run(lambda session: bind_site(session, username, site.value))
    typer.echo(f"{username} now works at {site.value}")


@accounts_app.command("list")
def list_accounts() -> None:
    """Accounts with role, site and whether they are locked (never a password)."""
    from sqlmodel import col, select

    from kai_match.models import UserAccount

    rows = _run(
        lambda session: list(session.exec(select(UserAccount).order_by(col(UserAccount.username))))
    )
    for row in rows:
        locked = " (locked)" if row.locked_until else ""
        typer.echo(f"{row.username:<24} {row.role:<11} {row.site or '-':<13}{locked}")
