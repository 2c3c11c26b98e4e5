"""Walking between stops: footpaths for transfers and the change time at a stop.

The walking model is the commute model's (``WALK_KMH`` at ``WALK_DETOUR`` times the straight
line), so a transfer walk and the walk from home to the stop are counted alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from kai_match.data.geo.commute import WALK_DETOUR, WALK_KMH
from kai_match.data.geo.distance import haversine_km
from kai_match.data.geo.timetable.gtfs import Timetable

FOOTPATH_MAX_KM = 0.4
"""Stops at most this far apart (straight line) are linked by a footpath (~6 minutes)."""
MIN_TRANSFER_S = 120
"""Minimum time to change vehicles, at one stop or along a footpath."""
NO_TRANSFER_S = 10**6
"""Change time of a stop where transfers.txt forbids changing (type 3): never in time."""
KM_PER_DEGREE = 111.1951
"""Length of one degree of latitude on the haversine's sphere (R = 6371.0088 km)."""


def walk_seconds(km: ArrayLike) -> NDArray[np.int32]:
    """Walking time in whole seconds for a straight-line distance: 1 km is 1,000 s."""
    return np.rint(np.asarray(km, np.float64) * (WALK_DETOUR / WALK_KMH * 3600.0)).astype(np.int32)


def project_km(lat: ArrayLike, lon: ArrayLike, ref_lat: float) -> NDArray[np.float64]:
    """Equirectangular x/y in km around ``ref_lat``: good to ~0.1 % over a federal state, enough
    to find neighbours; exact distances are then taken by haversine."""
    lat, lon = np.asarray(lat, np.float64), np.asarray(lon, np.float64)
    scale = np.cos(np.radians(ref_lat)) * KM_PER_DEGREE
    return np.column_stack([lon * scale, lat * KM_PER_DEGREE])


@dataclass(frozen=True, slots=True)
class Network:
    """Directed footpaths between stops and every stop's change time (seconds)."""

    change_s: NDArray[np.int32]
    foot_from: NDArray[np.int32]
    foot_to: NDArray[np.int32]
    walk_s: NDArray[np.int32]
    """Walking time, used at the ends of a journey (no change: nothing to catch)."""
    transfer_s: NDArray[np.int32]
    """Time to change vehicles along the footpath: max(walk, MIN_TRANSFER_S) or transfers.txt."""

    @property
    def n_stops(self) -> int:
        return len(self.change_s)


def build_network(tt: Timetable) -> Network:
    """Footpaths between stops ≤ FOOTPATH_MAX_KM apart, then transfers.txt on top.

    transfers.txt type 2 between two stops sets that footpath's time (adding it if the stops are
    farther apart), at one stop it sets the change time; type 3 removes the footpath or forbids
    changing at the stop.
    """
    n = tt.n_stops
    xy = project_km(tt.lat, tt.lon, float(np.mean(tt.lat)))
    pairs = cKDTree(xy).query_pairs(FOOTPATH_MAX_KM * 1.01, output_type="ndarray")
    a, b = pairs[:, 0], pairs[:, 1]
    km = haversine_km(tt.lat[a], tt.lon[a], tt.lat[b], tt.lon[b])
    near = km <= FOOTPATH_MAX_KM
    a, b, secs = a[near], b[near], walk_seconds(km[near])
    edges: dict[tuple[int, int], tuple[int, int]] = {}
    for x, y, s in zip(a.tolist(), b.tolist(), secs.tolist(), strict=True):
        edges[(x, y)] = edges[(y, x)] = (s, max(s, MIN_TRANSFER_S))
    change = np.full(n, MIN_TRANSFER_S, np.int32)
    for x, y, s in zip(
        tt.transfer_from.tolist(), tt.transfer_to.tolist(), tt.transfer_s.tolist(), strict=True
    ):
        if x == y:
            change[x] = NO_TRANSFER_S if s < 0 else s
        elif s < 0:
            edges.pop((x, y), None)
        else:
            edges[(x, y)] = (s, s)
    keys = sorted(edges)
    values = [edges[k] for k in keys]
    return Network(
        change_s=change,
        foot_from=np.array([k[0] for k in keys], np.int32),
        foot_to=np.array([k[1] for k in keys], np.int32),
        walk_s=np.array([v[0] for v in values], np.int32),
        transfer_s=np.array([v[1] for v in values], np.int32),
    )
