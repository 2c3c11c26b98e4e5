"""Door-to-door commute estimates by walking, bike, public transport and car.

A deliberately simple model that needs no network and no timetable: straight-line distance times
a detour factor per mode, average speeds, fixed overheads, and for public transport an access
walk and an expected wait that depend on the transit quality of both ends. The reasoning behind
every constant is in ``docs/commute.md``.

``CommuteEstimator.best_minutes`` is the vectorised path the scoring engine calls for 100,000
destinations per ranking; it computes in float32 (~1 m distance error, far below the model's own
error) because float32 sin/arcsin/exp are an order of magnitude faster in numpy than float64.
The scalar ``estimate`` runs the very same code on 0-d arrays, so both agree exactly.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kai_match.data.geo.distance import haversine_into
from kai_match.data.geo.places import PostalPlace

MODES: tuple[str, ...] = ("walk", "bike", "public_transport", "car")
"""Mode codes returned by ``best_minutes`` are indexes into this tuple (ties go to the lower)."""
WALK, BIKE, PUBLIC_TRANSPORT, CAR = range(4)

# --- all modes ---------------------------------------------------------------------------------
LOCAL_SPREAD_KM = 1.5
"""Typical straight-line distance between home and workplace within one postal place. Postal
places are points, so without it two addresses with the same code would be 0 minutes apart. Added
in quadrature: effective km = sqrt(d² + LOCAL_SPREAD_KM²), negligible beyond a few km."""

# --- walk --------------------------------------------------------------------------------------
WALK_DETOUR = 1.25
"""Footpath length / straight line: pedestrians cut corners, but rivers and fields intervene."""
WALK_KMH = 4.5
WALK_MAX_KM = 6.0
"""Longest walk (path km, ~80 min) offered as a daily commute; longer walks count as unavailable."""

# --- bike --------------------------------------------------------------------------------------
BIKE_DETOUR = 1.25
"""Bikes use minor roads and field tracks; a little straighter than cars."""
BIKE_KMH = 15.0
"""Everyday (not sporty) cycling incl. stops; many participants ride second-hand bikes."""
BIKE_OVERHEAD_MIN = 2.0
"""Unlocking, locking, walking from the bike stand."""
BIKE_MAX_KM = 20.0
"""Longest ride (road km, ~80 min, ~16 km straight line) offered as a daily commute; beyond it the
bike counts as unavailable. The domain rule of thumb: a bike is best up to ~10 km."""

# --- car ---------------------------------------------------------------------------------------
CAR_DETOUR = 1.3
"""Road km / straight line for rural road networks (literature: 1.2–1.4)."""
CAR_LOCAL_KM = 5.0
CAR_LOCAL_KMH = 30.0
"""The first CAR_LOCAL_KM road km are driven at town speed (junctions, 30/50 zones, villages)."""
CAR_RURAL_KMH = 70.0
"""Beyond that: Bundesstraße / Autobahn share rises, so longer trips average more; over 50 km the
average is ~63 km/h, over 10 km ~43 km/h."""
CAR_PARKING_MIN = 2.0
"""Walking to and from the car everywhere."""
CAR_CITY_PARKING_MIN = 8.0
"""Extra parking search scaled by transit⁴ of the destination: ~8 min in Leipzig (transit 1.0),
~4 in Markkleeberg (0.85), 2–3 in rail towns (0.7–0.8), next to none in villages."""

# --- public transport --------------------------------------------------------------------------
PT_DETOUR = 1.3
"""Line km / straight line: lines serve villages on the way and rarely run straight."""
PT_ACCESS_MIN = 4.0
"""Walk to (or from) the stop where stops are dense (transit 1.0), per end of the trip."""
PT_ACCESS_EXTRA_MIN = 10.0
"""Extra access walk per end, times (1 - transit): ~11 min in a village with one bus stop."""
PT_LOCAL_KM = 3.0
PT_LOCAL_KMH = 18.0
"""The first PT_LOCAL_KM line km at tram / town-bus speed (stops every 400 m)."""
PT_BUS_KMH = 28.0
"""Line speed beyond that where the worse end has transit ≤ PT_BUS_TRANSIT: regional bus incl.
detours through villages and one change."""
PT_RAIL_KMH = 50.0
"""Line speed where the worse end has transit ≥ PT_RAIL_TRANSIT: S-Bahn / RE incl. one change."""
PT_BUS_TRANSIT = 0.3
PT_RAIL_TRANSIT = 0.7
PT_HEADWAY_MIN = {False: (10.0, 240.0), True: (20.0, 1440.0)}
"""Headway (minutes between departures) by off_peak: (at transit 1.0, at transit 0.0), log-linear
in between: peak 10 min in Leipzig, ~19 in S-Bahn towns, ~110 in villages; off-peak (before 6:00,
nights, weekends) 20 in Leipzig, ~50 in S-Bahn towns, ~500 (one bus a day or none) in villages.
"""
PT_WAIT_SHARE = 0.5
"""Share of the headway counted as waiting: with a fixed shift start and departures every H
minutes, a commuter arrives on average H/2 early (schedule slack). Lower it to count only the
timetable travel time."""


@dataclass(frozen=True, slots=True)
class CommuteEstimate:
    """The best mode for one trip and the minutes of every mode (None = not available)."""

    minutes: float
    mode: str
    distance_km: float
    """Straight-line (great-circle) distance between the two places."""
    per_mode: dict[str, float | None] = field(default_factory=dict)
    source: str = "estimate"
    """Who produced ``minutes``: "estimate" (this model), "osrm" or "otp" (``HttpRouter``)."""


@runtime_checkable
class Router(Protocol):
    """Anything that estimates one trip: the model, or a routing server behind ``HttpRouter``."""

    def estimate(
        self, origin: PostalPlace, dest: PostalPlace, *, car: bool, bike: bool, off_peak: bool
    ) -> CommuteEstimate: ...


_F32 = np.float32
_UNAVAILABLE = _F32(np.finfo(np.float32).max)
"""Minutes of an unavailable mode inside the kernel (finite, so that 0 × it stays 0)."""

# Derived per-km and fixed terms (Python floats: with NumPy 2 they take the float32 of the array).
_WALK_MIN_PER_KM = 60.0 * WALK_DETOUR / WALK_KMH
_WALK_MAX_EFF_KM = WALK_MAX_KM / WALK_DETOUR
_BIKE_MIN_PER_KM = 60.0 * BIKE_DETOUR / BIKE_KMH
_BIKE_MAX_EFF_KM = BIKE_MAX_KM / BIKE_DETOUR
_CAR_LOCAL_MIN_PER_KM = 60.0 * CAR_DETOUR / CAR_LOCAL_KMH
_CAR_RURAL_MIN_PER_KM = 60.0 * CAR_DETOUR / CAR_RURAL_KMH
_CAR_RURAL_OFFSET_MIN = 60.0 * CAR_LOCAL_KM * (1.0 / CAR_LOCAL_KMH - 1.0 / CAR_RURAL_KMH)
_PT_LOCAL_MIN_PER_LINE_KM = 60.0 / PT_LOCAL_KMH
_PT_LOCAL_FIXED_MIN = PT_LOCAL_KM * _PT_LOCAL_MIN_PER_LINE_KM
_PT_BUS_MIN_PER_LINE_KM = 60.0 / PT_BUS_KMH
_PT_RAIL_MIN_PER_LINE_KM = 60.0 / PT_RAIL_KMH
_PT_LINE_SLOPE = (_PT_RAIL_MIN_PER_LINE_KM - _PT_BUS_MIN_PER_LINE_KM) / (
    PT_RAIL_TRANSIT - PT_BUS_TRANSIT
)
_PT_LINE_INTERCEPT = _PT_BUS_MIN_PER_LINE_KM - _PT_LINE_SLOPE * PT_BUS_TRANSIT
_PT_ACCESS_BOTH_MIN = 2.0 * (PT_ACCESS_MIN + PT_ACCESS_EXTRA_MIN)
_PT_WAIT_AT_BEST = (
    PT_WAIT_SHARE * PT_HEADWAY_MIN[False][0],
    PT_WAIT_SHARE * PT_HEADWAY_MIN[True][0],
)
_PT_LOG_RATIO = tuple(
    math.log(PT_HEADWAY_MIN[off][1] / PT_HEADWAY_MIN[off][0]) for off in (False, True)
)


def _off_peak_term(
    off_peak: bool | NDArray[np.bool_], peak: float, off: float, out: NDArray[np.float32]
) -> NDArray[np.float32]:
    """peak + off_peak × (off − peak), always by the same float32 steps, so that scalar and
    array calls agree bit for bit; branch-free for arrays (np.where is slow on random masks)."""
    target = out if isinstance(off_peak, np.ndarray) else np.empty((), _F32)
    np.multiply(off_peak, off - peak, out=target)
    return np.add(target, peak, out=target)


class _Workspace:
    """Scratch arrays reused across calls of one thread, viewed in the shape of each call.

    Fresh 100k-element temporaries cost more in page faults than the arithmetic itself. The flat
    buffers only grow (by at least a quarter, so a vacancy index growing one row at a time does
    not reallocate on every call).
    """

    _FLOATS = ("dist", "eff", "best", "t", "a", "b", "c", "d")

    def __init__(self) -> None:
        self.capacity = 0
        self._flat: dict[str, NDArray] = {}

    def view(self, shape: tuple[int, ...]) -> SimpleNamespace:
        size = math.prod(shape)
        if size > self.capacity or not self._flat:
            self.capacity = max(size, self.capacity + self.capacity // 4)
            self._flat = {name: np.empty(self.capacity, _F32) for name in self._FLOATS}
            self._flat["mask"] = np.empty(self.capacity, np.bool_)
            self._flat["step"] = np.empty(self.capacity, np.int8)
        views = {name: flat[:size].reshape(shape) for name, flat in self._flat.items()}
        return SimpleNamespace(shape=shape, **views)


_local = threading.local()


def _workspace(shape: tuple[int, ...]) -> SimpleNamespace:
    ws: _Workspace | None = getattr(_local, "workspace", None)
    if ws is None:
        ws = _local.workspace = _Workspace()
    return ws.view(shape)


def _f32(x: ArrayLike) -> NDArray[np.float32]:
    return np.asarray(x, dtype=_F32)


def _flag(x: ArrayLike) -> bool | NDArray[np.bool_]:
    """A scalar flag as a plain bool (lets the kernel skip a whole mode), arrays as bool arrays."""
    arr = np.asarray(x, dtype=np.bool_)
    return bool(arr) if arr.ndim == 0 else arr


def _mark_unavailable(t: NDArray, ws: SimpleNamespace) -> None:
    """t := _UNAVAILABLE where ws.mask; branch-free (np.where is slow on random masks)."""
    np.multiply(ws.mask, _UNAVAILABLE, out=ws.a)
    np.maximum(t, ws.a, out=t)


def _take(t: NDArray, index: int, ws: SimpleNamespace, mode: NDArray[np.int8]) -> None:
    """Fold mode ``index`` into the running best; strict < keeps the lower index on ties."""
    np.less(t, ws.best, out=ws.mask)
    np.minimum(ws.best, t, out=ws.best)
    # Modes are folded in increasing index, so "became best" means "mode := index".
    np.multiply(ws.mask.view(np.int8), np.int8(index), out=ws.step)
    np.maximum(mode, ws.step, out=mode)


def _kernel(
    ws: SimpleNamespace,
    o_lat: NDArray[np.float32],
    o_lon: NDArray[np.float32],
    o_q: NDArray[np.float32],
    d_lat: NDArray[np.float32],
    d_lon: NDArray[np.float32],
    d_q: NDArray[np.float32],
    off_peak: bool | NDArray[np.bool_],
    car: bool | NDArray[np.bool_],
    bike: bool | NDArray[np.bool_],
    record: list[float | None] | None = None,
) -> NDArray[np.int8]:
    """Best minutes into ``ws.best``, returns the mode array; ``record`` collects per-mode minutes
    (scalar calls only)."""

    def keep(t: NDArray | None) -> None:
        if record is not None:
            record.append(None if t is None or t >= _UNAVAILABLE else float(t))

    mode = np.zeros(ws.shape, np.int8)
    dist, eff, t, a, b, c, d = ws.dist, ws.eff, ws.t, ws.a, ws.b, ws.c, ws.d
    haversine_into(dist, (a, b, c), o_lat, o_lon, d_lat, d_lon)
    np.multiply(dist, dist, out=eff)
    np.add(eff, LOCAL_SPREAD_KM * LOCAL_SPREAD_KM, out=eff)
    np.sqrt(eff, out=eff)

    # Walk: always the first candidate, unavailable beyond WALK_MAX_KM.
    np.multiply(eff, _WALK_MIN_PER_KM, out=ws.best)
    np.greater(eff, _WALK_MAX_EFF_KM, out=ws.mask)
    _mark_unavailable(ws.best, ws)
    keep(ws.best)

    if bike is False:
        keep(None)
    else:
        np.multiply(eff, _BIKE_MIN_PER_KM, out=t)
        np.add(t, BIKE_OVERHEAD_MIN, out=t)
        np.greater(eff, _BIKE_MAX_EFF_KM, out=ws.mask)
        if bike is not True:
            np.logical_or(ws.mask, np.logical_not(bike), out=ws.mask)
        _mark_unavailable(t, ws)
        keep(t)
        _take(t, BIKE, ws, mode)

    # Public transport: the worse end decides headway and line speed; always available.
    np.minimum(o_q, d_q, out=a)  # a = worse transit quality
    np.subtract(1.0, a, out=t)
    np.multiply(t, _off_peak_term(off_peak, *_PT_LOG_RATIO, b), out=t)
    np.exp(t, out=t)
    np.multiply(t, _off_peak_term(off_peak, *_PT_WAIT_AT_BEST, b), out=t)  # t = expected wait
    np.multiply(a, _PT_LINE_SLOPE, out=b)
    np.add(b, _PT_LINE_INTERCEPT, out=b)
    np.clip(b, _PT_RAIL_MIN_PER_LINE_KM, _PT_BUS_MIN_PER_LINE_KM, out=b)  # b = min per line km
    np.multiply(eff, PT_DETOUR, out=c)  # c = line km
    # Piecewise linear, concave in distance: the first km at local speed, the rest at line
    # speed. The minimum of the two lines is exactly that and keeps minutes monotone.
    np.subtract(c, PT_LOCAL_KM, out=d)
    np.multiply(d, b, out=b)
    np.add(b, _PT_LOCAL_FIXED_MIN, out=b)
    np.multiply(c, _PT_LOCAL_MIN_PER_LINE_KM, out=c)
    np.minimum(b, c, out=b)  # b = ride
    np.add(t, b, out=t)
    np.add(o_q, d_q, out=a)
    np.multiply(a, PT_ACCESS_EXTRA_MIN, out=a)
    np.subtract(_PT_ACCESS_BOTH_MIN, a, out=a)  # a = access + egress walk
    np.add(t, a, out=t)
    keep(t)
    _take(t, PUBLIC_TRANSPORT, ws, mode)

    if car is False:
        keep(None)
    else:
        np.multiply(eff, _CAR_LOCAL_MIN_PER_KM, out=t)
        np.multiply(eff, _CAR_RURAL_MIN_PER_KM, out=a)
        np.add(a, _CAR_RURAL_OFFSET_MIN, out=a)
        np.minimum(t, a, out=t)
        np.multiply(d_q, d_q, out=a)
        np.multiply(a, a, out=a)
        np.multiply(a, CAR_CITY_PARKING_MIN, out=a)
        np.add(a, CAR_PARKING_MIN, out=a)
        np.add(t, a, out=t)
        if car is not True:
            np.logical_not(car, out=ws.mask)
            _mark_unavailable(t, ws)
        keep(t)
        _take(t, CAR, ws, mode)
    return mode


class CommuteEstimator:
    """The default commute model: pure numpy, no I/O, safe to share between threads."""

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
        """Best door-to-door minutes (float64) and the mode index into MODES (int8) per pair.

        All arguments broadcast, so one origin against 100,000 destinations (or the reverse) is a
        single call; pass float32 coordinate/transit arrays to skip a conversion copy. Transit
        values must lie in [0, 1]; NaN coordinates give NaN minutes.
        """
        o_lat, o_lon, o_q = _f32(origin_lat), _f32(origin_lon), _f32(origin_transit)
        d_lat, d_lon, d_q = _f32(dest_lat), _f32(dest_lon), _f32(dest_transit)
        off, car_f, bike_f = _flag(off_peak), _flag(car), _flag(bike)
        shape = np.broadcast_shapes(
            *(np.shape(x) for x in (o_lat, o_lon, o_q, d_lat, d_lon, d_q, off, car_f, bike_f))
        )
        ws = _workspace(shape)
        mode = _kernel(ws, o_lat, o_lon, o_q, d_lat, d_lon, d_q, off, car_f, bike_f)
        return ws.best.astype(np.float64), mode

    def estimate(
        self, origin: PostalPlace, dest: PostalPlace, *, car: bool, bike: bool, off_peak: bool
    ) -> CommuteEstimate:
        """One trip with the minutes of every mode, for explanations ("why not")."""
        ws = _workspace(())
        record: list[float | None] = []
        mode = _kernel(
            ws,
            _f32(origin.lat),
            _f32(origin.lon),
            _f32(origin.transit),
            _f32(dest.lat),
            _f32(dest.lon),
            _f32(dest.transit),
            bool(off_peak),
            bool(car),
            bool(bike),
            record,
        )
        return CommuteEstimate(
            minutes=float(ws.best.astype(np.float64)),
            mode=MODES[int(mode)],
            distance_km=float(ws.dist),
            per_mode=dict(zip(MODES, record, strict=True)),
        )
