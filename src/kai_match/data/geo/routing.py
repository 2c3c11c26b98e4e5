"""Per-pair routing through an OSRM and/or OpenTripPlanner server, with the model as fallback.

Only for single trips (explanations, a counsellor's check); rankings use the vectorised
``CommuteEstimator``. Every mode the server cannot answer — not configured, error, timeout,
unexpected reply — is taken from the estimator, and ``CommuteEstimate.source`` says which source
produced the winning minutes.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from kai_match.data.geo.commute import (
    BIKE_MAX_KM,
    BIKE_OVERHEAD_MIN,
    CAR_CITY_PARKING_MIN,
    CAR_PARKING_MIN,
    MODES,
    WALK_MAX_KM,
    CommuteEstimate,
    CommuteEstimator,
)
from kai_match.data.geo.places import PostalPlace

logger = logging.getLogger(__name__)

OSRM_PROFILES: Mapping[str, str] = {"walk": "foot", "bike": "bike", "car": "car"}
"""OSRM profile per mode. ``osrm-routed`` serves the one graph it was started with and ignores
the profile in the URL; run one server per profile and pass ``osrm_urls`` in that case."""
TIMEZONE = ZoneInfo("Europe/Berlin")
PEAK_ARRIVAL = time(8, 0)
"""Public-transport queries ask for arrival by this time on a working day (day shift)."""
OFF_PEAK_ARRIVAL = time(6, 0)
"""…and by this time for off-peak trips (early shift: the thinnest service of the day)."""
OTP_NO_CONNECTION_ERRORS = frozenset({404, 406})
"""OTP plan error ids that mean "no public transport at that time" (PATH_NOT_FOUND,
NO_TRANSIT_TIMES): a real answer, unlike geocoding or server errors, which fall back."""


class _NoAnswer(Exception):
    """The server could not answer for this mode; use the estimator."""


def _next_tuesday(today: date | None = None) -> date:
    """A representative working day (no Monday/Friday peculiarities) in the near future."""
    today = today or date.today()
    return today + timedelta(days=(1 - today.weekday()) % 7 or 7)


class HttpRouter:
    """``Router`` backed by OSRM (walk, bike, car) and OpenTripPlanner (public transport).

    ``osrm_url`` serves all profiles under ``/route/v1/{profile}/…``; ``osrm_urls`` maps a mode
    ("walk", "bike", "car") to its own server. ``otp_url`` is the OTP base URL (REST ``plan`` API
    of OTP 1.x / 2.x). Terminal overheads of the model (parking, locking the bike) are added to
    the pure travel times the servers return, so both sources measure door to door.
    """

    def __init__(
        self,
        osrm_url: str | None = None,
        *,
        osrm_urls: Mapping[str, str] | None = None,
        otp_url: str | None = None,
        otp_router: str = "default",
        timeout: float = 3.0,
        client: httpx.Client | None = None,
        estimator: CommuteEstimator | None = None,
        travel_date: date | None = None,
    ) -> None:
        self._osrm: dict[str, str] = {}
        for mode in OSRM_PROFILES:
            base = (osrm_urls or {}).get(mode) or osrm_url
            if base:
                self._osrm[mode] = base.rstrip("/")
        self._otp = otp_url.rstrip("/") if otp_url else None
        self._otp_router = otp_router
        self._owns_client = client is None
        self._client = client or httpx.Client(timeout=timeout)
        self._timeout = timeout
        self._estimator = estimator or CommuteEstimator()
        self._travel_date = travel_date

    def close(self) -> None:
        """Close the HTTP client if this router created it."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> HttpRouter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _get_json(self, url: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        response = self._client.get(url, params=params, timeout=self._timeout)
        response.raise_for_status()
        data = response.json()
        if not isinstance(data, dict):
            raise _NoAnswer
        return data

    def _osrm_minutes(self, mode: str, origin: PostalPlace, dest: PostalPlace) -> float | None:
        """Door-to-door minutes by OSRM, None when the route is too long for this mode."""
        base = self._osrm.get(mode)
        if base is None:
            raise _NoAnswer
        coords = f"{origin.lon:.6f},{origin.lat:.6f};{dest.lon:.6f},{dest.lat:.6f}"
        url = f"{base}/route/v1/{OSRM_PROFILES[mode]}/{coords}"
        data = self._get_json(url, {"overview": "false", "alternatives": "false"})
        if data.get("code") != "Ok" or not data.get("routes"):
            raise _NoAnswer
        route = data["routes"][0]
        minutes = float(route["duration"]) / 60.0
        km = float(route.get("distance", 0.0)) / 1000.0
        if not math.isfinite(minutes) or minutes < 0:
            raise _NoAnswer
        if mode == "walk":
            return None if km > WALK_MAX_KM else minutes
        if mode == "bike":
            return None if km > BIKE_MAX_KM else minutes + BIKE_OVERHEAD_MIN
        return minutes + CAR_PARKING_MIN + CAR_CITY_PARKING_MIN * dest.transit**4

    def _otp_minutes(self, origin: PostalPlace, dest: PostalPlace, off_peak: bool) -> float | None:
        """Minutes from leaving home to the shift start (wait at the end included), or None."""
        if self._otp is None:
            raise _NoAnswer
        day = self._travel_date or _next_tuesday()
        arrival = datetime.combine(day, OFF_PEAK_ARRIVAL if off_peak else PEAK_ARRIVAL, TIMEZONE)
        params = {
            "fromPlace": f"{origin.lat:.6f},{origin.lon:.6f}",
            "toPlace": f"{dest.lat:.6f},{dest.lon:.6f}",
            "mode": "TRANSIT,WALK",
            "arriveBy": "true",
            "date": day.isoformat(),
            "time": arrival.strftime("%H:%M"),
            "numItineraries": 3,
        }
        data = self._get_json(f"{self._otp}/otp/routers/{self._otp_router}/plan", params)
        error = data.get("error")
        if error:
            if isinstance(error, dict) and error.get("id") in OTP_NO_CONNECTION_ERRORS:
                return None
            raise _NoAnswer
        plan = data.get("plan")
        if not isinstance(plan, dict):
            raise _NoAnswer
        itineraries = plan.get("itineraries") or []
        if not itineraries:
            return None
        target_ms = arrival.timestamp() * 1000.0
        minutes = []
        for it in itineraries:
            if "startTime" in it:
                minutes.append((target_ms - float(it["startTime"])) / 60000.0)
            else:
                minutes.append(float(it["duration"]) / 60.0)
        best = min(minutes)
        if not math.isfinite(best) or best < 0:
            raise _NoAnswer
        return best

    def estimate(
        self, origin: PostalPlace, dest: PostalPlace, *, car: bool, bike: bool, off_peak: bool
    ) -> CommuteEstimate:
        """Best mode for one trip, from the servers where they answer, else from the model."""
        model = self._estimator.estimate(origin, dest, car=car, bike=bike, off_peak=off_peak)
        per_mode: dict[str, float | None] = {}
        sources: dict[str, str] = {}
        for mode in MODES:
            if (mode == "car" and not car) or (mode == "bike" and not bike):
                per_mode[mode], sources[mode] = None, "estimate"
                continue
            try:
                if mode == "public_transport":
                    per_mode[mode], sources[mode] = self._otp_minutes(origin, dest, off_peak), "otp"
                else:
                    per_mode[mode] = self._osrm_minutes(mode, origin, dest)
                    sources[mode] = "osrm"
            except (_NoAnswer, httpx.HTTPError, ValueError, KeyError, TypeError, IndexError) as exc:
                if not isinstance(exc, _NoAnswer):
                    logger.warning("routing %s failed, using the estimate: %r", mode, exc)
                per_mode[mode], sources[mode] = model.per_mode[mode], "estimate"
        available = [(m, per_mode[m]) for m in MODES if per_mode[m] is not None]
        if not available:
            return model
        best_mode, best_minutes = min(available, key=lambda item: item[1])  # first wins ties
        return CommuteEstimate(
            minutes=float(best_minutes),
            mode=best_mode,
            distance_km=model.distance_km,
            per_mode=per_mode,
            source=sources[best_mode],
        )
