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
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kai_match.data.geo.distance import haversine_km
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
~4 min in Markkleeberg (0.85), under 1 min in towns and villages."""

# --- public transport --------------------------------------------------------------------------
PT_DETOUR = 1.3
"""Line km / straight line: lines serve villages on the way and rarely run straight."""
PT_ACCESS_MIN = 4.0
"""Walk to (or from) the stop where stops are dense (transit 1.0), per end of the trip."""
PT_ACCESS_EXTRA_MIN = 12.0
"""Extra access walk per end, times (1 - transit): ~13 min in a village with one bus stop."""
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
The expected wait is half the headway: with a fixed shift start, one arrives on average half a
headway early (or waits that long at the start)."""


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
_INF = _F32(np.inf)

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
_PT_WAIT = {
    off: (0.5 * best, math.log(worst / best)) for off, (best, worst) in PT_HEADWAY_MIN.items()
}


def _f32(x: ArrayLike) -> NDArray[np.float32]:
    return np.asarray(x, dtype=_F32)


def _flag(x: ArrayLike) -> bool | NDArray[np.bool_]:
    """A scalar flag as a plain bool (lets the kernel skip a whole mode), arrays as bool arrays."""
    arr = np.asarray(x, dtype=bool)
    return bool(arr) if arr.ndim == 0 else arr


def _mode_minutes(
    dist: NDArray[np.float32],
    o_q: NDArray[np.float32],
    d_q: NDArray[np.float32],
    off_peak: bool | NDArray[np.bool_],
    car: bool | NDArray[np.bool_],
    bike: bool | NDArray[np.bool_],
) -> list[NDArray[np.float32] | None]:
    """Minutes per mode in MODES order; inf where unavailable, None where unavailable for all."""
    eff = np.sqrt(dist * dist + LOCAL_SPREAD_KM * LOCAL_SPREAD_KM)

    walk = eff * _WALK_MIN_PER_KM
    walk = np.where(eff > _WALK_MAX_EFF_KM, _INF, walk)

    bike_t = None
    if bike is not False:
        bike_t = BIKE_OVERHEAD_MIN + eff * _BIKE_MIN_PER_KM
        unavailable = eff > _BIKE_MAX_EFF_KM
        if bike is not True:
            unavailable = unavailable | ~bike
        bike_t = np.where(unavailable, _INF, bike_t)

    # Public transport: the worse end decides headway and line speed.
    q = np.minimum(o_q, d_q)
    if isinstance(off_peak, bool):
        half_headway, log_ratio = _PT_WAIT[off_peak]
    else:
        half_headway = np.where(off_peak, _F32(_PT_WAIT[True][0]), _F32(_PT_WAIT[False][0]))
        log_ratio = np.where(off_peak, _F32(_PT_WAIT[True][1]), _F32(_PT_WAIT[False][1]))
    wait = half_headway * np.exp((1.0 - q) * log_ratio)
    access = _PT_ACCESS_BOTH_MIN - PT_ACCESS_EXTRA_MIN * (o_q + d_q)
    line_min_per_km = np.clip(
        _PT_LINE_INTERCEPT + _PT_LINE_SLOPE * q, _PT_RAIL_MIN_PER_LINE_KM, _PT_BUS_MIN_PER_LINE_KM
    )
    line_km = eff * PT_DETOUR
    # Piecewise linear and concave in distance: the first km at local speed, the rest at line
    # speed; the minimum of the two lines is exactly that and keeps minutes monotone in distance.
    ride = np.minimum(
        line_km * _PT_LOCAL_MIN_PER_LINE_KM,
        (line_km - PT_LOCAL_KM) * line_min_per_km + _PT_LOCAL_FIXED_MIN,
    )
    pt = access + wait + ride

    car_t = None
    if car is not False:
        drive = np.minimum(
            eff * _CAR_LOCAL_MIN_PER_KM, eff * _CAR_RURAL_MIN_PER_KM + _CAR_RURAL_OFFSET_MIN
        )
        dq2 = d_q * d_q
        car_t = drive + (CAR_PARKING_MIN + CAR_CITY_PARKING_MIN * (dq2 * dq2))
        if car is not True:
            car_t = np.where(car, car_t, _INF)
    return [walk, bike_t, pt, car_t]


def _pick_best(
    times: list[NDArray[np.float32] | None], shape: tuple[int, ...]
) -> tuple[NDArray[np.float64], NDArray[np.int8]]:
    """Fastest available mode per pair; on a tie the lower index in MODES wins."""
    best = np.array(np.broadcast_to(times[WALK], shape), dtype=_F32)
    mode = np.zeros(shape, dtype=np.int8)
    for index in (BIKE, PUBLIC_TRANSPORT, CAR):
        t = times[index]
        if t is None:
            continue
        better = t < best
        np.copyto(mode, np.int8(index), where=better)
        np.minimum(best, t, out=best)
    return best.astype(np.float64), mode


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
        single call; pass float32 coordinate/transit arrays to skip a conversion copy.
        """
        o_lat, o_lon, o_q = _f32(origin_lat), _f32(origin_lon), _f32(origin_transit)
        d_lat, d_lon, d_q = _f32(dest_lat), _f32(dest_lon), _f32(dest_transit)
        off, car_f, bike_f = _flag(off_peak), _flag(car), _flag(bike)
        shape = np.broadcast_shapes(
            *(np.shape(x) for x in (o_lat, o_lon, o_q, d_lat, d_lon, d_q, off, car_f, bike_f))
        )
        dist = haversine_km(o_lat, o_lon, d_lat, d_lon)
        return _pick_best(_mode_minutes(dist, o_q, d_q, off, car_f, bike_f), shape)

    def estimate(
        self, origin: PostalPlace, dest: PostalPlace, *, car: bool, bike: bool, off_peak: bool
    ) -> CommuteEstimate:
        """One trip with the minutes of every mode, for explanations ("why not")."""
        o_lat, o_lon, o_q = _f32(origin.lat), _f32(origin.lon), _f32(origin.transit)
        d_lat, d_lon, d_q = _f32(dest.lat), _f32(dest.lon), _f32(dest.transit)
        dist = haversine_km(o_lat, o_lon, d_lat, d_lon)
        times = _mode_minutes(dist, o_q, d_q, bool(off_peak), bool(car), bool(bike))
        best, mode = _pick_best(times, ())
        per_mode: dict[str, float | None] = {}
        for name, t in zip(MODES, times, strict=True):
            per_mode[name] = None if t is None or not np.isfinite(t) else float(t)
        return CommuteEstimate(
            minutes=float(best),
            mode=MODES[int(mode)],
            distance_km=float(dist),
            per_mode=per_mode,
        )
