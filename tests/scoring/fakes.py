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

    Public transport waits longer where service is thin and does not run for early, night or
    weekend shifts unless both ends have good service. Every mode is at least as slow as
    `ROAD_DETOUR × distance / CAR_KMH`, so `REACH_KMH` is a safe straight-line speed bound for
    the spatial prefilter.
    """

    ROAD_DETOUR = 1.3
    WALK_KMH = 4.8
    BIKE_KMH = 15.0
    BUS_KMH = 30.0
    CAR_KMH = 50.0
    REACH_KMH = CAR_KMH / ROAD_DETOUR * 1.01  # 1 % margin for the flat-earth distance

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
        mean_lat = np.radians((np.asarray(origin_lat) + np.asarray(dest_lat)) * 0.5)
        dx = (np.asarray(dest_lon) - origin_lon) * (111.32 * np.cos(mean_lat))
        dy = (np.asarray(dest_lat) - origin_lat) * 110.57
        road = np.sqrt(dx * dx + dy * dy) * self.ROAD_DETOUR
        walk = road * (60.0 / self.WALK_KMH)
        cycle = np.where(bike, road * (60.0 / self.BIKE_KMH) + 2.0, np.inf)
        service = np.minimum(origin_transit, dest_transit)
        bus = road * (60.0 / self.BUS_KMH) + 6.0 + 40.0 * (1.0 - service)
        bus = np.where(off_peak, np.where(service < 0.6, np.inf, bus + 20.0), bus)
        drive = np.where(car, road * (60.0 / self.CAR_KMH) + 4.0, np.inf)
        stacked = np.stack(np.broadcast_arrays(walk, cycle, bus, drive))
        self.pairs += stacked[0].size
        mode = np.argmin(stacked, axis=0).astype(np.int8)
        return np.min(stacked, axis=0), mode


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
