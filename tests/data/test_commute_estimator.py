"""The vectorised commute model: domain expectations, properties and scalar/vector agreement."""

from __future__ import annotations

import time
from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kai_match.data.geo import (
    MODES,
    CommuteEstimate,
    CommuteEstimator,
    PostalPlace,
    Router,
    district_postal_codes,
    lookup_postal_code,
)
from kai_match.data.geo import commute as model

EST = CommuteEstimator()


def place(code: str) -> PostalPlace:
    found = lookup_postal_code(code)
    assert found is not None, code
    return found


def synthetic(lat: float, lon: float, transit: float) -> PostalPlace:
    return PostalPlace("00000", lat, lon, "Testdorf", None, None, transit)


def vector(origins: list[PostalPlace], dests: list[PostalPlace], **flags: object):
    return EST.best_minutes(
        origin_lat=np.array([p.lat for p in origins]),
        origin_lon=np.array([p.lon for p in origins]),
        origin_transit=np.array([p.transit for p in origins]),
        dest_lat=np.array([p.lat for p in dests]),
        dest_lon=np.array([p.lon for p in dests]),
        dest_transit=np.array([p.transit for p in dests]),
        **flags,
    )


WURZEN, FROHBURG, GRIMMA, BORNA = (place(c) for c in ("04808", "04654", "04668", "04552"))


def test_estimator_is_a_router() -> None:
    assert isinstance(EST, Router)
    assert MODES == ("walk", "bike", "public_transport", "car")


@pytest.mark.parametrize("bike", [False, True])
@pytest.mark.parametrize("off_peak", [False, True])
def test_frohburg_is_out_of_reach_from_wurzen_without_car(bike: bool, off_peak: bool) -> None:
    est = EST.estimate(WURZEN, FROHBURG, car=False, bike=bike, off_peak=off_peak)
    assert est.minutes > 30
    assert est.per_mode["bike"] is None  # ~40 km: beyond any daily bike ride
    assert est.per_mode["car"] is None
    assert est.per_mode["public_transport"] is not None
    assert est.per_mode["public_transport"] > 30


def test_frohburg_is_within_an_hour_from_wurzen_by_car() -> None:
    est = EST.estimate(WURZEN, FROHBURG, car=True, bike=True, off_peak=False)
    assert est.mode == "car"
    assert est.minutes <= 60
    assert est.distance_km == pytest.approx(36.9, abs=1.0)


@pytest.mark.parametrize("bike", [False, True])
def test_job_in_own_town_is_reachable_without_car(bike: bool) -> None:
    est = EST.estimate(WURZEN, WURZEN, car=False, bike=bike, off_peak=False)
    assert est.minutes <= 30
    assert est.minutes > 0  # same postal code is not the same door
    assert est.mode == ("bike" if bike else "walk")


def test_estimate_fields() -> None:
    est = EST.estimate(BORNA, GRIMMA, car=True, bike=True, off_peak=False)
    assert isinstance(est, CommuteEstimate)
    assert est.source == "estimate"
    assert set(est.per_mode) == set(MODES)
    assert est.per_mode["walk"] is None  # 20 km
    assert est.per_mode["bike"] is None  # 20 km straight line ≈ 25 km by bike
    assert est.mode == "car"
    assert est.minutes == min(v for v in est.per_mode.values() if v is not None)
    assert 20 < est.minutes < 45
    assert 45 < est.per_mode["public_transport"] < 100


def test_city_public_transport_beats_village_bus() -> None:
    leipzig_a, leipzig_b = place("04109"), place("04318")
    city = EST.estimate(leipzig_a, leipzig_b, car=False, bike=False, off_peak=False)
    colditz, village_near = place("04680"), synthetic(51.18, 12.80, 0.25)
    rural = EST.estimate(colditz, village_near, car=False, bike=False, off_peak=False)
    assert city.mode == "public_transport"
    assert city.minutes < rural.per_mode["public_transport"]


def test_early_shift_from_a_village_without_car_is_hopeless_by_bus() -> None:
    village, town = synthetic(51.2, 12.62, 0.25), place("04668")
    peak = EST.estimate(village, town, car=False, bike=False, off_peak=False)
    early = EST.estimate(village, town, car=False, bike=False, off_peak=True)
    assert early.per_mode["public_transport"] > 2 * peak.per_mode["public_transport"]
    assert early.minutes > 120


def test_bike_wins_for_about_ten_km_between_villages() -> None:
    a, b = synthetic(51.20, 12.60, 0.25), synthetic(51.29, 12.60, 0.25)  # 10 km
    est = EST.estimate(a, b, car=False, bike=True, off_peak=False)
    assert est.mode == "bike"
    assert est.minutes < 60


def test_vector_shapes_and_dtypes() -> None:
    codes = district_postal_codes()
    dests = [place(c) for c in codes]
    minutes, modes = vector([WURZEN], dests, off_peak=False, car=True, bike=False)
    assert minutes.shape == modes.shape == (len(codes),)
    assert minutes.dtype == np.float64 and modes.dtype == np.int8
    assert np.all(np.isfinite(minutes)) and np.all(minutes > 0)
    assert set(np.unique(modes)) <= {0, 2, 3}  # no bike offered

    # many origins × many destinations as an outer product
    m2, k2 = EST.best_minutes(
        origin_lat=np.array([[WURZEN.lat], [BORNA.lat]]),
        origin_lon=np.array([[WURZEN.lon], [BORNA.lon]]),
        origin_transit=np.array([[WURZEN.transit], [BORNA.transit]]),
        dest_lat=np.array([p.lat for p in dests]),
        dest_lon=np.array([p.lon for p in dests]),
        dest_transit=np.array([p.transit for p in dests]),
        off_peak=False,
        car=True,
        bike=False,
    )
    assert m2.shape == (2, len(codes))
    np.testing.assert_array_equal(m2[0], minutes)
    np.testing.assert_array_equal(k2[0], modes)


def test_scalar_inputs_give_zero_d_arrays() -> None:
    minutes, mode = EST.best_minutes(
        origin_lat=BORNA.lat,
        origin_lon=BORNA.lon,
        origin_transit=BORNA.transit,
        dest_lat=GRIMMA.lat,
        dest_lon=GRIMMA.lon,
        dest_transit=GRIMMA.transit,
        off_peak=False,
        car=True,
        bike=True,
    )
    assert minutes.shape == () and mode.shape == ()
    single = EST.estimate(BORNA, GRIMMA, car=True, bike=True, off_peak=False)
    assert float(minutes) == single.minutes


def test_per_row_flags_broadcast() -> None:
    """Many participants (each with their own car/bike) against one vacancy."""
    origins = [WURZEN, BORNA, GRIMMA, place("04109")]
    car = np.array([True, False, True, False])
    bike = np.array([False, True, True, False])
    off = np.array([True, False, False, True])
    minutes, modes = vector(origins, [FROHBURG], off_peak=off, car=car, bike=bike)
    for i, origin in enumerate(origins):
        est = EST.estimate(
            origin, FROHBURG, car=bool(car[i]), bike=bool(bike[i]), off_peak=bool(off[i])
        )
        assert minutes[i] == est.minutes
        assert MODES[modes[i]] == est.mode


def test_speed_of_100k_destinations() -> None:
    """Loose guard (the documented figure is ~1 ms); catches a return to unbuffered code."""
    rng = np.random.default_rng(1)
    n = 100_000
    lat = rng.uniform(50.9, 51.5, n).astype(np.float32)
    lon = rng.uniform(12.1, 13.0, n).astype(np.float32)
    q = rng.uniform(0, 1, n).astype(np.float32)
    kwargs = dict(origin_lat=51.39, origin_lon=12.8, origin_transit=0.8)
    kwargs |= dict(dest_lat=lat, dest_lon=lon, dest_transit=q, off_peak=False, car=True, bike=True)
    EST.best_minutes(**kwargs)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        EST.best_minutes(**kwargs)
        runs.append(time.perf_counter() - start)
    assert min(runs) < 0.015


# --- properties --------------------------------------------------------------------------------

lats = st.floats(50.5, 52.0, allow_nan=False)
lons = st.floats(11.5, 13.5, allow_nan=False)
transits = st.floats(0.0, 1.0, allow_nan=False)
flags = st.booleans()


@st.composite
def places(draw: st.DrawFn) -> PostalPlace:
    return synthetic(draw(lats), draw(lons), draw(transits))


def _as_inf(value: float | None) -> float:
    return float("inf") if value is None else value


@settings(max_examples=300, deadline=None)
@given(
    origin=places(),
    dest_q=transits,
    bearing=st.sampled_from(["north", "east", "south", "west"]),
    near=st.floats(0.0, 0.6),
    extra=st.floats(0.0, 0.6),
    car=flags,
    bike=flags,
    off_peak=flags,
)
def test_more_distance_never_gives_fewer_minutes(
    origin: PostalPlace,
    dest_q: float,
    bearing: str,
    near: float,
    extra: float,
    car: bool,
    bike: bool,
    off_peak: bool,
) -> None:
    def at(offset: float) -> PostalPlace:
        dlat = {"north": offset, "south": -offset}.get(bearing, 0.0)
        dlon = {"east": offset, "west": -offset}.get(bearing, 0.0)
        return synthetic(origin.lat + dlat, origin.lon + dlon, dest_q)

    closer = EST.estimate(origin, at(near), car=car, bike=bike, off_peak=off_peak)
    farther = EST.estimate(origin, at(near + extra), car=car, bike=bike, off_peak=off_peak)
    assert closer.distance_km <= farther.distance_km
    for mode in MODES:
        assert _as_inf(closer.per_mode[mode]) <= _as_inf(farther.per_mode[mode]), mode
    assert closer.minutes <= farther.minutes


@settings(max_examples=300, deadline=None)
@given(origin=places(), dest=places(), car=flags, bike=flags)
def test_off_peak_public_transport_is_never_faster(
    origin: PostalPlace, dest: PostalPlace, car: bool, bike: bool
) -> None:
    peak = EST.estimate(origin, dest, car=car, bike=bike, off_peak=False)
    off = EST.estimate(origin, dest, car=car, bike=bike, off_peak=True)
    assert off.per_mode["public_transport"] >= peak.per_mode["public_transport"]
    assert off.minutes >= peak.minutes
    for mode in ("walk", "bike", "car"):
        assert off.per_mode[mode] == peak.per_mode[mode]


@settings(max_examples=300, deadline=None)
@given(origin=places(), dest=places(), bike=flags, off_peak=flags)
def test_a_car_or_a_bike_never_makes_it_slower(
    origin: PostalPlace, dest: PostalPlace, bike: bool, off_peak: bool
) -> None:
    without = EST.estimate(origin, dest, car=False, bike=False, off_peak=off_peak)
    with_bike = EST.estimate(origin, dest, car=False, bike=bike, off_peak=off_peak)
    with_car = EST.estimate(origin, dest, car=True, bike=bike, off_peak=off_peak)
    assert with_car.minutes <= with_bike.minutes <= without.minutes


@settings(max_examples=100, deadline=None)
@given(
    origin=places(),
    dests=st.lists(places(), min_size=1, max_size=40),
    car=flags,
    bike=flags,
    off_peak=flags,
)
def test_vector_and_scalar_paths_agree_exactly(
    origin: PostalPlace, dests: list[PostalPlace], car: bool, bike: bool, off_peak: bool
) -> None:
    one_to_many = vector([origin], dests, off_peak=off_peak, car=car, bike=bike)
    many_to_one = vector(dests, [origin], off_peak=off_peak, car=car, bike=bike)
    for i, dest in enumerate(dests):
        forward = EST.estimate(origin, dest, car=car, bike=bike, off_peak=off_peak)
        backward = EST.estimate(dest, origin, car=car, bike=bike, off_peak=off_peak)
        assert one_to_many[0][i] == forward.minutes
        assert MODES[one_to_many[1][i]] == forward.mode
        assert many_to_one[0][i] == backward.minutes
        assert MODES[many_to_one[1][i]] == backward.mode


def test_constants_are_sane() -> None:
    """The piecewise speeds must slow down towards the start, or min() would not be the curve."""
    assert model.CAR_LOCAL_KMH < model.CAR_RURAL_KMH
    assert model.PT_LOCAL_KMH < model.PT_BUS_KMH < model.PT_RAIL_KMH
    assert model.PT_BUS_TRANSIT < model.PT_RAIL_TRANSIT
    for off in (False, True):
        best, worst = model.PT_HEADWAY_MIN[off]
        assert 0 < best < worst
    assert model.PT_HEADWAY_MIN[True][0] >= model.PT_HEADWAY_MIN[False][0]
    assert model.PT_HEADWAY_MIN[True][1] >= model.PT_HEADWAY_MIN[False][1]


def test_example_table_of_the_docs() -> None:
    from kai_match.data.geo.examples import example_table

    table = example_table()
    assert table.count("\n") == 1 + 2 * 6
    assert "| Wurzen 04808 → Frohburg 04654 | 36.9 | peak |" in table


def test_threads_do_not_share_scratch_buffers() -> None:
    """Rankings run in FastAPI's thread pool; each thread has its own workspace."""
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(2)
    jobs = []
    for size in (5_000, 20_000, 1, 60_000):
        lat, lon = rng.uniform(50.9, 51.5, size), rng.uniform(12.1, 13.0, size)
        jobs.append(dict(dest_lat=lat, dest_lon=lon, dest_transit=rng.uniform(0, 1, size)))
    common = dict(origin_lat=51.12, origin_lon=12.5, origin_transit=0.8, off_peak=False)

    def run(job: dict) -> tuple[np.ndarray, np.ndarray]:
        for _ in range(20):
            result = EST.best_minutes(**common, **job, car=True, bike=True)
        return result

    expected = [run(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, jobs * 3))
    for got, want in zip(results, expected * 3, strict=True):
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_array_equal(got[1], want[1])


def test_no_destinations() -> None:
    """Also as the first call of a fresh thread, whose workspace is still empty."""
    from concurrent.futures import ThreadPoolExecutor

    empty = np.array([], dtype=np.float32)
    call = partial(
        EST.best_minutes,
        origin_lat=51.1,
        origin_lon=12.5,
        origin_transit=0.5,
        dest_lat=empty,
        dest_lon=empty,
        dest_transit=empty,
        off_peak=np.array([], dtype=bool),
        car=True,
        bike=True,
    )
    with ThreadPoolExecutor(max_workers=1) as pool:
        minutes, modes = pool.submit(call).result()
    assert minutes.shape == modes.shape == (0,)
    minutes, modes = call()
    assert minutes.shape == modes.shape == (0,)
