"""The dispatcher: claims due deliveries from the outbox, signs and sends them, retries.

A pass claims up to ``BATCH`` due deliveries of active endpoints in one short transaction
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several dispatchers never claim the same row;
SQLite's write lock makes each claim exclusive anyway) and moves their next attempt a lease
ahead. The HTTP requests run outside any transaction; each outcome is written in its own. A
dispatcher that dies mid-request leaves the row to be claimed again when its lease ends, so a
delivery arrives at least once: receivers de-duplicate by the ``Webhook-Id`` header.

A failure is retried after an exponential backoff with jitter (``KAI_WEBHOOK_BACKOFF_…``), up
to ``KAI_WEBHOOK_MAX_ATTEMPTS``; after ``KAI_WEBHOOK_DISABLE_AFTER_FAILURES`` failed attempts in
a row the endpoint is disabled until its owner resumes it. Redirects are not followed (one
could lead to an internal address); a 3xx counts as a failure.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import structlog
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from kai_match import __version__
from kai_match.config import Settings
from kai_match.models.common import utcnow
from kai_match.models.webhook import (
    DeliveryStatus,
    EndpointStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from kai_match.webhooks import outbox, relay, signatures, url_guard
from kai_match.webhooks.secret_box import SecretBox

log = structlog.get_logger("kai_match.webhooks")
BATCH = 20
IDLE_SECONDS = 30.0  # between looks while no endpoint is active
PURGE_EVERY_SECONDS = 3600.0  # how often the loop forgets finished deliveries
MAX_ERROR_CHARS = 500


@dataclass(frozen=True)
class Claim:
    delivery_id: int
    attempt: int
    endpoint_id: int
    url: str
    secret_encrypted: str
    event_id: int
    event_type: str
    data: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str | None = None


def backoff_seconds(attempt: int, settings: Settings) -> float:
    """Wait after failed attempt ``attempt`` (1, 2, …): doubling, capped, drawn from its upper half."""
    ceiling = min(
        settings.webhook_backoff_max_seconds, settings.webhook_backoff_seconds * 2 ** (attempt - 1)
    )
    return random.uniform(ceiling / 2, ceiling)


def envelope(claim: Claim) -> bytes:
    """The body every receiver gets: event id, type, time and the event's data."""
    body = {
        "id": f"evt_{claim.event_id}",
        "type": claim.event_type,
        "created_at": claim.created_at.isoformat(),
        "data": claim.data,
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


class Dispatcher:
    """Delivers the outbox of one database; ``run_once`` for cron, ``start`` for a thread."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        box: SecretBox,
        client: httpx.Client | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.box = box
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(
                settings.webhook_read_timeout_seconds,
                connect=settings.webhook_connect_timeout_seconds,
            ),
            follow_redirects=False,
        )
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def lease(self) -> timedelta:
        """How long a claim keeps others away: longer than one attempt can take."""
        s = self.settings
        return timedelta(
            seconds=s.webhook_connect_timeout_seconds + 2 * s.webhook_read_timeout_seconds + 30
        )

    def run_once(self) -> int:
        """Relay change-log news, then send what is due now; the number of attempts made."""
        with Session(self.engine) as session, session.begin():
            relay.relay_match_list_changes(session)
        claims = self.claim()
        for claim in claims:
            self.record(claim, self.attempt(claim))
        return len(claims)

    def purge(self) -> tuple[int, int]:
        """Forget finished deliveries older than KAI_WEBHOOK_RETENTION_DAYS (``outbox.purge``)."""
        before = utcnow() - timedelta(days=self.settings.webhook_retention_days)
        with Session(self.engine) as session, session.begin():
            return outbox.purge(session, before)

    def drain(self) -> int:
        """Passes until nothing is due (the CLI's ``--once``); the attempts made."""
        total = 0
        while made := self.run_once():
            total += made
        return total

    def claim(self) -> list[Claim]:
        now = utcnow()
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            rows = session.exec(
                select(WebhookDelivery, WebhookEndpoint, WebhookEvent)
                .join(WebhookEndpoint, col(WebhookEndpoint.id) == WebhookDelivery.endpoint_id)
                .join(WebhookEvent, col(WebhookEvent.id) == WebhookDelivery.event_id)
                .where(
                    WebhookDelivery.status == DeliveryStatus.pending,
                    col(WebhookDelivery.next_attempt_at) <= now,
                    WebhookEndpoint.status == EndpointStatus.active,
                )
                .order_by(col(WebhookDelivery.id))
                .limit(BATCH)
                .with_for_update(skip_locked=True, of=WebhookDelivery)  # type: ignore[arg-type]
            ).all()
            claims = []
            for delivery, endpoint, event in rows:
                delivery.attempts += 1
                delivery.last_attempt_at = now
                delivery.next_attempt_at = now + self.lease
                session.add(delivery)
                claims.append(
                    Claim(
                        delivery_id=delivery.id,
                        attempt=delivery.attempts,
                        endpoint_id=endpoint.id,
                        url=endpoint.url,
                        secret_encrypted=endpoint.secret_encrypted,
                        event_id=event.id,
                        event_type=event.event_type,
                        data=event.data,
                        created_at=event.created_at,
                    )
                )
        return claims

    def attempt(self, claim: Claim) -> Outcome:
        """One signed POST to the address checked just now; never raises."""
        try:
            target = url_guard.check(
                claim.url,
                allow_http=self.settings.webhook_allow_http,
                allowed_networks=self.settings.webhook_allowed_networks,
            )
        except url_guard.UnsafeUrl as exc:
            return Outcome(ok=False, error=f"url {exc}")
        try:
            secret = self.box.decrypt(claim.secret_encrypted)
        except ValueError as exc:
            return Outcome(ok=False, error=f"secret: {exc}")
        body = envelope(claim)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"kai-match-webhooks/{__version__}",
            "Host": _host_header(target),
            "Webhook-Id": f"evt_{claim.event_id}",
            "Webhook-Event": claim.event_type,
            signatures.HEADER: signatures.signature_header(secret, body, int(time.time())),
        }
        extensions = {"sni_hostname": target.host} if target.url.startswith("https") else {}
        try:
            answer = self.client.post(
                target.url, content=body, headers=headers, extensions=extensions
            )
        except httpx.HTTPError as exc:
            return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS])
        if 200 <= answer.status_code < 300:
            return Outcome(ok=True, status_code=answer.status_code)
        return Outcome(
            ok=False, status_code=answer.status_code, error=f"answered {answer.status_code}"
        )

    def record(self, claim: Claim, outcome: Outcome) -> None:
        """Store the outcome; count the endpoint's failures in a row and disable it at N."""
        now = utcnow()
        with Session(self.engine) as session, session.begin():
            delivery = session.get(WebhookDelivery, claim.delivery_id)
            if delivery is None:  # the endpoint was deleted meanwhile
                return
            delivery.response_status = outcome.status_code
            delivery.error = outcome.error[:MAX_ERROR_CHARS] if outcome.error else None
            if outcome.ok:
                delivery.status = DeliveryStatus.delivered
                delivery.delivered_at = now
                session.execute(
                    update(WebhookEndpoint)
                    .where(col(WebhookEndpoint.id) == claim.endpoint_id)
                    .values(consecutive_failures=0)
                )
            else:
                if claim.attempt >= self.settings.webhook_max_attempts:
                    delivery.status = DeliveryStatus.failed
                else:
                    wait = backoff_seconds(claim.attempt, self.settings)
                    delivery.next_attempt_at = now + timedelta(seconds=wait)
                self._count_failure(session, claim.endpoint_id, outcome)
            session.add(delivery)
        log.info(
            "webhook attempt",
            delivery=claim.delivery_id,
            endpoint=claim.endpoint_id,
            attempt=claim.attempt,
            ok=outcome.ok,
            status=outcome.status_code,
        )

    def _count_failure(self, session: Session, endpoint_id: int, outcome: Outcome) -> None:
        session.execute(
            update(WebhookEndpoint)
            .where(col(WebhookEndpoint.id) == endpoint_id)
            .values(consecutive_failures=WebhookEndpoint.consecutive_failures + 1)
        )
        endpoint = session.get(WebhookEndpoint, endpoint_id, populate_existing=True)
        limit = self.settings.webhook_disable_after_failures
        if endpoint is None or endpoint.status != EndpointStatus.active:
            return
        if endpoint.consecutive_failures >= limit:
            endpoint.status = EndpointStatus.disabled
            endpoint.disabled_reason = (
                f"{endpoint.consecutive_failures} failed attempts in a row; last: {outcome.error}"
            )[:MAX_ERROR_CHARS]
            endpoint.version += 1
            endpoint.updated_at = utcnow()
            session.add(endpoint)
            log.warning("webhook endpoint disabled", endpoint=endpoint_id)

    # The background thread of an app process.

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="webhook-dispatcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.client.close()

    def _loop(self) -> None:
        purged_at = 0.0
        while not self._stop.is_set():
            wait = IDLE_SECONDS
            try:
                if time.monotonic() - purged_at > PURGE_EVERY_SECONDS:
                    self.purge()
                    purged_at = time.monotonic()
                if self._any_active():
                    wait = 0 if self.run_once() >= BATCH else self.settings.webhook_poll_seconds
            except Exception:  # the database may be away; the next pass tries again
                log.exception("webhook dispatcher pass failed")
                wait = self.settings.webhook_poll_seconds
            self._stop.wait(wait)

    def _any_active(self) -> bool:
        with Session(self.engine) as session, session.begin():
            return (
                session.exec(
                    select(WebhookEndpoint.id)
                    .where(WebhookEndpoint.status == EndpointStatus.active)
                    .limit(1)
                ).first()
                is not None
            )


def _host_header(target: url_guard.Target) -> str:
    default = 443 if target.url.startswith("https") else 80
    host = f"[{target.host}]" if ":" in target.host else target.host
    return host if target.port == default else f"{host}:{target.port}"
