"""GTFS import: bbox filtering, the chosen days, error exits of the command and the file."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from gtfs_fixture import BBOX, HOLIDAY_TUESDAY, write_feed

from kai_match.cli import app
from kai_match.cli import transit as transit_cli
from kai_match.cli.errors import run
from kai_match.config import get_settings
from kai_match.data.geo.timetable import (
    BAND_NAMES,
    MAX_ZONES,
    BBox,
    GtfsError,
    TransitMatrices,
    precompute,
    read_feed,
)
from kai_match.data.geo.timetable.footpaths import build_network

TUESDAY = date(2025, 3, 4)


@pytest.fixture
def feed(tmp_path):
    return write_feed(tmp_path / "feed.zip")


def _stderr_lines(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def test_only_stops_inside_the_bbox_are_read(feed):
    inside = read_feed(feed, bbox=BBox.parse(BBOX), on=TUESDAY)
    assert inside.stop_ids == ("A", "B", "C", "CB", "D", "E")
    everything = read_feed(feed, on=TUESDAY)
    assert everything.stop_ids == ("A", "B", "C", "CB", "D", "E", "X")
    x, a = everything.stop_ids.index("X"), everything.stop_ids.index("A")
    day = everything.weekday
    leg = (day.dep_stop == x) & (day.arr_stop == a)
    assert day.dep[leg].tolist() == [9 * 3600] and day.arr[leg].tolist() == [10 * 3600 + 1800]
    # Inside the box the X trip keeps one stop: no connection at all.
    assert len(everything.weekday) == len(inside.weekday) + 1


def test_connections_of_the_tuesday_and_the_saturday(feed):
    tt = read_feed(feed, bbox=BBox.parse(BBOX), on=TUESDAY)
    assert (tt.weekday.day, tt.saturday.day) == (TUESDAY, date(2025, 3, 8))
    # 35 + 35 rail trips of two legs, 18 + 18 bus trips, the night bus twice (Monday's at 04:30).
    assert len(tt.weekday) == 70 + 70 + 18 + 18 + 2
    # 16 + 16 rail trips, 16 buses to D, Friday's night bus at 04:30 on Saturday.
    assert len(tt.saturday) == 32 + 32 + 16 + 1
    d, a = tt.stop_ids.index("D"), tt.stop_ids.index("A")
    night = (tt.weekday.dep_stop == d) & (tt.weekday.arr_stop == a)
    assert sorted(tt.weekday.dep[night].tolist()) == [4 * 3600 + 1800, 28 * 3600 + 1800]
    assert tt.rail.tolist() == [True, True, True, False, False, False]
    assert (tt.valid_from, tt.valid_until) == (date(2020, 1, 1), date(2099, 12, 31))


def test_a_date_picks_the_first_tuesday_and_saturday_on_or_after_it(feed):
    tt = read_feed(feed, on=date(2025, 3, 5))
    assert (tt.weekday.day, tt.saturday.day) == (date(2025, 3, 11), date(2025, 3, 8))


def test_without_a_date_the_next_tuesday_and_saturday_are_taken(feed):
    tt = read_feed(feed, today=date(2026, 12, 7))
    assert (tt.weekday.day, tt.saturday.day) == (date(2026, 12, 8), date(2026, 12, 12))
    tt = read_feed(feed, today=date(2026, 12, 8))  # a Tuesday: the next one, as OTP asks
    assert tt.weekday.day == date(2026, 12, 15)


def test_without_a_date_a_tuesday_without_service_is_skipped(feed):
    tt = read_feed(feed, today=date(2025, 12, 20))
    assert tt.weekday.day == date(2025, 12, 30)  # 23 December has no weekday service
    assert tt.saturday.day == date(2025, 12, 27)


def test_a_feed_with_calendar_dates_only(tmp_path):
    feed = write_feed(
        tmp_path / "dates.zip",
        omit=("calendar.txt",),
        extra={
            "calendar_dates.txt": "service_id,date,exception_type\nWK,20250304,1\nSA,20250308,1\n"
        },
    )
    tt = read_feed(feed, bbox=BBox.parse(BBOX), on=TUESDAY)
    assert len(tt.weekday) == 177  # no Monday service: the night bus runs once
    assert read_feed(feed, today=date(2025, 1, 1)).weekday.day == TUESDAY


def test_transfers_set_change_times_and_remove_footpaths(tmp_path):
    feed = write_feed(
        tmp_path / "transfers.zip",
        extra={
            "transfers.txt": "from_stop_id,to_stop_id,transfer_type,min_transfer_time\n"
            "C,C,2,60\nC,CB,3,\nA,A,2,\n"
        },
    )
    tt = read_feed(feed, bbox=BBox.parse(BBOX), on=TUESDAY)
    net = build_network(tt)
    c, cb = tt.stop_ids.index("C"), tt.stop_ids.index("CB")
    assert net.change_s[c] == 60
    assert net.change_s[tt.stop_ids.index("A")] == 0
    assert net.change_s[tt.stop_ids.index("B")] == 120
    pairs = list(zip(net.foot_from.tolist(), net.foot_to.tolist(), strict=True))
    assert pairs == [(cb, c)]  # C → CB is forbidden, CB → C stays
    assert net.walk_s.tolist() == [300]


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        ("not_zip", "is not a zip file"),
        ("no_stops", "feed.zip lacks stops.txt"),
        ("no_calendar", "feed.zip lacks calendar.txt and calendar_dates.txt"),
        ("holiday", f"no service on Tuesday {HOLIDAY_TUESDAY} in the feed"),
        ("empty_bbox", "has no stops inside the bbox 10.0,10.0,10.5,10.5"),
        ("bad_bbox", "--bbox needs MIN_LAT,MIN_LON,MAX_LAT,MAX_LON, got '51,12'"),
        ("inverted_bbox", "is empty (minimum not below maximum)"),
        ("bad_date", "--date needs YYYY-MM-DD, got '4.3.2025'"),
        ("missing", "no such file:"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, problem, expected):
    path = tmp_path / "feed.zip"
    args = ["--date", "2025-03-04"]
    if problem == "not_zip":
        path.write_text("stop_id,stop_name\n")
    elif problem == "no_stops":
        write_feed(path, omit=("stops.txt",))
    elif problem == "no_calendar":
        write_feed(path, omit=("calendar.txt", "calendar_dates.txt"))
    else:
        write_feed(path)
    if problem == "holiday":
        args = ["--date", HOLIDAY_TUESDAY]
    elif problem == "empty_bbox":
        args += ["--bbox", "10,10,10.5,10.5"]
    elif problem == "bad_bbox":
        args += ["--bbox", "51,12"]
    elif problem == "inverted_bbox":
        args += ["--bbox", "51.5,12,51,13"]
    elif problem == "bad_date":
        args = ["--date", "4.3.2025"]
    elif problem == "missing":
        path = tmp_path / "absent.zip"
    out = tmp_path / "transit.npz"
    code = run(app, ["transit", "import-gtfs", str(path), "--out", str(out), *args])
    assert code == 2
    lines = _stderr_lines(capsys)
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ") and expected in lines[0], lines[0]
    assert not out.exists()


def test_the_command_writes_the_file_and_reports(feed, tmp_path, capsys):
    out = tmp_path / "sub" / "transit.npz"
    code = run(
        app,
        [
            "transit",
            "import-gtfs",
            str(feed),
            "--bbox",
            BBOX,
            "--date",
            "2025-03-04",
            "--out",
            str(out),
        ],
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "6 stops in 6 zones (6 in the matrices)" in text
    assert "Tuesday 2025-03-04: 178 connections, Saturday 2025-03-08: 81" in text
    loaded = TransitMatrices.load(out)
    assert set(loaded.bands) == set(BAND_NAMES)
    assert loaded.meta["feed"] == "feed.zip" and loaded.meta["bbox"] == "51.0,12.0,51.5,13.0"
    assert not list(out.parent.glob("*.tmp"))


def test_the_default_output_is_the_configured_transit_file(feed, tmp_path, monkeypatch):
    target = tmp_path / "data" / "configured.npz"
    monkeypatch.setenv("KAI_TRANSIT_FILE", str(target))
    get_settings.cache_clear()
    try:
        assert run(app, ["transit", "import-gtfs", str(feed), "--date", "2025-03-04"]) == 0
    finally:
        get_settings.cache_clear()
    assert TransitMatrices.load(target).n_zones == 7  # X is in: no bbox


def test_the_command_and_the_precompute_share_the_zone_limit():
    assert transit_cli.MAX_ZONES == MAX_ZONES


def test_the_file_round_trips(feed, tmp_path):
    matrices = precompute(read_feed(feed, bbox=BBox.parse(BBOX), on=TUESDAY), meta={"x": 1})
    size = matrices.save(tmp_path / "t.npz")
    assert size == (tmp_path / "t.npz").stat().st_size
    loaded = TransitMatrices.load(tmp_path / "t.npz")
    assert loaded.meta == matrices.meta and loaded.meta["x"] == 1
    for name in ("zone_lat", "zone_lon", "zone_departures", "zone_rail"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(matrices, name))
    for band in BAND_NAMES:
        assert loaded.bands[band].dtype == np.uint16
        np.testing.assert_array_equal(loaded.bands[band], matrices.bands[band])
    only = TransitMatrices.load(tmp_path / "t.npz", bands=["weekend"])
    assert list(only.bands) == ["weekend"]


def test_a_file_that_is_no_transit_file_is_refused(tmp_path):
    other = tmp_path / "other.npz"
    np.savez(other, something=np.arange(3))
    with pytest.raises(ValueError, match="is not a kai-match transit file"):
        TransitMatrices.load(other)
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="cannot be read as a transit file"):
        TransitMatrices.load(garbage)


def test_the_reader_raises_gtfs_errors(tmp_path):
    with pytest.raises(GtfsError, match="lacks the column stop_lat"):
        read_feed(
            write_feed(tmp_path / "f.zip", extra={"stops.txt": "stop_id,stop_lon\nA,12.5\n"}),
            on=TUESDAY,
        )
