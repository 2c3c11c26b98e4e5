"""Webhooks (issue 19, item 5): registration, the outbox, signed deliveries, retries, SSRF."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from kai_match.config import Settings
from kai_match.kit.principal import SYSTEM
from kai_match.models import Placement, WebhookDelivery, WebhookEndpoint, WebhookEvent
from kai_match.models.common import utcnow
from kai_match.models.placement import TransitionIn
from kai_match.models.webhook import WebhookEventType
from kai_match.placements import service as placements
from kai_match.webhooks import outbox, signatures
from kai_match.webhooks.dispatcher import Dispatcher
from tests.builders import make_employer, make_participant, make_vacancy


def register(client, url: str, events: list[str], headers=None) -> dict:
    response = client.post(
        "/api/v1/webhooks", json={"url": url, "events": events}, headers=headers or {}
    )
    assert response.status_code == 201, response.text
    return response.json()


def new_placement(client, openings: int = 2) -> dict:
    person = make_participant(client)
    job = make_vacancy(client, employer_id=make_employer(client)["id"], openings=openings)
    response = client.post(
        "/api/v1/placements",
        json={
            "participant_id": person["id"],
            "vacancy_id": job["id"],
            "override_reason": "Test: the webhook is tested, not the match.",
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def move(client, placement_id: int, to: str, expect: int = 200) -> None:
    response = client.post(f"/api/v1/placements/{placement_id}/transitions", json={"to": to})
    assert response.status_code == expect, response.text


def deliver_until(dispatcher: Dispatcher, done, seconds: float = 10) -> None:
    """Passes of the dispatcher until ``done()`` (retries wait their short backoff)."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "not delivered in time"
        dispatcher.run_once()
        time.sleep(0.02)


def count(engine, table) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def test_a_delivery_survives_a_receiver_that_fails_twice_and_is_signed(
    client, receiver, dispatcher, partner
):
    placement = new_placement(client)  # created before the endpoint: no event for it
    hook = register(client, receiver.url, ["placement.changed"], partner)
    assert hook["secret"].startswith("whsec_") and hook["status"] == "active"
    receiver.statuses = [500, 503]
    move(client, placement["id"], "proposed")

    deliver_until(dispatcher, lambda: len(receiver.requests) == 3)

    ids = {r.headers["Webhook-Id"] for r in receiver.requests}
    assert len(ids) == 1  # one event, tried three times
    last = receiver.requests[-1]
    assert signatures.verify(hook["secret"], last.headers["Webhook-Signature"], last.body)
    assert not signatures.verify("whsec_other", last.headers["Webhook-Signature"], last.body)
    assert not signatures.verify(hook["secret"], last.headers["Webhook-Signature"], b"{}")
    assert last.event["type"] == "placement.changed"
    assert last.event["id"] == last.headers["Webhook-Id"]
    assert last.event["data"] == {
        "placement_id": placement["id"],
        "vacancy_id": placement["vacancy_id"],
        "from": "suggested",
        "to": "proposed",
    }
    log = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=partner).json()
    assert [(d["status"], d["attempts"], d["response_status"]) for d in log["items"]] == [
        ("delivered", 3, 200)
    ]
    endpoint = client.get(f"/api/v1/webhooks/{hook['id']}", headers=partner).json()
    assert endpoint["consecutive_failures"] == 0 and "secret" not in endpoint


def test_an_old_signature_is_refused_by_the_replay_window():
    header = signatures.signature_header("whsec_x", b"{}", 1_000_000)
    assert signatures.verify("whsec_x", header, b"{}", now=1_000_000 + 299)
    assert not signatures.verify("whsec_x", header, b"{}", now=1_000_000 + 301)


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("https://10.0.0.5/hook", "must not resolve to a private address (10.0.0.5)"),
        ("https://192.168.1.20/hook", "must not resolve to a private address (192.168.1.20)"),
        ("https://169.254.169.254/latest", "must not resolve to a link-local address"),
        ("https://[::1]:8443/hook", "must not resolve to a loopback address (::1)"),
        ("https://127.0.0.2/hook", "must not resolve to a loopback address (127.0.0.2)"),
        ("https://224.0.0.1/hook", "must not resolve to a multicast address (224.0.0.1)"),
        ("ftp://93.184.215.14/hook", "must use https"),
        ("https://user:pw@93.184.215.14/", "must not contain a user name or password"),
    ],
)
def test_a_private_or_unsafe_url_is_refused_at_registration(client, partner, url, rule):
    response = client.post(
        "/api/v1/webhooks", json={"url": url, "events": ["placement.changed"]}, headers=partner
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "url" and error["message"].startswith(rule), error


def test_http_is_refused_unless_configured(client, partner, settings):
    client.app.state.settings = settings.model_copy(update={"webhook_allow_http": False})
    response = client.post(
        "/api/v1/webhooks",
        json={"url": "http://127.0.0.1:9/hook", "events": ["placement.changed"]},
        headers=partner,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "url", "message": "must use https"}]


def test_an_unknown_event_is_refused(client, partner, receiver):
    response = client.post(
        "/api/v1/webhooks",
        json={"url": receiver.url, "events": ["vacancy.deleted"]},
        headers=partner,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "events[0]"


def test_the_address_is_checked_again_at_delivery(client, receiver, dispatcher, settings):
    placement = new_placement(client)  # before the endpoint: only the move is an event
    hook = register(client, receiver.url, ["placement.changed"])
    move(client, placement["id"], "proposed")
    dispatcher.settings = settings.model_copy(update={"webhook_allowed_networks": []})
    assert dispatcher.run_once() == 1
    assert receiver.requests == []
    [item] = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["items"]
    assert item["status"] == "pending" and item["attempts"] == 1
    assert item["error"] == "url must not resolve to a loopback address (127.0.0.1)"


def test_a_rolled_back_transition_sends_nothing(client, receiver, dispatcher, engine):
    placement = new_placement(client)
    register(client, receiver.url, ["placement.changed", "vacancy.status_changed"])
    with Session(engine) as session:
        row = session.get(Placement, placement["id"])
        assert row is not None
        placements.transition(
            session=session, placement=row, data=TransitionIn(to="proposed"), principal=SYSTEM
        )
        assert session.exec(select(func.count()).select_from(WebhookEvent)).one() == 1
        session.rollback()
    move(client, placement["id"], "hired", expect=409)  # refused by the state machine
    assert count(engine, WebhookEvent) == 0 and count(engine, WebhookDelivery) == 0
    assert dispatcher.run_once() == 0
    assert receiver.requests == []


def test_a_filled_vacancy_is_a_status_event(client, receiver, dispatcher):
    register(client, receiver.url, ["vacancy.status_changed"])
    placement = new_placement(client, openings=1)
    for state in ("proposed", "accepted_by_participant", "sent_to_employer", "hired"):
        move(client, placement["id"], state)
    deliver_until(dispatcher, lambda: len(receiver.requests) == 1)
    assert receiver.requests[0].event["data"] == {
        "vacancy_id": placement["vacancy_id"],
        "from": "open",
        "to": "filled",
    }


def test_a_partner_sees_only_its_own_endpoints(client, receiver, partner):
    from tests.builders import make_key

    other = {"Authorization": f"Bearer {make_key(client, 'partner')['key']}"}
    hook = register(client, receiver.url, ["placement.changed"], partner)
    path = f"/api/v1/webhooks/{hook['id']}"
    assert client.get(path, headers=other).status_code == 404
    assert client.get(f"{path}/deliveries", headers=other).status_code == 404
    etag = client.get(path, headers=partner).headers["ETag"]
    patched = client.patch(path, json={"status": "paused"}, headers=other | {"If-Match": etag})
    assert patched.status_code == 404
    assert client.delete(path, headers=other).status_code == 404
    assert client.get("/api/v1/webhooks", headers=other).json()["items"] == []
    assert [h["id"] for h in client.get("/api/v1/webhooks", headers=partner).json()["items"]] == [
        hook["id"]
    ]
    assert client.get(path).status_code == 200  # the admin sees every endpoint


def test_an_endpoint_is_disabled_after_n_failures_and_resumed(
    client, receiver, dispatcher, partner, engine
):
    placement = new_placement(client)
    hook = register(client, receiver.url, ["placement.changed"], partner)
    path = f"/api/v1/webhooks/{hook['id']}"
    receiver.statuses = [500] * 10
    move(client, placement["id"], "proposed")

    deliver_until(dispatcher, lambda: client.get(path).json()["status"] == "disabled")

    endpoint = client.get(path, headers=partner)
    assert len(receiver.requests) == 3  # KAI_WEBHOOK_DISABLE_AFTER_FAILURES in the fixture
    assert endpoint.json()["disabled_reason"] == "3 failed attempts in a row; last: answered 500"
    time.sleep(0.1)
    assert dispatcher.run_once() == 0  # nothing goes to a disabled endpoint
    receiver.statuses = []
    resumed = client.patch(
        path, json={"status": "active"}, headers=partner | {"If-Match": endpoint.headers["ETag"]}
    )
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["consecutive_failures"] == 0
    deliver_until(dispatcher, lambda: len(receiver.requests) == 4)
    [item] = client.get(f"{path}/deliveries", headers=partner).json()["items"]
    assert (item["status"], item["attempts"]) == ("delivered", 4)


def test_a_paused_endpoint_keeps_its_deliveries_until_resumed(client, receiver, dispatcher):
    placement = new_placement(client)
    hook = register(client, receiver.url, ["placement.changed"])
    path = f"/api/v1/webhooks/{hook['id']}"
    assert client.patch(path, json={"status": "paused"}).status_code == 200
    move(client, placement["id"], "proposed")
    assert dispatcher.run_once() == 0
    assert client.patch(path, json={"status": "active"}).status_code == 200
    deliver_until(dispatcher, lambda: len(receiver.requests) == 1)


def test_a_change_of_a_ranked_record_is_a_match_list_event(client, receiver, dispatcher):
    register(client, receiver.url, ["match_list.changed"])
    person = make_participant(client)
    assert dispatcher.run_once() == 0  # the relay starts at the current change
    patched = client.patch(f"/api/v1/participants/{person['id']}", json={"german_level": "B1"})
    assert patched.status_code == 200, patched.text
    deliver_until(dispatcher, lambda: len(receiver.requests) == 1)
    data = receiver.requests[0].event["data"]
    assert data["feed"] == "/api/v1/match-lists" and data["change_id"] > 0
    assert dispatcher.run_once() == 0  # nothing new: no second event


def test_the_secret_is_stored_encrypted(client, receiver, engine):
    hook = register(client, receiver.url, ["placement.changed"])
    with Session(engine) as session:
        stored = session.get(WebhookEndpoint, hook["id"])
        assert stored is not None
        assert hook["secret"] not in stored.secret_encrypted
        assert client.app.state.webhook_box.decrypt(stored.secret_encrypted) == hook["secret"]


def test_deleting_an_endpoint_removes_its_log(client, receiver, engine):
    hook = register(client, receiver.url, ["placement.changed"])
    move(client, new_placement(client)["id"], "proposed")
    assert client.delete(f"/api/v1/webhooks/{hook['id']}").status_code == 204
    assert client.get(f"/api/v1/webhooks/{hook['id']}").status_code == 404
    assert count(engine, WebhookDelivery) == 0


def test_two_dispatchers_at_a_barrier_deliver_each_event_once(client, receiver, settings, engine):
    register(client, receiver.url, ["vacancy.status_changed"])
    with Session(engine) as session, session.begin():
        for i in range(60):
            outbox.emit(
                session,
                WebhookEventType.vacancy_status_changed,
                {"vacancy_id": i, "from": "open", "to": "closed"},
            )
    box = client.app.state.webhook_box
    dispatchers = [Dispatcher(engine, settings, box) for _ in range(2)]
    barrier = threading.Barrier(2)
    made: list[int] = []

    def work(d: Dispatcher) -> None:
        barrier.wait()
        made.append(d.drain())

    threads = [threading.Thread(target=work, args=(d,)) for d in dispatchers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    counts = Counter(r.headers["Webhook-Id"] for r in receiver.requests)
    assert len(counts) == 60 and set(counts.values()) == {1}
    assert sum(made) == 60
    for d in dispatchers:
        d.client.close()


def test_the_background_thread_delivers(settings, receiver, client):
    """The dispatcher the app starts in its lifespan sends without anyone calling it."""
    from fastapi.testclient import TestClient

    from kai_match.main import create_app

    placement = new_placement(client)
    hook = register(client, receiver.url, ["placement.changed"])
    move(client, placement["id"], "proposed")
    live = settings.model_copy(update={"webhook_dispatcher": True, "webhook_poll_seconds": 0.05})
    with TestClient(create_app(live), headers=dict(client.headers)) as second:
        deadline = time.monotonic() + 10
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(receiver.requests) == 1
        log = second.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()
        assert log["items"][0]["status"] == "delivered"


def test_a_new_placement_is_an_event_too(client, receiver, dispatcher, partner):
    register(client, receiver.url, ["placement.changed"], partner)
    placement = new_placement(client)
    deliver_until(dispatcher, lambda: len(receiver.requests) == 1)
    assert receiver.requests[0].event["data"] == {
        "placement_id": placement["id"],
        "vacancy_id": placement["vacancy_id"],
        "from": None,
        "to": "suggested",
    }


def test_finished_deliveries_are_forgotten_after_the_retention_period(client, engine):
    """Delivered and given-up rows older than the period go, with events left without any;
    pending ones stay whatever their age."""
    old, recent = datetime(2020, 1, 1, tzinfo=UTC), utcnow()
    with Session(engine) as session, session.begin():
        endpoint = WebhookEndpoint(
            owner="key:0",
            url="https://93.184.215.14/hook",
            events=["placement.changed"],
            secret_encrypted="-",
            status="paused",
        )
        session.add(endpoint)
        session.flush()
        rows = {}
        for name, status, created in (
            ("old_delivered", "delivered", old),
            ("old_failed", "failed", old),
            ("old_pending", "pending", old),
            ("new_delivered", "delivered", recent),
        ):
            event = WebhookEvent(event_type="placement.changed", data={}, created_at=created)
            session.add(event)
            session.flush()
            session.add(
                WebhookDelivery(
                    endpoint_id=endpoint.id, event_id=event.id, status=status, created_at=created
                )
            )
            rows[name] = event.id
    with Session(engine) as session, session.begin():
        removed = outbox.purge(session, recent - timedelta(days=30))
    assert removed == (2, 2)
    with Session(engine) as session:
        left = set(session.exec(select(WebhookEvent.id)).all())
    assert left >= {rows["old_pending"], rows["new_delivered"]}
    assert not left & {rows["old_delivered"], rows["old_failed"]}


def test_production_needs_keys_for_webhook_secrets():
    production = {
        "environment": "production",
        "database_url": "postgresql://x@localhost/db",
        "cursor_keys": ["c" * 40],
    }
    with pytest.raises(ValueError, match="KAI_WEBHOOK_SECRET_KEYS must be set"):
        Settings(**production)
    assert Settings(**production, webhook_secret_keys=["w" * 40]).webhook_secret_keys
