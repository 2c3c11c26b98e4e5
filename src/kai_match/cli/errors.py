"""The command line's entry point: one line and an exit code for an error, not a traceback.

An operator who mistypes a path or runs a command while the database is down should read what
is wrong, not 50 to 500 lines of Python; ``--debug`` (anywhere on the line) shows the traceback.
Exit codes: 1 an unexpected error, 2 bad input (a usage error, a missing or unreadable file,
a malformed file), 3 the database cannot be reached.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

import typer
from sqlalchemy.exc import OperationalError

DEBUG_FLAG = "--debug"
BAD_INPUT = 2
DATABASE_DOWN = 3


def run(command: Callable[..., object], argv: Sequence[str] | None = None) -> int:
    """Run the typer ``command`` with ``argv``; the exit code, errors as one line."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = DEBUG_FLAG in args
    args = [a for a in args if a != DEBUG_FLAG]
    try:
        # Outside standalone mode click catches ``typer.Exit`` itself and returns its code.
        result = command(args=args, prog_name="kai-match", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 1
    except typer.TyperException as refused:  # usage errors: typer words them itself
        refused.show()
        return getattr(refused, "exit_code", BAD_INPUT)
    except Exception as error:
        if debug:
            raise
        code, message = describe(error)
        typer.echo(f"error: {message} (--debug shows the traceback)", err=True)
        return code
    return result if isinstance(result, int) and not isinstance(result, bool) else 0


def describe(error: Exception) -> tuple[int, str]:
    """Exit code and a one-line message for an error the commands do not handle themselves."""
    if isinstance(error, OperationalError):
        text = str(error.orig).lower()
        if "no such table" in text or "does not exist" in text:
            return (
                DATABASE_DOWN,
                "the database has no kai-match schema yet: run `kai-match db upgrade`",
            )
        return DATABASE_DOWN, "the database cannot be reached (check KAI_DATABASE_URL)"
    if isinstance(error, FileNotFoundError):
        return BAD_INPUT, f"no such file or directory: {error.filename}"
    if isinstance(error, (IsADirectoryError, NotADirectoryError, PermissionError)):
        return BAD_INPUT, f"{error.strerror}: {error.filename}"
    if isinstance(error, (ValueError, KeyError)):
        return BAD_INPUT, f"{type(error).__name__}: {error}"
    return 1, f"{type(error).__name__}: {error}"
