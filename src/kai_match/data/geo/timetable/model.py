"""``TimetableCommute``: the commute model with public-transport minutes from a timetable.

Walk, bike and car stay the estimator's (``CommuteEstimator``). Public transport becomes: walk
from the origin to one of its ``K_NEAREST`` zones + the band's zone-to-zone minutes + walk from
a zone to the destination, the best of the K × K combinations. ``off_peak=False`` reads the
``weekday_peak`` band (arrive by 08:00 on a Tuesday), ``off_peak=True`` ``weekday_early``
(arrive by 06:00): an off-peak trip in the estimator is one where every shift is early, night or
weekend, and the early-shift start is the thinnest service of those a commute must reach — the
same choice as the OpenTripPlanner client (``routing.OFF_PEAK_ARRIVAL``). Where no zone lies
within walking reach at either end, or no journey exists, public transport is the estimator's.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from kai_match.data.geo.commute import (
    CAR,
    MODES,
    PT_ACCESS_EXTRA_MIN,
    PT_ACCESS_MIN,
    PT_HEADWAY_MIN,
    PT_WAIT_SHARE,
    PUBLIC_TRANSPORT,
    WALK_DETOUR,
    WALK_KMH,
    CommuteEstimate,
    CommuteEstimator,
)
from kai_match.data.geo.distance import haversine_km
from kai_match.data.geo.places import PostalPlace
from kai_match.data.geo.timetable.artefact import UNREACHABLE, TransitMatrices
from kai_match.data.geo.timetable.footpaths import project_km

logger = logging.getLogger(__name__)

K_NEAREST = 3
ACCESS_MAX_KM = 1.2
"""Farthest zone centre (straight line) one walks to or from: 1.5 km of path, 20 minutes."""
PEAK_BAND, OFF_PEAK_BAND = "weekday_peak", "weekday_early"
MODEL_BANDS = (PEAK_BAND, OFF_PEAK_BAND)
_WALK_MIN_PER_KM = 60.0 * WALK_DETOUR / WALK_KMH
_WALK_STEPS = 64.0
"""Walks are rounded to 1/64 minute, so every sum of walks and whole matrix minutes is exact in
float64 and the order of additions (one-to-many, many-to-one, per pair) cannot change a result."""
_NON_PT_FLOOR_MIN = (
    PT_WAIT_SHARE * PT_HEADWAY_MIN[True][1] + 2 * PT_ACCESS_MIN + PT_ACCESS_EXTRA_MIN
)
"""The estimator's public-transport minutes with origin transit 0 and off-peak are at least
this (the wait of a place with one bus a day plus the shortest access walks): with those inputs
its best mode among walk, bike and car is exact wherever it is below this floor."""
TIMETABLE_MAX_MIN = _NON_PT_FLOOR_MIN - 1.0
"""Timetable minutes at or above this count as no journey (they never come near it: the band
window is 3 h and the walks at most 2 × 20 minutes)."""
_CACHE_ENTRIES = 8
_CACHE_FROM = 64
"""Coordinate arrays of at least this many rows have their nearest zones cached by content."""


class TimetableCommute:
    """``CommuteModel`` (and single-trip ``Router``) with timetable public transport."""

    def __init__(
        self, matrices: TransitMatrices, *, estimator: CommuteEstimator | None = None
    ) -> None:
        missing = [b for b in MODEL_BANDS if b not in matrices.bands]
        if missing:
            raise ValueError(f"the transit matrices lack the bands {missing}")
        self.matrices = matrices
        self._estimator = estimator or CommuteEstimator()
        z = matrices.n_zones
        # One row and column more, all UNREACHABLE: "no zone within reach" indexes it.
        self._bands: dict[bool, NDArray[np.uint16]] = {}
        for off_peak, name in ((False, PEAK_BAND), (True, OFF_PEAK_BAND)):
            padded = np.full((z + 1, z + 1), UNREACHABLE, np.uint16)
            padded[:z, :z] = matrices.bands[name]
            self._bands[off_peak] = padded
        self._ref_lat = float(np.mean(matrices.zone_lat)) if z else 51.0
        self._tree = (
            cKDTree(project_km(matrices.zone_lat, matrices.zone_lon, self._ref_lat)) if z else None
        )
        self._cache: OrderedDict[tuple, tuple] = OrderedDict()
        self._lock = threading.Lock()

    # --- nearest zones -------------------------------------------------------------------------

    def _nearest(self, lat: NDArray[np.float64], lon: NDArray[np.float64]):
        """Per point (1-d arrays): K zone indexes (n_zones = none) and walking minutes (inf),
        as (K, n) arrays so that each of the K is contiguous."""
        n, z = len(lat), self.matrices.n_zones
        zone = np.full((K_NEAREST, n), z, np.int64)
        walk = np.full((K_NEAREST, n), np.inf)
        ok = np.isfinite(lat) & np.isfinite(lon)
        if self._tree is None or not ok.any():
            return zone, walk
        xy = project_km(lat[ok], lon[ok], self._ref_lat)
        _, idx = self._tree.query(xy, k=K_NEAREST, distance_upper_bound=ACCESS_MAX_KM * 1.01 + 0.01)
        idx = np.asarray(idx).reshape(-1, K_NEAREST).T
        found = idx < z
        safe = np.where(found, idx, 0)
        km = haversine_km(
            lat[ok][None, :],
            lon[ok][None, :],
            self.matrices.zone_lat[safe],
            self.matrices.zone_lon[safe],
        )
        found &= km <= ACCESS_MAX_KM
        minutes = np.rint(km * (_WALK_MIN_PER_KM * _WALK_STEPS)) / _WALK_STEPS
        zone[:, ok] = np.where(found, idx, z)
        walk[:, ok] = np.where(found, minutes, np.inf)
        return zone, walk

    def _nearest_cached(self, lat: NDArray, lon: NDArray):
        """``_nearest`` for 1-d float64 arrays; large ones from a small LRU cache, as a ranking
        passes the same index columns again and again. The key hashes a sample of the points;
        a hit is confirmed by comparing all of them."""
        if len(lat) < _CACHE_FROM:
            return self._nearest(lat, lon)
        key = (len(lat), hash(lat[::61].tobytes()), hash(lon[::61].tobytes()))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
        if hit is not None and np.array_equal(hit[0], lat) and np.array_equal(hit[1], lon):
            return hit[2], hit[3]
        zone, walk = self._nearest(lat, lon)
        with self._lock:
            self._cache[key] = (lat.copy(), lon.copy(), zone, walk)
            while len(self._cache) > _CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return zone, walk

    def _ends(self, lat: ArrayLike, lon: ArrayLike):
        lat64, lon64 = np.asarray(lat, np.float64), np.asarray(lon, np.float64)
        lat64, lon64 = np.broadcast_arrays(lat64, lon64)
        zone, walk = self._nearest_cached(lat64.ravel(), lon64.ravel())
        return lat64.shape, zone, walk

    # --- public transport ----------------------------------------------------------------------

    @staticmethod
    def _band_minutes(o_zone, o_walk, d_zone, d_walk, band: NDArray[np.uint16], pairing: str):
        """Best over the K × K combinations: walk + matrix + walk (float64, inf = none).

        One origin (or one destination): the best via each of its zones to every zone first
        (K rows of the matrix), then one gather per destination zone candidate.
        """

        def as_float(m: NDArray[np.uint16]) -> NDArray[np.float64]:
            out = m.astype(np.float64)
            out[m == UNREACHABLE] = np.inf
            return out

        if pairing == "one_origin":
            rows = o_walk[:, 0][:, None] + as_float(band[o_zone[:, 0]])
            via = np.minimum.reduce(rows, axis=0)
            best = via[d_zone[0]] + d_walk[0]
            for j in range(1, K_NEAREST):
                np.minimum(best, via[d_zone[j]] + d_walk[j], out=best)
            return best
        if pairing == "one_dest":
            cols = as_float(band[:, d_zone[:, 0]]) + d_walk[:, 0][None, :]
            via = np.minimum.reduce(cols, axis=1)
            best = o_walk[0] + via[o_zone[0]]
            for i in range(1, K_NEAREST):
                np.minimum(best, o_walk[i] + via[o_zone[i]], out=best)
            return best
        best = np.full(o_zone.shape[1], np.inf)
        for i in range(K_NEAREST):
            for j in range(K_NEAREST):
                total = o_walk[i] + as_float(band[o_zone[i], d_zone[j]])
                np.minimum(best, total + d_walk[j], out=best)
        return best

    def transit_minutes(
        self,
        *,
        origin_lat: ArrayLike,
        origin_lon: ArrayLike,
        dest_lat: ArrayLike,
        dest_lon: ArrayLike,
        off_peak: ArrayLike,
    ) -> NDArray[np.float64]:
        """Timetable door-to-door public-transport minutes per pair (broadcast); inf where none."""
        o_shape, o_zone, o_walk = self._ends(origin_lat, origin_lon)
        d_shape, d_zone, d_walk = self._ends(dest_lat, dest_lon)
        off = np.asarray(off_peak, np.bool_)
        if o_zone.shape[1] == 1:
            pairing, shape = "one_origin", d_shape
        elif d_zone.shape[1] == 1:
            pairing, shape = "one_dest", o_shape
        else:
            pairing, shape = "pairs", np.broadcast_shapes(o_shape, d_shape)
            if o_shape != shape:
                o_zone, o_walk = _spread(o_zone, o_shape, shape), _spread(o_walk, o_shape, shape)
            if d_shape != shape:
                d_zone, d_walk = _spread(d_zone, d_shape, shape), _spread(d_walk, d_shape, shape)
        values = {
            flag: self._band_minutes(
                o_zone, o_walk, d_zone, d_walk, self._bands[flag], pairing
            ).reshape(shape)
            for flag in ((False, True) if off.ndim else (bool(off),))
        }
        result = np.where(off, values[True], values[False]) if off.ndim else values[bool(off)]
        full = np.broadcast_shapes(o_shape, d_shape, off.shape)
        return result if result.shape == full else np.broadcast_to(result, full).copy()

    # --- the CommuteModel protocol -------------------------------------------------------------

    def best_minutes(
        self,
        *,
        origin_lat: ArrayLike,
        origin_lon: ArrayLike,
        origin_transit: ArrayLike,
        dest_lat: ArrayLike,
        dest_lon: ArrayLike,
        dest_transit: ArrayLike,
        off_peak: ArrayLike,
        car: ArrayLike,
        bike: ArrayLike,
    ) -> tuple[NDArray[np.float64], NDArray[np.int8]]:
        """Best door-to-door minutes and mode index into MODES, as ``CommuteEstimator``'s, with
        timetable public transport where it has an answer (ties: the earlier mode wins)."""
        common = {
            "origin_lat": origin_lat,
            "origin_lon": origin_lon,
            "dest_lat": dest_lat,
            "dest_lon": dest_lon,
            "dest_transit": dest_transit,
            "car": car,
            "bike": bike,
        }
        estimate, estimate_mode = self._estimator.best_minutes(
            **common, origin_transit=origin_transit, off_peak=off_peak
        )
        # Walk, bike and car ignore origin transit and off_peak; with both at their worst the
        # estimator's public transport cannot win below _NON_PT_FLOOR_MIN.
        other, other_mode = self._estimator.best_minutes(
            **common, origin_transit=np.zeros(np.shape(origin_transit), np.float32), off_peak=True
        )
        pt = self.transit_minutes(
            origin_lat=origin_lat,
            origin_lon=origin_lon,
            dest_lat=dest_lat,
            dest_lon=dest_lon,
            off_peak=off_peak,
        )
        pt = np.broadcast_to(pt, estimate.shape)
        have = pt < TIMETABLE_MAX_MIN
        wins = pt < other
        wins |= (pt == other) & (other_mode == CAR)
        wins |= other_mode == PUBLIC_TRANSPORT
        wins &= have
        minutes = np.where(have, other, estimate)
        mode = np.where(have, other_mode, estimate_mode)
        np.copyto(minutes, pt, where=wins)
        np.copyto(mode, np.int8(PUBLIC_TRANSPORT), where=wins)
        return minutes.astype(np.float64), mode.astype(np.int8)

    def estimate(
        self, origin: PostalPlace, dest: PostalPlace, *, car: bool, bike: bool, off_peak: bool
    ) -> CommuteEstimate:
        """One trip with every mode's minutes; ``source`` "timetable" when its transit wins."""
        base = self._estimator.estimate(origin, dest, car=car, bike=bike, off_peak=off_peak)
        pt = float(
            self.transit_minutes(
                origin_lat=origin.lat,
                origin_lon=origin.lon,
                dest_lat=dest.lat,
                dest_lon=dest.lon,
                off_peak=off_peak,
            )
        )
        if not pt < TIMETABLE_MAX_MIN:
            return base
        per_mode = dict(base.per_mode)
        per_mode["public_transport"] = pt
        available = [(m, per_mode[m]) for m in MODES if per_mode[m] is not None]
        mode, minutes = min(available, key=lambda item: item[1])  # first of equals wins
        return CommuteEstimate(
            minutes=float(minutes),
            mode=mode,
            distance_km=base.distance_km,
            per_mode=per_mode,
            source="timetable" if mode == "public_transport" else base.source,
        )


def _spread(values: NDArray, shape: tuple[int, ...], target: tuple[int, ...]) -> NDArray:
    """Points of one side ((K, n) for the flattened ``shape``) repeated to the ``target`` shape."""
    index = np.broadcast_to(np.arange(int(np.prod(shape))).reshape(shape), target).ravel()
    return values[:, index]


def load_commute_model(path: Path | None) -> TimetableCommute | CommuteEstimator:
    """The timetable model when ``path`` holds a transit file, else the plain estimator.

    A configured file that is missing or unreadable is logged and the estimator used, so
    rankings keep working while the operator fixes it.
    """
    if path is None:
        return CommuteEstimator()
    if not path.is_file():
        logger.warning("transit file %s not found; public transport from the estimate", path)
        return CommuteEstimator()
    try:
        matrices = TransitMatrices.load(path, bands=MODEL_BANDS)
    except ValueError as exc:
        logger.error("transit file unusable, public transport from the estimate: %s", exc)
        return CommuteEstimator()
    return TimetableCommute(matrices)
