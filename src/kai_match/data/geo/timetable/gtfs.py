"""Reading a GTFS feed (zip) into the connections of one Tuesday and one Saturday.

Germany-wide feeds are ~1 GB unzipped, so every member is streamed with the csv module and rows
are dropped as early as possible: stops outside the bounding box are never indexed, trips not
running on the chosen days are never indexed, and a stop_times row is kept only when both its
stop and its trip are (a few small integer arrays, not Python objects per row). What remains is
turned into numpy arrays of elementary connections (one vehicle from one stop to the next).
"""

from __future__ import annotations

import csv
import io
import zipfile
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from tqdm import tqdm

REQUIRED_FILES = ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
CALENDAR_FILES = ("calendar.txt", "calendar_dates.txt")
TUESDAY, SATURDAY = 1, 5
"""A Tuesday has no Monday/Friday peculiarities; Saturday stands for the (thinner) weekend."""
CANDIDATE_WEEKS = 4
"""Without --date the Tuesday (Saturday) with the most trips among the next four is taken, so a
public holiday (Sunday service) is not mistaken for a working day."""
DAY_S = 86_400
RAIL_ROUTE_TYPES = frozenset({0, 1, 2, 5, 7, 12})
"""GTFS route types counted as rail (tram, subway, rail, cable tram, funicular, monorail), plus
the extended types 100–199 (railway), 400–499 (urban rail) and 900–999 (tram)."""


class GtfsError(ValueError):
    """The feed or an option cannot be used; the message is one line naming the problem."""


@dataclass(frozen=True, slots=True)
class BBox:
    """A latitude/longitude box in WGS84 degrees."""

    min_lat: float
    min_lon: float
    max_lat: float
    max_lon: float

    @classmethod
    def parse(cls, text: str) -> BBox:
        """``MIN_LAT,MIN_LON,MAX_LAT,MAX_LON`` as typed on the command line."""
        try:
            values = [float(part) for part in text.split(",")]
        except ValueError:
            values = []
        if len(values) != 4 or not all(np.isfinite(values)):
            raise GtfsError(f"--bbox needs MIN_LAT,MIN_LON,MAX_LAT,MAX_LON, got {text!r}")
        box = cls(*values)
        if not (box.min_lat < box.max_lat and box.min_lon < box.max_lon):
            raise GtfsError(f"--bbox {text!r} is empty (minimum not below maximum)")
        return box

    def contains(self, lat: float, lon: float) -> bool:
        return self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon

    def __str__(self) -> str:
        return f"{self.min_lat},{self.min_lon},{self.max_lat},{self.max_lon}"


@dataclass(frozen=True, slots=True)
class DayConnections:
    """Elementary connections of one service day; times in seconds after its midnight.

    Trips of the day before that run past midnight are included with their times moved back by
    a day (a 25:10 departure of Monday is 01:10 on Tuesday), as other trip instances.
    """

    day: date
    dep_stop: NDArray[np.int32]
    arr_stop: NDArray[np.int32]
    dep: NDArray[np.int32]
    arr: NDArray[np.int32]
    trip: NDArray[np.int32]
    """Trip instance, 0 … n_trips-1 (the same GTFS trip on the day before is another one)."""
    seq: NDArray[np.int32]
    """stop_sequence of the departure, to order zero-minute connections within a trip."""
    board: NDArray[np.bool_]
    """False where pickup_type = 1 at the departure stop (no boarding)."""
    alight: NDArray[np.bool_]
    """False where drop_off_type = 1 at the arrival stop (no alighting)."""
    n_trips: int

    def __len__(self) -> int:
        return len(self.dep)


@dataclass(frozen=True, slots=True)
class Timetable:
    """Stops inside the box that are served on one of the days, and those days' connections."""

    stop_ids: tuple[str, ...]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    rail: NDArray[np.bool_]
    """Served by a rail route (RAIL_ROUTE_TYPES) on one of the days."""
    weekday: DayConnections
    saturday: DayConnections
    transfer_from: NDArray[np.int32]
    transfer_to: NDArray[np.int32]
    transfer_s: NDArray[np.int32]
    """transfers.txt between stops of the box: min_transfer_time (type 2), or -1 (type 3, no
    transfer possible). Timed (1) and recommended (0) transfers add nothing."""
    valid_from: date
    valid_until: date

    @property
    def n_stops(self) -> int:
        return len(self.stop_ids)


# --- reading members ---------------------------------------------------------------------------


def open_feed(path: Path) -> zipfile.ZipFile:
    """The feed as a zip, or a GtfsError saying why not."""
    if not path.exists():
        raise GtfsError(f"no such file: {path}")
    if path.is_dir() or not zipfile.is_zipfile(path):
        raise GtfsError(f"{path} is not a zip file (a GTFS feed is one zip)")
    try:
        return zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise GtfsError(f"{path} cannot be read as a zip file: {exc}") from None


def _members(zf: zipfile.ZipFile) -> dict[str, str]:
    """GTFS file name → member name; feeds zipped with their folder keep files one level down."""
    found: dict[str, str] = {}
    for name in sorted(zf.namelist(), key=lambda n: n.count("/")):
        if name.endswith("/") or name.count("/") > 1:
            continue
        found.setdefault(name.rsplit("/", 1)[-1], name)
    return found


class _Table:
    """One member as csv rows with column positions; ``column`` refuses a missing column."""

    def __init__(self, zf: zipfile.ZipFile, member: str, label: str) -> None:
        self.label = label
        self.raw = zf.open(member)
        self.size = zf.getinfo(member).file_size
        text = io.TextIOWrapper(self.raw, encoding="utf-8-sig", newline="")
        self.reader = csv.reader(text)
        try:
            header = next(self.reader)
        except StopIteration:
            header = []
        except (UnicodeDecodeError, csv.Error) as exc:
            raise GtfsError(f"{label} is not readable CSV: {exc}") from None
        self.columns = {name.strip(): i for i, name in enumerate(header)}

    def column(self, name: str) -> int:
        if name not in self.columns:
            raise GtfsError(f"{self.label} lacks the column {name}")
        return self.columns[name]

    def optional(self, name: str) -> int | None:
        return self.columns.get(name)

    def rows(self) -> Iterator[list[str]]:
        width = len(self.columns)
        try:
            for row in self.reader:
                if len(row) >= width:
                    yield row
                elif row:  # short rows: pad with empty cells (trailing commas are optional)
                    yield row + [""] * (width - len(row))
        except (UnicodeDecodeError, csv.Error) as exc:
            raise GtfsError(f"{self.label} is not readable CSV: {exc}") from None
        finally:
            self.raw.close()


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None else ""


def _gtfs_date(text: str, label: str) -> date:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise GtfsError(f"{label} has a date that is not YYYYMMDD: {text!r}") from None


def _seconds(text: str) -> int:
    """GTFS time (H:MM:SS, hours may exceed 24) in seconds after the service day's midnight."""
    hours, minutes, seconds = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds)


# --- calendar ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Calendar:
    """calendar.txt and calendar_dates.txt: which service runs on which date."""

    weekly: dict[str, tuple[tuple[bool, ...], date, date]]
    exceptions: dict[str, dict[date, int]]

    def active(self, service: str, day: date) -> bool:
        change = self.exceptions.get(service, {}).get(day)
        if change is not None:
            return change == 1
        weekly = self.weekly.get(service)
        return bool(weekly and weekly[1] <= day <= weekly[2] and weekly[0][day.weekday()])

    def services(self) -> set[str]:
        return set(self.weekly) | set(self.exceptions)

    def validity(self) -> tuple[date, date] | None:
        days = [d for _, start, end in self.weekly.values() for d in (start, end)]
        days += [d for changes in self.exceptions.values() for d in changes]
        return (min(days), max(days)) if days else None


def _read_calendar(zf: zipfile.ZipFile, members: dict[str, str]) -> _Calendar:
    weekly: dict[str, tuple[tuple[bool, ...], date, date]] = {}
    exceptions: dict[str, dict[date, int]] = {}
    if "calendar.txt" in members:
        table = _Table(zf, members["calendar.txt"], "calendar.txt")
        days = [
            table.column(d)
            for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        ]
        sid, start, end = (table.column(c) for c in ("service_id", "start_date", "end_date"))
        for row in table.rows():
            flags = tuple(row[i].strip() == "1" for i in days)
            weekly[row[sid].strip()] = (
                flags,
                _gtfs_date(row[start].strip(), "calendar.txt"),
                _gtfs_date(row[end].strip(), "calendar.txt"),
            )
    if "calendar_dates.txt" in members:
        table = _Table(zf, members["calendar_dates.txt"], "calendar_dates.txt")
        sid, day, kind = (table.column(c) for c in ("service_id", "date", "exception_type"))
        for row in table.rows():
            exceptions.setdefault(row[sid].strip(), {})[
                _gtfs_date(row[day].strip(), "calendar_dates.txt")
            ] = 1 if row[kind].strip() == "1" else 2
    return _Calendar(weekly, exceptions)


def _on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _trips_on(calendar: _Calendar, trips_per_service: Counter[str], day: date) -> int:
    return sum(n for service, n in trips_per_service.items() if calendar.active(service, day))


def choose_days(
    calendar: _Calendar, trips_per_service: Counter[str], on: date | None, today: date
) -> tuple[date, date]:
    """The Tuesday and the Saturday to import (see ``CANDIDATE_WEEKS``); GtfsError if none runs.

    With ``on``: the first Tuesday and Saturday on or after it. Without: among the next
    CANDIDATE_WEEKS of each within the feed's validity (from tomorrow, or from the feed's first
    day if it starts later or has already ended), the one with the most trips.
    """
    validity = calendar.validity()
    if validity is None:
        raise GtfsError("the feed's calendar.txt / calendar_dates.txt list no service")
    start, end = validity
    names = {TUESDAY: "Tuesday", SATURDAY: "Saturday"}
    chosen = []
    for weekday in (TUESDAY, SATURDAY):
        if on is not None:
            day = _on_or_after(on, weekday)
            if _trips_on(calendar, trips_per_service, day) == 0:
                raise GtfsError(f"no service on {names[weekday]} {day.isoformat()} in the feed")
            chosen.append(day)
            continue
        anchor = max(today + timedelta(days=1), start)
        if anchor > end:
            anchor = start  # an expired feed still describes the network
        first = _on_or_after(anchor, weekday)
        candidates = [first + timedelta(weeks=k) for k in range(CANDIDATE_WEEKS)]
        counted = [(_trips_on(calendar, trips_per_service, d), d) for d in candidates if d <= end]
        best = max(counted, key=lambda item: item[0], default=(0, first))  # first of equals
        if best[0] == 0:
            raise GtfsError(
                f"no service on any {names[weekday]} from {first.isoformat()} within the feed's "
                f"validity ({start.isoformat()} to {end.isoformat()}); pass --date"
            )
        chosen.append(best[1])
    return chosen[0], chosen[1]


# --- the feed ----------------------------------------------------------------------------------


def _is_rail(route_type: str) -> bool:
    try:
        kind = int(route_type)
    except ValueError:
        return False
    return kind in RAIL_ROUTE_TYPES or 100 <= kind < 200 or 400 <= kind < 500 or 900 <= kind < 1000


def _read_stops(zf: zipfile.ZipFile, member: str, bbox: BBox | None):
    table = _Table(zf, member, "stops.txt")
    sid, lat_i, lon_i = (table.column(c) for c in ("stop_id", "stop_lat", "stop_lon"))
    kind_i = table.optional("location_type")
    index: dict[str, int] = {}
    lats: list[float] = []
    lons: list[float] = []
    for row in table.rows():
        if _cell(row, kind_i) not in ("", "0"):
            continue  # stations, entrances, nodes: stop_times never name them
        try:
            lat, lon = float(row[lat_i]), float(row[lon_i])
        except ValueError:
            continue
        if bbox is not None and not bbox.contains(lat, lon):
            continue
        stop_id = row[sid].strip()
        index[stop_id] = len(lats)
        lats.append(lat)
        lons.append(lon)
    return index, np.array(lats), np.array(lons)


def read_feed(
    path: Path,
    *,
    bbox: BBox | None = None,
    on: date | None = None,
    today: date | None = None,
    progress: bool = False,
) -> Timetable:
    """The Tuesday's and Saturday's connections between stops inside ``bbox`` (all: None)."""
    zf = open_feed(path)
    with zf:
        members = _members(zf)
        for name in REQUIRED_FILES:
            if name not in members:
                raise GtfsError(f"{path.name} lacks {name}")
        if not any(name in members for name in CALENDAR_FILES):
            raise GtfsError(f"{path.name} lacks calendar.txt and calendar_dates.txt")

        stop_index, lat, lon = _read_stops(zf, members["stops.txt"], bbox)
        if not stop_index:
            where = f"inside the bbox {bbox}" if bbox else "with coordinates"
            raise GtfsError(f"{path.name} has no stops {where}")

        routes = _Table(zf, members["routes.txt"], "routes.txt")
        rid, rtype = routes.column("route_id"), routes.column("route_type")
        rail_routes = {row[rid].strip() for row in routes.rows() if _is_rail(row[rtype].strip())}

        calendar = _read_calendar(zf, members)
        trips = _Table(zf, members["trips.txt"], "trips.txt")
        service_i = trips.column("service_id")
        per_service = Counter(row[service_i].strip() for row in trips.rows())
        tuesday, saturday = choose_days(calendar, per_service, on, today or date.today())

        # Bit k: the trip runs on days[k] (Tuesday, Monday, Saturday, Friday).
        days = (tuesday, tuesday - timedelta(days=1), saturday, saturday - timedelta(days=1))
        mask_of = {
            s: sum(1 << k for k, d in enumerate(days) if calendar.active(s, d))
            for s in calendar.services()
        }
        trips = _Table(zf, members["trips.txt"], "trips.txt")
        tid, route_i, service_i = (trips.column(c) for c in ("trip_id", "route_id", "service_id"))
        trip_index: dict[str, int] = {}
        trip_mask: list[int] = []
        trip_rail: list[bool] = []
        for row in trips.rows():
            mask = mask_of.get(row[service_i].strip(), 0)
            if mask:
                trip_index[row[tid].strip()] = len(trip_mask)
                trip_mask.append(mask)
                trip_rail.append(row[route_i].strip() in rail_routes)

        rows = _read_stop_times(zf, members["stop_times.txt"], stop_index, trip_index, progress)
        transfers = _read_transfers(zf, members.get("transfers.txt"), stop_index)
    return _assemble(
        path,
        bbox,
        stop_index,
        lat,
        lon,
        rows,
        np.array(trip_mask, np.int8),
        np.array(trip_rail, np.bool_),
        transfers,
        days,
        calendar.validity() or (tuesday, tuesday),
    )


def _read_stop_times(
    zf: zipfile.ZipFile,
    member: str,
    stop_index: dict[str, int],
    trip_index: dict[str, int],
    progress: bool,
) -> dict[str, NDArray]:
    """Rows of kept stops and trips as int arrays; the only pass over the big file."""
    table = _Table(zf, member, "stop_times.txt")
    tid, stop_i, seq_i = (table.column(c) for c in ("trip_id", "stop_id", "stop_sequence"))
    arr_i, dep_i = table.column("arrival_time"), table.column("departure_time")
    pick_i, drop_i = table.optional("pickup_type"), table.optional("drop_off_type")
    out = {name: array("i") for name in ("trip", "stop", "seq", "arr", "dep")}
    flags = {name: array("b") for name in ("pick", "drop")}
    stop_get, trip_get = stop_index.get, trip_index.get
    a_trip, a_stop, a_seq, a_arr, a_dep = (
        out[k].append for k in ("trip", "stop", "seq", "arr", "dep")
    )
    a_pick, a_drop = flags["pick"].append, flags["drop"].append
    bar = tqdm(
        total=table.size,
        unit="B",
        unit_scale=True,
        desc="stop_times.txt",
        disable=None if progress else True,
    )
    done = 0
    with bar:
        for n, row in enumerate(table.rows()):
            if n & 0xFFFF == 0:
                position = table.raw.tell()
                bar.update(position - done)
                done = position
            stop = stop_get(row[stop_i].strip())
            if stop is None:
                continue
            trip = trip_get(row[tid].strip())
            if trip is None:
                continue
            arrival, departure = row[arr_i].strip(), row[dep_i].strip()
            if not arrival and not departure:
                continue  # not a timepoint: the trip passes without a time here
            try:
                arr = _seconds(arrival or departure)
                dep = _seconds(departure or arrival)
                seq = int(row[seq_i])
            except ValueError:
                raise GtfsError(
                    f"stop_times.txt has a malformed time or stop_sequence in row {n + 2}"
                ) from None
            a_trip(trip)
            a_stop(stop)
            a_seq(seq)
            a_arr(arr)
            a_dep(dep)
            a_pick(1 if _cell(row, pick_i) == "1" else 0)
            a_drop(1 if _cell(row, drop_i) == "1" else 0)
        bar.update(table.size - done)
    arrays = {
        k: np.frombuffer(v, np.int32) if len(v) else np.zeros(0, np.int32) for k, v in out.items()
    }
    arrays |= {
        k: np.frombuffer(v, np.int8) if len(v) else np.zeros(0, np.int8) for k, v in flags.items()
    }
    return arrays


def _read_transfers(
    zf: zipfile.ZipFile, member: str | None, stop_index: dict[str, int]
) -> list[tuple[int, int, int]]:
    if member is None:
        return []
    table = _Table(zf, member, "transfers.txt")
    f_i, t_i, kind_i = (table.column(c) for c in ("from_stop_id", "to_stop_id", "transfer_type"))
    time_i = table.optional("min_transfer_time")
    specific = [
        table.optional(c) for c in ("from_trip_id", "to_trip_id", "from_route_id", "to_route_id")
    ]
    found = []
    for row in table.rows():
        if any(_cell(row, i) for i in specific):
            continue  # trip- or route-specific rules: not modelled
        a, b = stop_index.get(row[f_i].strip()), stop_index.get(row[t_i].strip())
        kind = row[kind_i].strip()
        if a is None or b is None:
            continue
        if kind == "3":
            found.append((a, b, -1))
        elif kind == "2":
            try:
                found.append((a, b, int(float(_cell(row, time_i) or "0"))))
            except ValueError:
                raise GtfsError(
                    "transfers.txt has a min_transfer_time that is not a number"
                ) from None
    return found


def _assemble(
    path: Path,
    bbox: BBox | None,
    stop_index: dict[str, int],
    lat: NDArray[np.float64],
    lon: NDArray[np.float64],
    rows: dict[str, NDArray],
    trip_mask: NDArray[np.int8],
    trip_rail: NDArray[np.bool_],
    transfers: list[tuple[int, int, int]],
    days: tuple[date, date, date, date],
    validity: tuple[date, date],
) -> Timetable:
    """stop_times rows → connections per day, stops renumbered to those served."""
    order = np.lexsort((rows["seq"], rows["trip"]))
    trip, stop, seq = rows["trip"][order], rows["stop"][order], rows["seq"][order]
    arr, dep = rows["arr"][order], rows["dep"][order]
    pick, drop = rows["pick"][order], rows["drop"][order]
    i = np.flatnonzero((trip[1:] == trip[:-1]) & (stop[1:] != stop[:-1]))
    j = i + 1
    keep = arr[j] >= dep[i]  # a connection arriving before it departs is a data error
    i, j = i[keep], j[keep]
    c_trip = trip[i]
    base = {
        "dep_stop": stop[i],
        "arr_stop": stop[j],
        "dep": dep[i],
        "arr": arr[j],
        "seq": seq[i],
        "board": pick[i] != 1,
        "alight": drop[j] != 1,
    }
    mask = trip_mask[c_trip].astype(np.int16) if len(c_trip) else np.zeros(0, np.int16)
    n_trips = len(trip_mask)
    per_day = []
    for today_bit, yesterday_bit in ((1, 2), (4, 8)):
        parts = []
        for bit, shift in ((today_bit, 0), (yesterday_bit, DAY_S)):
            sel = (mask & bit) != 0
            if shift:
                sel &= base["dep"] >= shift
            part = {k: v[sel] for k, v in base.items()}
            part["dep"] = part["dep"] - shift
            part["arr"] = part["arr"] - shift
            part["trip"] = c_trip[sel] + (n_trips if shift else 0)
            parts.append(part)
        per_day.append({k: np.concatenate([p[k] for p in parts]) for k in parts[0]})

    used = np.zeros(len(lat), np.bool_)
    for day in per_day:
        used[day["dep_stop"]] = True
        used[day["arr_stop"]] = True
    if not used.any() or not len(per_day[0]["dep"]):
        where = f"inside the bbox {bbox}" if bbox else "in the feed"
        raise GtfsError(
            f"no trips run between stops {where} on Tuesday {days[0].isoformat()} ({path.name})"
        )
    renumber = np.full(len(lat), -1, np.int32)
    renumber[used] = np.arange(int(used.sum()), dtype=np.int32)
    ids = [""] * len(lat)
    for stop_id, k in stop_index.items():
        ids[k] = stop_id

    rail = np.zeros(len(lat), np.bool_)
    rail[stop[trip_rail[trip]]] = True

    connections = []
    for day, conns in zip((days[0], days[2]), per_day, strict=True):
        instances, trip_ids = np.unique(conns["trip"], return_inverse=True)
        connections.append(
            DayConnections(
                day=day,
                dep_stop=renumber[conns["dep_stop"]],
                arr_stop=renumber[conns["arr_stop"]],
                dep=conns["dep"].astype(np.int32),
                arr=conns["arr"].astype(np.int32),
                trip=trip_ids.astype(np.int32),
                seq=conns["seq"].astype(np.int32),
                board=conns["board"],
                alight=conns["alight"],
                n_trips=len(instances),
            )
        )
    t = np.array([x for x in transfers if used[x[0]] and used[x[1]]], np.int32).reshape(-1, 3)
    return Timetable(
        stop_ids=tuple(ids[k] for k in np.flatnonzero(used)),
        lat=lat[used],
        lon=lon[used],
        rail=rail[used],
        weekday=connections[0],
        saturday=connections[1],
        transfer_from=renumber[t[:, 0]],
        transfer_to=renumber[t[:, 1]],
        transfer_s=t[:, 2].copy(),
        valid_from=validity[0],
        valid_until=validity[1],
    )
