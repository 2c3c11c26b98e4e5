"""A small GTFS feed written by the tests themselves, with hand-checkable times.

    A ──rail── B ──rail── C ─300 m walk─ CB ──bus── D
                          └──────bus───────────────── E

- Rail A→B→C leaves A every 30 min from 05:00 to 22:00 (B +10, C +20); back from C at :05/:35.
- Bus CB→D hourly at :50 from 05:50 to 22:50, 8 min; CB is 300 m (300 s on foot) north of C.
- Bus C→E hourly at :21 from 05:21, 18 min: from a train arriving at :20 one minute is too short
  a change (2 min needed), so the :50 train of the hour before is the one.
- Night bus D→A at 28:30 (04:30 the next morning), Mondays to Fridays.
- Saturday: rail from A hourly at :15 from 06:15, from C at :05; bus CB→D hourly at :50 from
  06:50; no bus to E.
- X lies in Berlin, outside the test box; its only trip (X→A) ends in the box.
- No weekday service on Tuesday 2025-12-23 (calendar_dates).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

KM_PER_DEGREE = 111.1951
BBOX = "51.0,12.0,51.5,13.0"
STOPS = {
    "A": (51.2, 12.5),
    "B": (51.2, 12.6),
    "C": (51.2, 12.7),
    "CB": (51.2 + 0.3 / KM_PER_DEGREE, 12.7),
    "D": (51.25, 12.7),
    "E": (51.2, 12.8),
    "X": (52.52, 13.405),
}
HOLIDAY_TUESDAY = "2025-12-23"


def hms(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _trip_rows(trip: str, stops: list[tuple[str, int]]) -> list[str]:
    return [f"{trip},{hms(t)},{hms(t)},{stop},{n + 1}" for n, (stop, t) in enumerate(stops)]


def feed_files() -> dict[str, str]:
    """File name → CSV text of the feed described in the module docstring."""
    stops = "stop_id,stop_name,stop_lat,stop_lon,location_type\n" + "".join(
        f"{sid},Stop {sid},{lat:.7f},{lon:.7f},0\n" for sid, (lat, lon) in STOPS.items()
    )
    stops += "STA,Station A,51.2,12.5,1\n"
    routes = "route_id,route_short_name,route_type\nR,S1,2\nBD,B10,3\nBE,B20,3\nN,N1,3\nRX,RE9,2\n"
    trips = ["route_id,service_id,trip_id"]
    times = ["trip_id,arrival_time,departure_time,stop_id,stop_sequence"]

    def add(route: str, service: str, trip: str, stops: list[tuple[str, int]]) -> None:
        trips.append(f"{route},{service},{trip}")
        times.extend(_trip_rows(trip, stops))

    for t in range(5 * 60, 22 * 60 + 1, 30):
        add("R", "WK", f"RE{t}", [("A", t), ("B", t + 10), ("C", t + 20)])
        add("R", "WK", f"RW{t}", [("C", t + 5), ("B", t + 15), ("A", t + 25)])
    for t in range(5 * 60 + 50, 22 * 60 + 51, 60):
        add("BD", "WK", f"BD{t}", [("CB", t), ("D", t + 8)])
    for t in range(5 * 60 + 21, 22 * 60 + 22, 60):
        add("BE", "WK", f"BE{t}", [("C", t), ("E", t + 18)])
    add("N", "WK", "N1", [("D", 28 * 60 + 30), ("A", 28 * 60 + 50)])
    add("RX", "WK", "RX1", [("X", 9 * 60), ("A", 10 * 60 + 30)])
    for t in range(6 * 60 + 15, 21 * 60 + 16, 60):
        add("R", "SA", f"SE{t}", [("A", t), ("B", t + 10), ("C", t + 20)])
        add("R", "SA", f"SW{t}", [("C", t - 10), ("B", t), ("A", t + 10)])
    for t in range(6 * 60 + 50, 21 * 60 + 51, 60):
        add("BD", "SA", f"SD{t}", [("CB", t), ("D", t + 8)])
    calendar = (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "WK,1,1,1,1,1,0,0,20200101,20991231\n"
        "SA,0,0,0,0,0,1,0,20200101,20991231\n"
    )
    calendar_dates = "service_id,date,exception_type\nWK,20251223,2\n"
    return {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
        "T,Test,https://example.org,Europe/Berlin\n",
        "stops.txt": stops,
        "routes.txt": routes,
        "trips.txt": "\n".join(trips) + "\n",
        "stop_times.txt": "\n".join(times) + "\n",
        "calendar.txt": calendar,
        "calendar_dates.txt": calendar_dates,
    }


def write_feed(
    path: Path, *, omit: tuple[str, ...] = (), extra: dict[str, str] | None = None
) -> Path:
    """The feed as a zip at ``path``, without the files in ``omit``, with ``extra`` added or
    replacing files."""
    files = feed_files() | (extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            if name not in omit:
                zf.writestr(name, text)
    return path
