"""A vacancy's working times, shift names and shuttle as they are stored.

Shift names and working times say the same thing at two levels of detail, so they are kept
equal here and nowhere else: stated working times decide the names; names alone stand for
their usual hours (scoring.schedule.SHIFT_TEMPLATES), written out so the employer sees them.
"""

from __future__ import annotations

from typing import Any

from kai_match.errors import FieldError
from kai_match.models.parts import dedupe
from kai_match.models.schedule import (
    ShuttleStopIn,
    ShuttleStopOut,
    WorkingTimeIn,
    shifts_of,
    stored_working_times,
    template_working_times,
)
from kai_match.reference.service import (
    check_municipality,
    check_postal_code,
    municipality_name,
    municipality_of,
)


def columns(
    times: list[WorkingTimeIn],
    shifts: list[str],
    *,
    shifts_sent: bool,
    errors: list[FieldError],
) -> dict[str, Any]:
    """``working_times`` and ``shifts`` for the row; sent names must match stated hours."""
    if not times:
        names = dedupe(shifts)
        return {"shifts": names, "working_times": template_working_times(names)}
    stored = stored_working_times(times)
    names = shifts_of(stored)
    if shifts_sent and set(shifts) != set(names):
        errors.append(
            FieldError(
                "shifts",
                f"must match the working times' shifts ({', '.join(names)}) or be left out",
            )
        )
    return {"shifts": names, "working_times": stored}


def shuttle_column(stops: list[ShuttleStopIn], errors: list[FieldError]) -> list[dict[str, Any]]:
    """The stored pick-up places, each checked like a workplace's place."""
    stored = []
    for i, stop in enumerate(stops):
        field = f"shuttle.{i}"
        check_postal_code(stop.postal_code, f"{field}.postal_code", errors)
        ags = None
        if stop.municipality is not None:
            ags = check_municipality(
                stop.postal_code, stop.municipality, f"{field}.municipality", errors
            )
        stored.append(
            {
                "postal_code": stop.postal_code,
                "municipality_ags": ags,
                "lat": stop.location.lat if stop.location else None,
                "lon": stop.location.lon if stop.location else None,
                "ride_minutes": stop.ride_minutes,
            }
        )
    return stored


def shuttle_out(stored: list[dict[str, Any]]) -> list[ShuttleStopOut]:
    """Answers for the stored pick-up places."""
    return [
        ShuttleStopOut(
            postal_code=s["postal_code"],
            municipality=municipality_name(s.get("municipality_ags"))
            or municipality_of(s["postal_code"]),
            ride_minutes=s["ride_minutes"],
        )
        for s in stored
    ]
