"""HttpRouter against fake OSRM / OTP servers (never a real network)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from kai_match.data.geo import CommuteEstimator, HttpRouter, Router, lookup_postal_code
from kai_match.data.geo.commute import BIKE_OVERHEAD_MIN, CAR_CITY_PARKING_MIN, CAR_PARKING_MIN
from kai_match.data.geo.routing import TIMEZONE

WURZEN = lookup_postal_code("04808")
GRIMMA = lookup_postal_code("04668")
LEIPZIG = lookup_postal_code("04109")
assert WURZEN and GRIMMA and LEIPZIG
TUESDAY = date(2025, 3, 4)


def osrm_reply(seconds: float, meters: float) -> dict:
    return {"code": "Ok", "routes": [{"duration": seconds, "distance": meters}]}


def mock_router(handler: Callable[[httpx.Request], httpx.Response], **kwargs) -> HttpRouter:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return HttpRouter(client=client, travel_date=TUESDAY, **kwargs)


def car_overhead(dest) -> float:
    return CAR_PARKING_MIN + CAR_CITY_PARKING_MIN * dest.transit**4


def test_is_a_router() -> None:
    assert isinstance(HttpRouter(), Router)


def test_osrm_durations_become_minutes() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        profile = request.url.path.split("/")[3]
        replies = {
            "car": osrm_reply(1500, 24_000),
            "bike": osrm_reply(5400, 19_000),
            "foot": osrm_reply(18_000, 22_000),
        }
        return httpx.Response(200, json=replies[profile])

    router = mock_router(handler, osrm_url="http://osrm.test/")
    est = router.estimate(WURZEN, GRIMMA, car=True, bike=True, off_peak=False)
    assert est.source == "osrm"
    assert est.mode == "car"
    assert est.minutes == pytest.approx(25 + car_overhead(GRIMMA))
    assert est.per_mode["bike"] == pytest.approx(90 + BIKE_OVERHEAD_MIN)
    assert est.per_mode["walk"] is None  # 22 km on foot is no commute
    # no OTP configured: public transport from the model
    model = CommuteEstimator().estimate(WURZEN, GRIMMA, car=True, bike=True, off_peak=False)
    assert est.per_mode["public_transport"] == model.per_mode["public_transport"]
    assert est.distance_km == model.distance_km

    paths = {r.url.path for r in seen}
    coords = f"{WURZEN.lon:.6f},{WURZEN.lat:.6f};{GRIMMA.lon:.6f},{GRIMMA.lat:.6f}"
    assert paths == {f"/route/v1/{p}/{coords}" for p in ("car", "bike", "foot")}
    assert all(r.url.params["overview"] == "false" for r in seen)


def test_modes_the_person_lacks_are_not_asked() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path.split("/")[3])
        return httpx.Response(200, json=osrm_reply(600, 800))

    router = mock_router(handler, osrm_url="http://osrm.test")
    est = router.estimate(WURZEN, WURZEN, car=False, bike=False, off_peak=False)
    assert seen == ["foot"]
    assert est.per_mode["car"] is None and est.per_mode["bike"] is None
    assert est.mode == "walk" and est.source == "osrm" and est.minutes == 10


def test_one_server_per_profile() -> None:
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        return httpx.Response(200, json=osrm_reply(1200, 20_000))

    router = mock_router(handler, osrm_urls={"car": "http://car.test", "bike": "http://bike.test"})
    est = router.estimate(WURZEN, GRIMMA, car=True, bike=True, off_peak=False)
    assert sorted(hosts) == ["bike.test", "car.test"]  # walk: no server, model used
    assert est.source == "osrm"


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("slow"),
        httpx.ConnectError("refused"),
        httpx.Response(500, text="boom"),
        httpx.Response(200, text="not json"),
        httpx.Response(200, json={"code": "NoRoute", "routes": []}),
        httpx.Response(200, json={"code": "Ok", "routes": [{"weight": 1}]}),
        httpx.Response(200, json=["unexpected"]),
    ],
    ids=["timeout", "refused", "500", "not-json", "no-route", "no-duration", "list"],
)
def test_any_failure_falls_back_to_the_estimate(failure: Exception | httpx.Response) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(failure, Exception):
            raise failure
        return failure

    router = mock_router(handler, osrm_url="http://osrm.test", otp_url="http://otp.test")
    est = router.estimate(WURZEN, GRIMMA, car=True, bike=True, off_peak=True)
    model = CommuteEstimator().estimate(WURZEN, GRIMMA, car=True, bike=True, off_peak=True)
    assert est.source == "estimate"
    assert est.minutes == model.minutes and est.mode == model.mode
    assert est.per_mode == model.per_mode


def test_partial_failure_says_which_source_won() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "/car/" in request.url.path:
            raise httpx.ReadTimeout("slow")
        return httpx.Response(200, json=osrm_reply(7200, 30_000))

    router = mock_router(handler, osrm_url="http://osrm.test")
    est = router.estimate(WURZEN, GRIMMA, car=True, bike=True, off_peak=False)
    assert est.mode == "car" and est.source == "estimate"  # car from the model wins
    assert est.per_mode["bike"] is None  # OSRM: 30 km by bike is beyond the limit


def otp_reply(*, leave: datetime, arrive: datetime) -> dict:
    start, end = int(leave.timestamp() * 1000), int(arrive.timestamp() * 1000)
    return {
        "plan": {
            "itineraries": [
                {"startTime": start, "endTime": end, "duration": (end - start) // 1000},
                {"startTime": start - 3_600_000, "endTime": end - 3_600_000, "duration": 1},
            ]
        }
    }


def test_otp_gives_minutes_from_leaving_home_to_shift_start() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        arrival = datetime(2025, 3, 4, 6, 0, tzinfo=TIMEZONE)
        leave = datetime(2025, 3, 4, 4, 47, tzinfo=TIMEZONE)
        return httpx.Response(200, json=otp_reply(leave=leave, arrive=arrival.replace(minute=0)))

    router = mock_router(handler, otp_url="http://otp.test/")
    est = router.estimate(WURZEN, LEIPZIG, car=False, bike=False, off_peak=True)
    assert est.per_mode["public_transport"] == pytest.approx(73.0)
    assert est.mode == "public_transport" and est.source == "otp"
    (request,) = seen
    assert request.url.path == "/otp/routers/default/plan"
    params = request.url.params
    assert params["arriveBy"] == "true" and params["mode"] == "TRANSIT,WALK"
    assert params["date"] == "2025-03-04" and params["time"] == "06:00"
    assert params["fromPlace"] == f"{WURZEN.lat:.6f},{WURZEN.lon:.6f}"


def test_otp_no_connection_means_not_available() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"error": {"id": 404, "msg": "PATH_NOT_FOUND"}})

    router = mock_router(handler, otp_url="http://otp.test")
    est = router.estimate(WURZEN, GRIMMA, car=True, bike=False, off_peak=True)
    assert est.per_mode["public_transport"] is None
    assert est.mode == "car"


def test_nothing_available_returns_the_model() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"error": {"id": 404}})

    router = mock_router(handler, otp_url="http://otp.test")
    est = router.estimate(WURZEN, GRIMMA, car=False, bike=False, off_peak=True)
    model = CommuteEstimator().estimate(WURZEN, GRIMMA, car=False, bike=False, off_peak=True)
    assert est == model


# --- a real socket on 127.0.0.1 ----------------------------------------------------------------


class _FakeOsrm(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(osrm_reply(900, 15_000)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_osrm() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOsrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_local_http_server(fake_osrm: str) -> None:
    with HttpRouter(osrm_url=fake_osrm, timeout=2.0) as router:
        est = router.estimate(WURZEN, GRIMMA, car=True, bike=False, off_peak=False)
    assert est.source == "osrm"
    assert est.minutes == pytest.approx(15 + car_overhead(GRIMMA))


def test_unreachable_server_falls_back(fake_osrm: str) -> None:
    port = int(fake_osrm.rsplit(":", 1)[1])
    with HttpRouter(osrm_url=f"http://127.0.0.1:{port + 1}", timeout=0.5) as router:
        est = router.estimate(WURZEN, GRIMMA, car=True, bike=False, off_peak=False)
    assert est.source == "estimate"
