"""From a day's timetable to zone × zone minutes for the four time bands.

Each band is one CSA profile per target (arrive-by) or origin (depart-after) zone, run for a
batch of zones at once (``csa``). A zone's value is the best over its stops, including the walk
between the stop and the zone centre, so the matrix reads "from centre to centre": leaving the
origin zone's centre to being at the destination zone's centre by the band's time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray
from tqdm import tqdm

from kai_match.data.geo.timetable.artefact import UNREACHABLE, TransitMatrices
from kai_match.data.geo.timetable.csa import (
    NEVER_ARRIVED,
    NEVER_LEFT,
    scan_earliest,
    scan_latest,
    window,
)
from kai_match.data.geo.timetable.footpaths import Network, build_network
from kai_match.data.geo.timetable.gtfs import Timetable
from kai_match.data.geo.timetable.zones import Zones, cluster_stops

WINDOW_S = 3 * 3600
"""Only journeys leaving at most 3 h before the arrival time (or arriving at most 3 h after the
departure time) count: a longer trip is no daily commute."""
MAX_ZONES = 4000
"""Largest matrix side by default: 4,000² × 2 bytes = 32 MB per band. More zones keep the rail
zones and then the busiest (``select_zones``); the rest still serve as transfer points."""
BATCH_CELLS = 8_000_000
"""Stops × columns per CSA batch: two int32 tables of this size (64 MB) at a time."""


@dataclass(frozen=True, slots=True)
class Band:
    """A time band: arrive by ``time_s`` (``arrive_by``) or leave at or after it."""

    name: str
    day: str
    arrive_by: bool
    time_s: int


BANDS = (
    Band("weekday_peak", "weekday", True, 8 * 3600),
    Band("weekday_early", "weekday", True, 6 * 3600),
    Band("weekday_late", "weekday", False, 22 * 3600),
    Band("weekend", "saturday", True, 8 * 3600),
)


def select_zones(zones: Zones, max_zones: int) -> NDArray[np.int64]:
    """Indexes of the zones that get a row and column: all, or rail first, then the busiest."""
    if zones.n <= max_zones:
        return np.arange(zones.n)
    order = np.lexsort((np.arange(zones.n), -zones.departures, ~zones.rail))
    return np.sort(order[:max_zones])


def _zone_best(
    values: NDArray[np.int32], zones: Zones, kept: NDArray[np.int64], *, latest: bool
) -> NDArray[np.int64]:
    """Per kept zone (rows) the best over its stops of value ∓ walk to the centre."""
    order = np.argsort(zones.of_stop, kind="stable")
    starts = np.searchsorted(zones.of_stop[order], np.arange(zones.n))
    walk = zones.access_s[order].astype(np.int64)[:, None]
    if latest:
        best = np.maximum.reduceat(values[order].astype(np.int64) - walk, starts, axis=0)
    else:
        best = np.minimum.reduceat(values[order].astype(np.int64) + walk, starts, axis=0)
    return best[kept]


def _minutes(seconds: NDArray[np.int64], reached: NDArray[np.bool_]) -> NDArray[np.uint16]:
    """Whole minutes, rounded up; UNREACHABLE where not reached."""
    minutes = np.minimum(-(-seconds // 60), UNREACHABLE - 1)
    return np.where(reached, minutes, UNREACHABLE).astype(np.uint16)


def band_matrix(
    tt: Timetable,
    net: Network,
    zones: Zones,
    kept: NDArray[np.int64],
    band: Band,
    *,
    window_s: int = WINDOW_S,
    bar: tqdm | None = None,
) -> NDArray[np.uint16]:
    """Minutes from each kept zone (rows) to each kept zone (columns) in ``band``."""
    day = tt.weekday if band.day == "weekday" else tt.saturday
    t = band.time_s
    members = zones.members()
    ends = [(members[z], zones.access_s[members[z]]) for z in kept.tolist()]
    width = max(64, BATCH_CELLS // max(tt.n_stops, 1))
    matrix = np.full((len(kept), len(kept)), UNREACHABLE, np.uint16)
    if band.arrive_by:
        scan = window(day, t - window_s, t, reverse=True)
    else:
        scan = window(day, t, t + window_s, reverse=False)
    for lo in range(0, len(kept), width):
        cols = ends[lo : lo + width]
        if band.arrive_by:
            leave = _zone_best(scan_latest(scan, net, t, cols), zones, kept, latest=True)
            matrix[:, lo : lo + len(cols)] = _minutes(t - leave, leave > NEVER_LEFT // 2)
        else:
            arrive = _zone_best(scan_earliest(scan, net, t, cols), zones, kept, latest=False)
            matrix[lo : lo + len(cols), :] = _minutes(arrive - t, arrive < NEVER_ARRIVED // 2).T
        if bar is not None:
            bar.update(len(cols))
    np.fill_diagonal(matrix, UNREACHABLE)  # within a zone one walks; that is no transit trip
    return matrix


def precompute(
    tt: Timetable,
    *,
    max_zones: int = MAX_ZONES,
    window_s: int = WINDOW_S,
    progress: bool = False,
    meta: dict | None = None,
) -> TransitMatrices:
    """All four bands over the zones of ``tt`` (see the module docstring)."""
    net = build_network(tt)
    zones = cluster_stops(tt)
    kept = select_zones(zones, max_zones)
    bar = tqdm(
        total=len(kept) * len(BANDS),
        unit="zone",
        desc="timetable",
        disable=None if progress else True,
    )
    with bar:
        bands = {
            b.name: band_matrix(tt, net, zones, kept, b, window_s=window_s, bar=bar) for b in BANDS
        }
    info = {
        "weekday": tt.weekday.day.isoformat(),
        "saturday": tt.saturday.day.isoformat(),
        "valid_from": tt.valid_from.isoformat(),
        "valid_until": tt.valid_until.isoformat(),
        "stops": tt.n_stops,
        "zones_total": zones.n,
        "zones": len(kept),
        "footpaths": len(net.foot_from),
        "connections_weekday": len(tt.weekday),
        "connections_saturday": len(tt.saturday),
        "window_minutes": window_s // 60,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return TransitMatrices(
        zone_lat=zones.lat[kept],
        zone_lon=zones.lon[kept],
        zone_departures=zones.departures[kept],
        zone_rail=zones.rail[kept],
        bands=bands,
        meta=info | (meta or {}),
    )
