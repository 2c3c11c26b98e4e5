"""Stops merged into zones: the rows and columns of the precomputed matrices.

Leader clustering rather than union-find: a chain of stops 250 m apart (a town's main street)
would otherwise merge into one zone kilometres long. Stops are visited rail first, then by
weekday departures, and each stop not yet in a zone opens one with every free stop within
``ZONE_RADIUS_KM`` of it, so a zone spans at most ~300 m and centres on its busiest stop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from kai_match.data.geo.distance import haversine_km
from kai_match.data.geo.timetable.footpaths import project_km, walk_seconds
from kai_match.data.geo.timetable.gtfs import Timetable

ZONE_RADIUS_KM = 0.15


@dataclass(frozen=True, slots=True)
class Zones:
    """Zone of every stop, and every zone's centre (the mean of its stops), activity and rail."""

    of_stop: NDArray[np.int32]
    access_s: NDArray[np.int32]
    """Walking seconds between each stop and its zone's centre."""
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    departures: NDArray[np.int32]
    """Connections one can board in the zone on the Tuesday (all day)."""
    rail: NDArray[np.bool_]

    @property
    def n(self) -> int:
        return len(self.lat)

    def members(self) -> list[NDArray[np.int64]]:
        """Stops of each zone."""
        order = np.argsort(self.of_stop, kind="stable")
        bounds = np.searchsorted(self.of_stop[order], np.arange(self.n + 1))
        return [order[bounds[z] : bounds[z + 1]] for z in range(self.n)]


def cluster_stops(tt: Timetable) -> Zones:
    """Zones of ``tt``'s stops (see the module docstring)."""
    n = tt.n_stops
    day = tt.weekday
    departures = np.bincount(day.dep_stop[day.board], minlength=n).astype(np.int32)
    xy = project_km(tt.lat, tt.lon, float(np.mean(tt.lat)))
    tree = cKDTree(xy)
    zone = np.full(n, -1, np.int32)
    count = 0
    for stop in np.lexsort((np.arange(n), -departures, ~tt.rail)).tolist():
        if zone[stop] >= 0:
            continue
        near = np.asarray(tree.query_ball_point(xy[stop], ZONE_RADIUS_KM), np.int64)
        zone[near[zone[near] < 0]] = count
        count += 1
    size = np.bincount(zone, minlength=count)
    lat = np.bincount(zone, tt.lat, minlength=count) / size
    lon = np.bincount(zone, tt.lon, minlength=count) / size
    access = walk_seconds(haversine_km(tt.lat, tt.lon, lat[zone], lon[zone]))
    rail = np.bincount(zone, tt.rail, minlength=count) > 0
    return Zones(
        of_stop=zone,
        access_s=access,
        lat=lat,
        lon=lon,
        departures=np.bincount(zone, departures, minlength=count).astype(np.int32),
        rail=rail,
    )
