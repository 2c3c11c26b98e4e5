"""TimetableCommute: exact public-transport minutes from the test timetable, fallback to the
estimate, the same answers vectorised and per pair, tie-breaking, the loader and the service."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from gtfs_fixture import BBOX, STOPS, write_feed

from kai_match.data.geo import MODES, CommuteEstimator, PostalPlace, Router, haversine_km
from kai_match.data.geo.commute import WALK_DETOUR, WALK_KMH
from kai_match.data.geo.timetable import (
    BBox,
    TimetableCommute,
    load_commute_model,
    precompute,
    read_feed,
)
from kai_match.data.geo.timetable import model as timetable_model
from kai_match.scoring import CommuteModel

EST = CommuteEstimator()
PT = MODES.index("public_transport")
NO_VEHICLE = {"car": False, "bike": False}


@pytest.fixture(scope="module")
def matrices(tmp_path_factory):
    feed = write_feed(tmp_path_factory.mktemp("gtfs") / "feed.zip")
    return precompute(read_feed(feed, bbox=BBox.parse(BBOX), on=date(2025, 3, 4)))


@pytest.fixture(scope="module")
def model(matrices):
    return TimetableCommute(matrices)


def place(lat: float, lon: float, transit: float = 0.5) -> PostalPlace:
    return PostalPlace("00000", lat, lon, "Testdorf", None, None, transit)


def at(name: str, east_km: float = 0.0) -> tuple[float, float]:
    lat, lon = STOPS[name]
    return lat, lon + east_km / (111.1951 * np.cos(np.radians(lat)))


def walk_minutes(a: tuple[float, float], b: tuple[float, float]) -> float:
    km = float(haversine_km(a[0], a[1], b[0], b[1]))
    return round(km * 60 * WALK_DETOUR / WALK_KMH * 64) / 64


def one(model, origin, dest, **flags):
    kw = NO_VEHICLE | {"off_peak": False} | flags
    minutes, mode = model.best_minutes(
        origin_lat=origin[0],
        origin_lon=origin[1],
        origin_transit=0.5,
        dest_lat=dest[0],
        dest_lon=dest[1],
        dest_transit=0.5,
        **kw,
    )
    return float(minutes), MODES[int(mode)]


def test_it_is_a_commute_model_and_a_router(model):
    assert isinstance(model, CommuteModel)
    assert isinstance(model, Router)


def test_stop_to_stop_minutes_are_the_band_minutes(model):
    assert one(model, at("A"), at("D")) == (60.0, "public_transport")
    assert one(model, at("A"), at("E")) == (90.0, "public_transport")
    assert one(model, at("A"), at("D"), off_peak=True) == (60.0, "public_transport")


def test_walks_to_and_from_the_zones_are_added(model):
    home, work = at("A", east_km=-0.5), at("D", east_km=0.8)
    expected = walk_minutes(home, at("A")) + 60 + walk_minutes(at("D"), work)
    assert one(model, home, work) == (expected, "public_transport")
    assert 60 + (0.5 + 0.8) * 16.6 < expected < 60 + (0.5 + 0.8) * 16.7


def test_the_best_of_the_nearest_zones_is_taken(model):
    # Between C and CB (150 m from each): via CB the bus is 10 min, via C 15.
    home = ((STOPS["C"][0] + STOPS["CB"][0]) / 2, STOPS["C"][1])
    minutes, mode = one(model, home, at("D"))
    assert mode == "public_transport"
    assert minutes == walk_minutes(home, at("CB")) + 10


def test_no_early_train_falls_back_to_the_estimate(model):
    # Arrive at E by 06:00: the first train reaches C at 05:20, after the 05:21 bus has gone.
    got = one(model, at("A"), at("E"), off_peak=True)
    assert got == one(EST, at("A"), at("E"), off_peak=True)
    assert got[1] == "public_transport" and got[0] != 90.0


def test_no_zone_within_walking_reach_falls_back_to_the_estimate(model):
    far = (51.45, 12.3)  # ~20 km from every stop
    for dest in (at("D"), at("E"), (51.3, 12.4)):
        for flags in ({}, {"car": True, "bike": True}, {"off_peak": True}):
            assert one(model, far, dest, **flags) == one(EST, far, dest, **flags)
    # 1.3 km from A: just beyond reach.
    assert one(model, at("A", east_km=-1.3), at("D")) == one(EST, at("A", east_km=-1.3), at("D"))


def test_faster_modes_still_win(model):
    minutes, mode = one(model, at("A"), at("D"), car=True)
    assert mode == "car" and minutes < 60
    assert minutes == one(EST, at("A"), at("D"), car=True)[0]


def test_off_peak_per_row(model):
    minutes, modes = model.best_minutes(
        origin_lat=STOPS["A"][0],
        origin_lon=STOPS["A"][1],
        origin_transit=0.5,
        dest_lat=np.array([STOPS["E"][0]] * 2),
        dest_lon=np.array([STOPS["E"][1]] * 2),
        dest_transit=0.5,
        off_peak=np.array([False, True]),
        **NO_VEHICLE,
    )
    assert minutes[0] == 90.0
    assert minutes[1] == one(EST, at("A"), at("E"), off_peak=True)[0]
    assert modes.tolist() == [PT, PT]


def test_estimate_names_the_timetable(model):
    est = model.estimate(place(*at("A")), place(*at("D")), car=False, bike=True, off_peak=False)
    assert (est.minutes, est.mode, est.source) == (60.0, "public_transport", "timetable")
    assert est.per_mode["public_transport"] == 60.0 and est.per_mode["car"] is None
    base = EST.estimate(place(*at("A")), place(*at("D")), car=False, bike=True, off_peak=False)
    assert est.per_mode["bike"] == base.per_mode["bike"] and est.distance_km == base.distance_km
    fallback = model.estimate(
        place(*at("A")), place(*at("E")), car=False, bike=False, off_peak=True
    )
    assert fallback == EST.estimate(
        place(*at("A")), place(*at("E")), car=False, bike=False, off_peak=True
    )


def _random_points(rng, n):
    """Half near the test stops (within reach), half anywhere around (mostly out of reach)."""
    names = list(STOPS)[:6]
    near = np.array([STOPS[names[k]] for k in rng.integers(0, 6, n)])
    near = near + rng.normal(0, 0.004, (n, 2))
    anywhere = np.column_stack([rng.uniform(51.1, 51.35, n), rng.uniform(12.4, 12.9, n)])
    pick = rng.random(n) < 0.5
    return np.where(pick[:, None], near, anywhere)


@pytest.mark.parametrize("layout", ["one_origin", "one_dest", "pairs"])
def test_vectorised_equals_the_per_pair_loop(model, layout):
    rng = np.random.default_rng(11)
    n = 300
    origins, dests = _random_points(rng, n), _random_points(rng, n)
    o_q, d_q = rng.uniform(0, 1, n), rng.uniform(0, 1, n)
    off, car, bike = rng.random(n) < 0.5, rng.random(n) < 0.4, rng.random(n) < 0.5
    origins[0], dests[0] = (51.201, 12.502), (51.249, 12.701)  # near A and near D
    car[0] = bike[0] = False
    if layout == "one_origin":
        origins, o_q = origins[:1].repeat(n, 0), np.full(n, o_q[0])
        kw = {"origin_lat": origins[0, 0], "origin_lon": origins[0, 1], "origin_transit": o_q[0]}
        car, bike = np.full(n, car[0]), np.full(n, bike[0])
        kw |= {"car": car[0], "bike": bike[0]}
    else:
        kw = {"origin_lat": origins[:, 0], "origin_lon": origins[:, 1], "origin_transit": o_q}
        kw |= {"car": car, "bike": bike}
    if layout == "one_dest":
        dests, d_q = dests[:1].repeat(n, 0), np.full(n, d_q[0])
        kw |= {"dest_lat": dests[0, 0], "dest_lon": dests[0, 1], "dest_transit": d_q[0]}
    else:
        kw |= {"dest_lat": dests[:, 0], "dest_lon": dests[:, 1], "dest_transit": d_q}
    minutes, modes = model.best_minutes(off_peak=off, **kw)
    assert minutes.shape == modes.shape == (n,) and minutes.dtype == np.float64
    used_timetable = 0
    for k in range(n):
        est = model.estimate(
            place(origins[k, 0], origins[k, 1], o_q[k]),
            place(dests[k, 0], dests[k, 1], d_q[k]),
            car=bool(car[k]),
            bike=bool(bike[k]),
            off_peak=bool(off[k]),
        )
        assert (minutes[k], MODES[modes[k]]) == (est.minutes, est.mode), k
        used_timetable += est.source == "timetable"
    assert used_timetable >= 10  # the timetable really decided some rows


@pytest.mark.parametrize(
    ("flags", "best", "winner"),
    [
        ({"car": False, "bike": False}, "walk", "walk"),
        ({"car": False, "bike": True}, "bike", "bike"),
        ({"car": True, "bike": True}, "car", "public_transport"),
    ],
)
def test_ties_go_to_the_earlier_mode(model, monkeypatch, flags, best, winner):
    origin, dest = at("A"), at("A", east_km=0.5)
    base = EST.estimate(place(*origin), place(*dest), off_peak=False, **flags)
    assert base.mode == best
    tie = base.minutes
    monkeypatch.setattr(model, "transit_minutes", lambda **_: np.array(tie))
    assert one(model, origin, dest, **flags) == (tie, winner)
    assert model.estimate(place(*origin), place(*dest), off_peak=False, **flags).mode == winner
    # A hair faster and transit wins in every case.
    monkeypatch.setattr(model, "transit_minutes", lambda **_: np.array(tie - 1e-6))
    assert one(model, origin, dest, **flags) == (tie - 1e-6, "public_transport")


def test_the_estimate_floor_holds():
    """With origin transit 0 and off-peak the estimator's transit never gets below the floor
    the model relies on (its shortest case: same place, destination transit 1)."""
    floor = timetable_model.TIMETABLE_MAX_MIN + 1
    for d_q in (0.0, 0.5, 1.0):
        for east_km in (0.0, 5.0, 50.0):
            est = EST.estimate(
                place(51.2, 12.5, 0.0),
                place(*at("A", east_km=east_km), d_q),
                car=False,
                bike=False,
                off_peak=True,
            )
            assert est.per_mode["public_transport"] >= floor - 1e-3


def test_nearest_zones_are_cached_by_content(model):
    rng = np.random.default_rng(5)
    lat, lon = rng.uniform(51.15, 51.3, 500), rng.uniform(12.45, 12.85, 500)
    first = model.transit_minutes(
        origin_lat=51.2, origin_lon=12.5, dest_lat=lat, dest_lon=lon, off_peak=False
    )
    again = model.transit_minutes(
        origin_lat=51.2, origin_lon=12.5, dest_lat=lat.copy(), dest_lon=lon.copy(), off_peak=False
    )
    np.testing.assert_array_equal(first, again)
    lat[0] = STOPS["D"][0]
    lon[0] = STOPS["D"][1]
    changed = model.transit_minutes(
        origin_lat=51.2, origin_lon=12.5, dest_lat=lat, dest_lon=lon, off_peak=False
    )
    assert changed[0] == 60.0 and first[0] != 60.0


def test_the_loader(tmp_path, matrices, caplog):
    assert type(load_commute_model(None)) is CommuteEstimator
    assert type(load_commute_model(tmp_path / "absent.npz")) is CommuteEstimator
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"junk")
    assert type(load_commute_model(bad)) is CommuteEstimator
    assert "transit file unusable" in caplog.text
    matrices.save(tmp_path / "transit.npz")
    loaded = load_commute_model(tmp_path / "transit.npz")
    assert isinstance(loaded, TimetableCommute)
    assert one(loaded, at("A"), at("D")) == (60.0, "public_transport")


def test_the_service_reads_kai_transit_file(tmp_path, matrices, monkeypatch):
    from kai_match.config import get_settings
    from kai_match.matching.service import commute_model

    matrices.save(tmp_path / "transit.npz")
    monkeypatch.setenv("KAI_TRANSIT_FILE", str(tmp_path / "transit.npz"))
    get_settings.cache_clear()
    commute_model.cache_clear()
    try:
        assert isinstance(commute_model(), TimetableCommute)
    finally:
        monkeypatch.delenv("KAI_TRANSIT_FILE")
        get_settings.cache_clear()
        commute_model.cache_clear()
    assert type(commute_model()) is CommuteEstimator
