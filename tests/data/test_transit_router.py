"""The connection scan on a hand-made timetable: exact minutes, transfers, windows, bands, and
properties on random timetables (against a brute-force reference)."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import numpy as np
import pytest
from gtfs_fixture import BBOX, KM_PER_DEGREE, write_feed
from hypothesis import given, settings
from hypothesis import strategies as st

from kai_match.data.geo.timetable import BBox, precompute, read_feed
from kai_match.data.geo.timetable.csa import (
    NEVER_ARRIVED,
    NEVER_LEFT,
    earliest_arrivals,
    latest_departures,
)
from kai_match.data.geo.timetable.footpaths import Network, build_network
from kai_match.data.geo.timetable.gtfs import DayConnections
from kai_match.data.geo.timetable.precompute import WINDOW_S
from kai_match.data.geo.timetable.zones import cluster_stops

TUESDAY = date(2025, 3, 4)
H = 3600


def hm(hours: int, minutes: int) -> int:
    return hours * H + minutes * 60


@pytest.fixture(scope="module")
def timetable(tmp_path_factory):
    feed = write_feed(tmp_path_factory.mktemp("gtfs") / "feed.zip")
    return read_feed(feed, bbox=BBox.parse(BBOX), on=TUESDAY)


@pytest.fixture(scope="module")
def matrices(timetable):
    return precompute(timetable)


def stop(tt, name: str) -> int:
    return tt.stop_ids.index(name)


def latest(tt, target: str, deadline: int, *, net: Network | None = None, day=None):
    leave = latest_departures(
        day or tt.weekday,
        net or build_network(tt),
        deadline=deadline,
        window_s=WINDOW_S,
        targets=[(np.array([stop(tt, target)]), np.array([0]))],
    )
    return {name: int(leave[i, 0]) for i, name in enumerate(tt.stop_ids)}


def test_arrive_at_d_by_eight_means_leaving_a_at_seven(timetable):
    leave = latest(timetable, "D", hm(8, 0))
    # Train 07:00 → C 07:20, 300 s walk to CB, bus 07:50 → D 07:58. The 07:30 train reaches C at
    # 07:50, five minutes too late for the walk.
    assert leave["A"] == hm(7, 0)
    assert leave["B"] == hm(7, 10)
    assert leave["C"] == hm(7, 45)  # walk to CB and take the bus: no change time on foot
    assert leave["CB"] == hm(7, 50)
    assert leave["E"] == NEVER_LEFT and leave["D"] == NEVER_LEFT


def test_a_one_minute_change_is_too_short(timetable):
    # Bus to E at :21, trains reach C at :20 and :50: the 06:30 train is the last that works.
    assert latest(timetable, "E", hm(8, 0))["A"] == hm(6, 30)


def test_transfers_txt_shortens_the_change(tmp_path):
    feed = write_feed(
        tmp_path / "t.zip",
        extra={
            "transfers.txt": "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nC,C,2,60\n"
        },
    )
    tt = read_feed(feed, bbox=BBox.parse(BBOX), on=TUESDAY)
    assert latest(tt, "E", hm(8, 0))["A"] == hm(7, 0)


def test_a_forbidden_footpath_cuts_the_connection(tmp_path):
    feed = write_feed(
        tmp_path / "t.zip",
        extra={
            "transfers.txt": "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nC,CB,3,\n"
        },
    )
    tt = read_feed(feed, bbox=BBox.parse(BBOX), on=TUESDAY)
    assert latest(tt, "D", hm(8, 0))["A"] == NEVER_LEFT


def test_only_trips_inside_the_window_count(timetable):
    # The night bus D→A leaves at 04:30: inside the early window (03:00–06:00), not the peak's.
    assert latest(timetable, "A", hm(6, 0))["D"] == hm(4, 30)
    assert latest(timetable, "A", hm(8, 0))["D"] == NEVER_LEFT


def test_saturday_runs_a_thinner_timetable(timetable):
    saturday = latest(timetable, "B", hm(8, 0), day=timetable.saturday)
    weekday = latest(timetable, "B", hm(8, 0))
    assert (weekday["A"], saturday["A"]) == (hm(7, 30), hm(7, 15))


def test_depart_after_ten_pm(timetable):
    net = build_network(timetable)
    a = stop(timetable, "A")
    arrive = earliest_arrivals(
        timetable.weekday,
        net,
        start=hm(22, 0),
        window_s=WINDOW_S,
        origins=[(np.array([a]), np.array([0]))],
    )[:, 0]
    got = dict(zip(timetable.stop_ids, arrive.tolist(), strict=True))
    assert got["B"] == hm(22, 10) and got["C"] == hm(22, 20)
    assert got["CB"] == hm(22, 25)  # the walk after the train
    assert got["D"] == hm(22, 58)
    assert got["E"] == NEVER_ARRIVED  # the 22:21 bus is the last; the train arrives 22:20
    assert got["A"] == hm(22, 25)  # back from B: only vehicles arrive, standing still does not


def test_zones_keep_stops_300_m_apart_separate_and_merge_closer_ones(tmp_path, timetable):
    zones = cluster_stops(timetable)
    assert zones.n == 6
    assert zones.of_stop[stop(timetable, "C")] != zones.of_stop[stop(timetable, "CB")]
    from gtfs_fixture import STOPS, feed_files

    text = feed_files()["stops.txt"].replace(
        f"{STOPS['CB'][0]:.7f}", f"{51.2 + 0.1 / KM_PER_DEGREE:.7f}"
    )
    tt = read_feed(
        write_feed(tmp_path / "close.zip", extra={"stops.txt": text}),
        bbox=BBox.parse(BBOX),
        on=TUESDAY,
    )
    zones = cluster_stops(tt)
    assert zones.n == 5
    c, cb = stop(tt, "C"), stop(tt, "CB")
    assert zones.of_stop[c] == zones.of_stop[cb]
    assert zones.access_s[c] == zones.access_s[cb] == 50  # 50 m each to the centre
    assert zones.rail[zones.of_stop[c]]


def test_the_four_bands_in_minutes(timetable, matrices):
    zones = cluster_stops(timetable)
    z = {name: int(zones.of_stop[stop(timetable, name)]) for name in timetable.stop_ids}
    bands = matrices.bands

    def minutes(band: str, a: str, b: str) -> int:
        return int(bands[band][z[a], z[b]])

    assert minutes("weekday_peak", "A", "D") == 60
    assert minutes("weekday_peak", "B", "D") == 50
    assert minutes("weekday_peak", "A", "E") == 90
    assert minutes("weekday_peak", "C", "E") == 39
    assert minutes("weekday_peak", "D", "A") == 65535
    assert minutes("weekday_early", "A", "D") == 60  # the 05:00 train, the 05:50 bus
    assert minutes("weekday_early", "A", "E") == 65535  # no train before 05:00
    assert minutes("weekday_early", "D", "A") == 90  # Monday's night bus at 04:30
    assert minutes("weekday_late", "A", "D") == 58
    assert minutes("weekday_late", "A", "E") == 65535
    assert minutes("weekend", "A", "B") == 45
    assert minutes("weekend", "A", "D") == 45
    assert minutes("weekend", "A", "E") == 65535
    for matrix in bands.values():
        assert matrix.dtype == np.uint16 and (np.diag(matrix) == 65535).all()


def test_a_zone_limit_keeps_rail_first(timetable):
    limited = precompute(timetable, max_zones=3)
    assert limited.zone_rail.all() and limited.n_zones == 3
    # A → B stays 30 minutes: dropped zones still count as stops on the way.
    assert 30 in limited.bands["weekday_peak"]


# --- properties on random timetables -----------------------------------------------------------

PACE_S_PER_KM = 60  # top speed 60 km/h: a ride of d km takes at least 60·d seconds


@st.composite
def random_day(draw):
    """Stops on a line (1 km apart per index step), trips with rides no faster than the top
    speed, dwell times of 0–2 min; times in whole minutes from 05:00."""
    n_stops = draw(st.integers(2, 6))
    position = draw(st.lists(st.integers(0, 30), min_size=n_stops, max_size=n_stops))
    rows = []
    for trip in range(draw(st.integers(1, 10))):
        route = draw(st.lists(st.integers(0, n_stops - 1), min_size=2, max_size=5))
        t = draw(st.integers(5 * 60, 9 * 60)) * 60
        for k, (u, v) in enumerate(pairwise(route)):
            if u == v:
                continue
            fastest = abs(position[u] - position[v]) * PACE_S_PER_KM
            ride = fastest + draw(st.integers(1, 20)) * 60  # zero-time rides are no trains
            rows.append((u, v, t, t + ride, trip, k))
            t += ride + draw(st.integers(0, 2)) * 60
    if not rows:
        rows.append((0, 1, 6 * H, 6 * H + abs(position[0] - position[1]) * 60 + 60, 0, 0))
    cols = list(zip(*rows, strict=True))
    day = DayConnections(
        day=TUESDAY,
        dep_stop=np.array(cols[0], np.int32),
        arr_stop=np.array(cols[1], np.int32),
        dep=np.array(cols[2], np.int32),
        arr=np.array(cols[3], np.int32),
        trip=np.array(cols[4], np.int32),
        seq=np.array(cols[5], np.int32),
        board=np.ones(len(rows), np.bool_),
        alight=np.ones(len(rows), np.bool_),
        n_trips=max(cols[4]) + 1,
    )
    change = draw(st.sampled_from([0, 60, 120, 300]))
    empty = np.zeros(0, np.int32)
    net = Network(np.full(n_stops, change, np.int32), empty, empty, empty, empty)
    return day, net, position


def reference_latest(day: DayConnections, net: Network, target: int, deadline: int, window: int):
    """Latest departures by fixpoint iteration: slow, obviously right."""
    n = net.n_stops
    leave, ready = [int(NEVER_LEFT)] * n, [int(NEVER_LEFT)] * n
    ready[target] = deadline
    inside = [
        i for i in range(len(day)) if day.dep[i] >= deadline - window and day.arr[i] <= deadline
    ]
    following = {}  # the trip's next connection, if it lies inside the window too
    for i in inside:
        later = [
            j for j in range(len(day)) if day.trip[j] == day.trip[i] and day.seq[j] > day.seq[i]
        ]
        if later:
            j = min(later, key=lambda j: day.seq[j])
            if j in inside:
                following[i] = j
    useful = dict.fromkeys(inside, False)
    changed = True
    while changed:
        changed = False
        for i in inside:
            u, v = int(day.dep_stop[i]), int(day.arr_stop[i])
            ok = day.arr[i] <= ready[v] or (i in following and useful[following[i]])
            if ok and not useful[i]:
                useful[i] = changed = True
            if ok:
                dep = int(day.dep[i])
                if dep > leave[u]:
                    leave[u] = dep
                    changed = True
                if dep - net.change_s[u] > ready[u]:
                    ready[u] = dep - int(net.change_s[u])
                    changed = True
    return leave


@settings(max_examples=150, deadline=None)
@given(random_day(), st.integers(0, 5), st.integers(6 * 60, 11 * 60))
def test_the_scan_matches_a_brute_force_reference(case, target_pick, deadline_min):
    day, net, _ = case
    target = target_pick % net.n_stops
    deadline = deadline_min * 60
    for window in (H, 3 * H):
        got = latest_departures(
            day, net, deadline=deadline, window_s=window, targets=[([target], [0])]
        )[:, 0]
        assert got.tolist() == reference_latest(day, net, target, deadline, window)


@settings(max_examples=150, deadline=None)
@given(random_day(), st.integers(0, 5), st.integers(6 * 60, 11 * 60), st.integers(1, 180))
def test_arrive_by_minutes_are_bounded_and_monotone(case, target_pick, deadline_min, later_min):
    day, net, position = case
    target = target_pick % net.n_stops
    t1, t2 = deadline_min * 60, (deadline_min + later_min) * 60
    whole_day = 24 * H
    first = latest_departures(day, net, deadline=t1, window_s=whole_day, targets=[([target], [0])])
    second = latest_departures(day, net, deadline=t2, window_s=whole_day, targets=[([target], [0])])
    first, second = first[:, 0], second[:, 0]
    for u in range(net.n_stops):
        if first[u] == NEVER_LEFT:
            continue
        # Never faster than the fastest direct ride: no vehicle beats the top speed.
        assert t1 - first[u] >= abs(position[u] - position[target]) * PACE_S_PER_KM
        # Never later to leave when arriving earlier is asked for; never earlier when later is allowed.
        assert second[u] >= first[u]
        # The forward scan agrees: leaving at the latest departure arrives in time, a second
        # later does not (unless some other connection remains).
        arrive = earliest_arrivals(
            day, net, start=int(first[u]), window_s=whole_day, origins=[([u], [0])]
        )
        assert arrive[target, 0] <= t1
        later = earliest_arrivals(
            day, net, start=int(first[u]) + 1, window_s=whole_day, origins=[([u], [0])]
        )
        assert later[target, 0] > t1
