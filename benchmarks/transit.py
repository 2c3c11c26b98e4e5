"""Timetable public transport: import + precompute of a district-sized feed, and ranking speed.

    .venv/bin/python benchmarks/transit.py            # ~1,500 stops, 60 lines, 100k destinations
    .venv/bin/python benchmarks/transit.py --quick    # smoke run: ~400 stops, 16 lines, 10k

A synthetic district around Grimma (50 × 50 km): 15 towns, 8 rail lines from the central town
to outer ones (a stop every ~2.5 km, every 30 min, 60 km/h), the rest bus lines between nearby
towns (a stop every ~600 m, hourly or half-hourly, 25 km/h), 05:00–23:00 in both directions;
Saturday at half the frequency. Every line has its own stop near each town centre, so changes
go through footpaths. The feed is written as a GTFS zip and read back through the importer.

The ranking timing is one origin against N random destinations in the district:
``TimetableCommute.best_minutes`` (warm: nearest zones cached, and cold: first call) against
``CommuteEstimator.best_minutes`` on the same arguments in the same run.
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
import tempfile
import time
import timeit
import zipfile
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from kai_match.data.geo import CommuteEstimator  # noqa: E402
from kai_match.data.geo.timetable import (  # noqa: E402
    TimetableCommute,
    TransitMatrices,
    precompute,
    read_feed,
)
from kai_match.data.geo.timetable.footpaths import KM_PER_DEGREE  # noqa: E402

CENTRE = (51.24, 12.73)
HALF_KM = 25.0


def _to_deg(x_km: float, y_km: float) -> tuple[float, float]:
    lat = CENTRE[0] + y_km / KM_PER_DEGREE
    return lat, CENTRE[1] + x_km / (KM_PER_DEGREE * math.cos(math.radians(CENTRE[0])))


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def synthetic_feed(path: Path, *, lines: int, rng: np.random.Generator) -> int:
    """Write the district's GTFS zip; returns the number of stops."""
    towns = np.vstack([[0.0, 0.0], rng.uniform(-HALF_KM, HALF_KM, (14, 2))])
    rail_lines = max(2, lines * 8 // 60)
    stops: list[tuple[str, float, float]] = []
    routes, trips, times = [], [], []

    def add_line(index: int, a: int, b: int, rail: bool) -> None:
        start, end = towns[a], towns[b]
        length = float(np.hypot(*(end - start)))
        spacing = 2.5 if rail else 0.6
        count = max(2, round(length / spacing) + 1)
        ids = []
        for k in range(count):
            x, y = start + (end - start) * k / (count - 1)
            if 0 < k < count - 1:
                x, y = x + rng.normal(0, 0.15), y + rng.normal(0, 0.15)
            else:  # a line's own stop near the town centre
                x, y = x + rng.uniform(-0.12, 0.12), y + rng.uniform(-0.12, 0.12)
            sid = f"L{index}S{k}"
            stops.append((sid, *_to_deg(x, y)))
            ids.append((sid, x, y))
        kmh, dwell = (60.0, 60) if rail else (25.0, 20)
        offsets = [0]
        for (_, x0, y0), (_, x1, y1) in pairwise(ids):
            ride = round(math.hypot(x1 - x0, y1 - y0) * 1.3 / kmh * 3600 / 60) * 60
            offsets.append(offsets[-1] + max(60, ride) + dwell)
        route = f"R{index}"
        routes.append(f"{route},{route},{2 if rail else 3}")
        headway = 30 if rail or index % 3 == 0 else 60
        first = 5 * 3600 + int(rng.integers(0, headway)) * 60
        for service, step in (("WK", headway), ("SA", headway * 2)):
            for direction, seq in (("f", ids), ("b", ids[::-1])):
                for depart in range(first, 23 * 3600, step * 60):
                    trip = f"{route}{service}{direction}{depart}"
                    trips.append(f"{route},{service},{trip}")
                    for n, ((sid, _, _), off) in enumerate(zip(seq, offsets, strict=True)):
                        t = _hms(depart + off)
                        times.append(f"{trip},{t},{t},{sid},{n + 1}")

    outer = sorted(range(1, 15), key=lambda t: -np.hypot(*towns[t]))
    for i in range(rail_lines):
        add_line(i, 0, outer[i % len(outer)], rail=True)
    for i in range(rail_lines, lines):
        a = int(rng.integers(0, 15))
        near = np.argsort(np.hypot(*(towns - towns[a]).T))
        add_line(i, a, int(near[int(rng.integers(1, 5))]), rail=False)

    files = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
        "B,Bench,https://example.org,Europe/Berlin\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
        + "".join(f"{s},{s},{lat:.6f},{lon:.6f}\n" for s, lat, lon in stops),
        "routes.txt": "route_id,route_short_name,route_type\n" + "\n".join(routes) + "\n",
        "trips.txt": "route_id,service_id,trip_id\n" + "\n".join(trips) + "\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        + "\n".join(times)
        + "\n",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        "start_date,end_date\nWK,1,1,1,1,1,0,0,20250101,20271231\n"
        "SA,0,0,0,0,0,1,0,20250101,20271231\n",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return len(stops)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=60)
    parser.add_argument("--destinations", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.quick:
        args.lines, args.destinations = 16, 10_000
    rng = np.random.default_rng(args.seed)
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")

    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "district.zip"
        n_stops = synthetic_feed(feed, lines=args.lines, rng=rng)
        unzipped = sum(i.file_size for i in zipfile.ZipFile(feed).infolist())
        t0 = time.perf_counter()
        tt = read_feed(feed)
        t1 = time.perf_counter()
        matrices = precompute(tt)
        t2 = time.perf_counter()
        size = matrices.save(Path(tmp) / "transit.npz")
        loaded = TransitMatrices.load(Path(tmp) / "transit.npz")
        t3 = time.perf_counter()
    meta = matrices.meta
    raw = sum(m.nbytes for m in matrices.bands.values())
    print(
        f"feed: {n_stops} stops, {args.lines} lines, {meta['connections_weekday']} weekday "
        f"connections, {unzipped / 1e6:.1f} MB unzipped"
    )
    peak = matrices.bands["weekday_peak"]
    reach = peak[peak != 65535]
    print(
        f"zones: {meta['zones_total']} ({meta['footpaths']} footpaths); weekday_peak: "
        f"{reach.size / peak.size:.0%} of zone pairs reachable, median {np.median(reach):.0f} min"
    )
    print(f"import (read_feed): {t1 - t0:.2f} s")
    print(f"precompute (4 bands): {t2 - t1:.2f} s  ({(t2 - t1) / 4:.2f} s per band)")
    print(
        f"save + load: {t3 - t2:.2f} s; file {size / 1e6:.2f} MB, matrices {raw / 1e6:.2f} MB in memory"
    )

    model, est = TimetableCommute(loaded), CommuteEstimator()
    n = args.destinations
    lat, lon = zip(*(_to_deg(*rng.uniform(-HALF_KM, HALF_KM, 2)) for _ in range(n)), strict=True)
    kw = {
        "origin_lat": float(loaded.zone_lat[0]) + 0.003,
        "origin_lon": float(loaded.zone_lon[0]),
        "origin_transit": 0.8,
        "dest_lat": np.array(lat, np.float32),
        "dest_lon": np.array(lon, np.float32),
        "dest_transit": rng.uniform(0, 1, n).astype(np.float32),
        "off_peak": False,
        "car": True,
        "bike": True,
    }
    c0 = time.perf_counter()
    _, modes = model.best_minutes(**kw)
    cold = time.perf_counter() - c0
    pt = model.transit_minutes(
        origin_lat=kw["origin_lat"],
        origin_lon=kw["origin_lon"],
        dest_lat=kw["dest_lat"],
        dest_lon=kw["dest_lon"],
        off_peak=False,
    )

    def best(fn, number: int) -> float:
        return min(timeit.repeat(fn, number=number, repeat=7)) / number * 1e3

    warm = best(lambda: model.best_minutes(**kw), 20)
    base = best(lambda: est.best_minutes(**kw), 50)
    per_row = dict(kw, off_peak=rng.random(n) < 0.3)
    warm_rows = best(lambda: model.best_minutes(**per_row), 20)
    base_rows = best(lambda: est.best_minutes(**per_row), 50)
    _, walkers = model.best_minutes(**dict(kw, car=False, bike=False))
    print(
        f"one origin → {n:,} destinations: {np.isfinite(pt).mean():.0%} with a timetable answer; "
        f"transit is the best mode for {(modes == 2).mean():.0%} (car and bike), "
        f"{(walkers == 2).mean():.0%} (neither)"
    )
    print(f"  TimetableCommute, first call (nearest zones): {cold * 1e3:.1f} ms")
    print(
        f"  TimetableCommute, warm: {warm:.2f} ms   CommuteEstimator: {base:.2f} ms   ratio {warm / base:.1f}×"
    )
    print(
        f"  off_peak per row: {warm_rows:.2f} ms   CommuteEstimator: {base_rows:.2f} ms   "
        f"ratio {warm_rows / base_rows:.1f}×"
    )


if __name__ == "__main__":
    main()
