"""Deterministic stand-ins for the injected collaborators, and typed builders for test data."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np

from kai_match.scoring import ParticipantProfile, VacancyProfile

GRIMMA = (51.2386, 12.7253)
BORNA = (51.1244, 12.4966)
WURZEN = (51.3707, 12.7394)
MARKKLEEBERG = (51.2775, 12.3683)
AS_OF = date(2026, 11, 1)


class FakeCommute:
    """Crow-fly distance × detour at a speed per mode, plus fixed overheads.

    Distances are flat-earth at the origin's latitude (fine at district scale), in float32 like
    the real model (IEEE-exact operations only, so scalar and array calls agree bit for bit). Public
    transport waits longer where service is thin and does not run for early, night or weekend
    shifts unless both ends have good service. Every mode is at least as slow as
    `ROAD_DETOUR × distance / CAR_KMH`, so `REACH_KMH` (with a margin for the flat-earth
    error) is a safe straight-line speed bound for the spatial prefilter. The same code serves
    scalars (the reference) and arrays (the fast path), so both see identical minutes.
    """

    ROAD_DETOUR = 1.3
    WALK_KMH = 4.8
    BIKE_KMH = 15.0
    BUS_KMH = 30.0
    CAR_KMH = 50.0
    REACH_KMH = CAR_KMH / ROAD_DETOUR * 1.05

    def __init__(self) -> None:
        self.calls = 0
        self.pairs = 0

    def best_minutes(
        self,
        *,
        origin_lat,
        origin_lon,
        origin_transit,
        dest_lat,
        dest_lon,
        dest_transit,
        off_peak,
        car,
        bike,
    ) -> tuple[np.ndarray, np.ndarray]:
        self.calls += 1
        f32 = np.float32
        kx = (111.32 * np.cos(np.radians(origin_lat))).astype(f32)
        dx = (np.asarray(dest_lon, dtype=f32) - np.asarray(origin_lon, dtype=f32)) * kx
        dy = (np.asarray(dest_lat, dtype=f32) - np.asarray(origin_lat, dtype=f32)) * f32(110.57)
        road = np.sqrt(dx * dx + dy * dy) * f32(self.ROAD_DETOUR)
        best = road * f32(60.0 / self.WALK_KMH)
        best, mode = np.broadcast_arrays(best, np.int8(0))
        best, mode = best.copy(), mode.copy()
        self.pairs += best.size

        def offer(minutes, available, index: int) -> None:
            better = minutes < best
            if available is not True:
                better &= available
            np.copyto(best, minutes, where=better)
            np.copyto(mode, np.int8(index), where=better)

        if np.any(bike):
            offer(road * f32(60.0 / self.BIKE_KMH) + f32(2.0), bike, 1)
        service = np.minimum(
            np.asarray(origin_transit, dtype=f32), np.asarray(dest_transit, dtype=f32)
        )
        bus = road * f32(60.0 / self.BUS_KMH) + (f32(46.0) - f32(40.0) * service)
        if np.any(off_peak):
            bus = bus + np.where(off_peak, f32(20.0), f32(0.0))
            offer(bus, ~(np.asarray(off_peak) & (service < f32(0.6))), 2)
        else:
            offer(bus, True, 2)
        if np.any(car):
            offer(road * f32(60.0 / self.CAR_KMH) + f32(4.0), car, 3)
        return best.astype(np.float64), mode


class FakeRelated:
    """`related(skill_id)` from a fixed table."""

    def __init__(self, table: Mapping[str, Mapping[str, float]] | None = None) -> None:
        self.table = {k: dict(v) for k, v in (table or {}).items()}
        self.calls = 0

    def __call__(self, skill_id: str) -> Mapping[str, float]:
        self.calls += 1
        return self.table.get(skill_id, {})


def make_participant(**overrides) -> ParticipantProfile:
    """An active, consenting participant in Grimma with a bike; override any field."""
    base = {
        "id": 1,
        "german_level": "B1",
        "home_lat": GRIMMA[0],
        "home_lon": GRIMMA[1],
        "home_transit": 0.7,
        "has_bike": True,
        "max_commute_minutes": 45.0,
        "shifts": frozenset({"early", "day", "late"}),
        "work_permit": "permitted",
        "consent_processing": True,
        "share_with_employers": True,
    }
    base.update(overrides)
    return ParticipantProfile(**base)


def make_vacancy(**overrides) -> VacancyProfile:
    """An open job in Grimma needing A2; override any field."""
    base = {
        "id": 1,
        "employer_id": 1,
        "type": "job",
        "min_german_level": "A2",
        "lat": GRIMMA[0] + 0.01,
        "lon": GRIMMA[1] + 0.01,
        "transit": 0.7,
        "shifts": frozenset({"day"}),
    }
    base.update(overrides)
    return VacancyProfile(**base)
