"""``kai-match transit import-gtfs``: a GTFS feed → the precomputed transit file (docs/transit.md)."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from kai_match.config import get_settings

transit_app = typer.Typer(
    help="Public-transport times from a GTFS timetable (docs/transit.md).", no_args_is_help=True
)
DEFAULT_FILE = "transit.npz"
"""Relative to the working directory, which is the data volume (/data) in the container."""
MAX_ZONES = 4000  # kept in step with timetable.precompute.MAX_ZONES (tested)


def default_transit_file() -> Path:
    """$KAI_TRANSIT_FILE, so the import writes what the service reads; else ./transit.npz."""
    return Path(get_settings().transit_file or DEFAULT_FILE)


@transit_app.command("import-gtfs")
def import_gtfs(
    file: Annotated[Path, typer.Argument(help="A GTFS feed (zip)")],
    bbox: Annotated[
        str | None,
        typer.Option(help="MIN_LAT,MIN_LON,MAX_LAT,MAX_LON: only stops inside (default: all)"),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="YYYY-MM-DD: use the first Tuesday and Saturday on or after it "
            "(default: the next ones within the feed's validity, holidays skipped)",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help=f"Where to write (default: $KAI_TRANSIT_FILE or ./{DEFAULT_FILE})"),
    ] = None,
    max_zones: Annotated[
        int,
        typer.Option(min=2, help="Largest matrix side; more zones keep rail, then the busiest"),
    ] = MAX_ZONES,
) -> None:
    """Read a GTFS feed and write zone × zone public-transport minutes for four time bands."""
    # Bad input raises GtfsError (a ValueError): cli.errors.run prints one line and exits 2.
    from kai_match.data.geo.timetable import BBox, GtfsError, precompute, read_feed

    started = time.perf_counter()
    box = BBox.parse(bbox) if bbox is not None else None
    try:
        day = date.fromisoformat(on) if on is not None else None
    except ValueError:
        raise GtfsError(f"--date needs YYYY-MM-DD, got {on!r}") from None
    timetable = read_feed(file, bbox=box, on=day, progress=True)
    matrices = precompute(
        timetable,
        max_zones=max_zones,
        progress=True,
        meta={"feed": file.name, "bbox": str(box) if box else None},
    )
    target = out or default_transit_file()
    size = matrices.save(target)
    meta = matrices.meta
    typer.echo(
        f"{meta['stops']} stops in {meta['zones_total']} zones ({meta['zones']} in the matrices), "
        f"Tuesday {meta['weekday']}: {meta['connections_weekday']} connections, "
        f"Saturday {meta['saturday']}: {meta['connections_saturday']}"
    )
    typer.echo(
        f"written {target} ({_size(size)}) in {time.perf_counter() - started:.1f} s; "
        f"the service reads it when KAI_TRANSIT_FILE={target}"
    )


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.0f} KB"
