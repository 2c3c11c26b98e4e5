"""``kai-match taxonomy …`` commands (the lead mounts ``taxonomy_app`` on the main CLI)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .importer import import_esco

taxonomy_app = typer.Typer(help="Skills and occupations taxonomy (ESCO, KldB 2010).")


@taxonomy_app.command("import-esco")
def import_esco_command(
    directory: Annotated[
        Path, typer.Argument(help="Folder with the official ESCO CSV download.", file_okay=False)
    ],
    lang: Annotated[str, typer.Option(help="ESCO language code of the files.")] = "de",
    progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
) -> None:
    """Import skills, occupations and occupation-skill relations into $KAI_TAXONOMY_DIR."""
    try:
        summary = import_esco(directory, lang=lang, progress=progress)
    except (FileNotFoundError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False))


@taxonomy_app.command("normalize")
def normalize_command(
    text: Annotated[str, typer.Argument(help="Free text, e.g. 'Staplerschein'.")],
    kind: Annotated[str, typer.Option(help="skill or occupation")] = "skill",
    limit: Annotated[int, typer.Option(min=1, max=50)] = 5,
) -> None:
    """Show the candidates the service would choose for a piece of free text."""
    from . import normalize_occupation, normalize_skill

    fn = normalize_occupation if kind == "occupation" else normalize_skill
    for c in fn(text, limit=limit):
        typer.echo(f"{c.confidence:.3f}  {c.label}  {c.id}")
