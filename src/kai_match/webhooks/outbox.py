"""The transactional outbox: an event and its deliveries join the caller's transaction.

Called by the services that make the change (placements, vacancies) with their own session,
never committing: a rolled-back change leaves no event behind, a committed one leaves rows
the dispatcher delivers however long the receiver is away. Deliveries are made for every
endpoint subscribed at that moment that is not disabled (a paused endpoint's deliveries wait
for it to resume); there are few endpoints, so they are filtered here rather than in SQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists
from sqlmodel import Session, col, select

from kai_match.models.webhook import (
    DeliveryStatus,
    EndpointStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookEventType,
)


def emit(session: Session, event_type: WebhookEventType, data: dict[str, Any]) -> None:
    """Add ``event_type`` with ``data`` (JSON values, no personal data) to the outbox."""
    endpoints = session.exec(
        select(WebhookEndpoint.id, WebhookEndpoint.events).where(
            col(WebhookEndpoint.status) != EndpointStatus.disabled
        )
    ).all()
    subscribed = [i for i, events in endpoints if event_type.value in events]
    if not subscribed:
        return
    event = WebhookEvent(event_type=event_type.value, data=data)
    session.add(event)
    session.flush()
    assert event.id is not None
    session.add_all(
        WebhookDelivery(endpoint_id=endpoint_id, event_id=event.id) for endpoint_id in subscribed
    )


def placement_changed(
    session: Session, *, placement_id: int, vacancy_id: int, source: str | None, target: str
) -> None:
    """A placement was created (``source`` None) or moved from one state to another."""
    emit(
        session,
        WebhookEventType.placement_changed,
        {"placement_id": placement_id, "vacancy_id": vacancy_id, "from": source, "to": target},
    )


def vacancy_status_changed(session: Session, *, vacancy_id: int, source: str, target: str) -> None:
    """A vacancy became open, filled or closed (only real changes are events)."""
    if source != target:
        emit(
            session,
            WebhookEventType.vacancy_status_changed,
            {"vacancy_id": vacancy_id, "from": source, "to": target},
        )


def purge(session: Session, before: datetime) -> tuple[int, int]:
    """Forget finished deliveries (delivered or given up) made before ``before``, and events
    left without deliveries; (deliveries, events) removed. Pending ones always stay.

    The outbox is a queue, not an archive: the delivery log shows the recent past, and keeping
    every event forever only grows the tables the dispatcher scans.
    """
    finished = (
        delete(WebhookDelivery)
        .where(col(WebhookDelivery.status).in_([DeliveryStatus.delivered, DeliveryStatus.failed]))
        .where(col(WebhookDelivery.created_at) < before)
    )
    deliveries = session.exec(finished).rowcount  # type: ignore[call-overload]
    orphans = (
        delete(WebhookEvent)
        .where(col(WebhookEvent.created_at) < before)
        .where(~exists().where(WebhookDelivery.event_id == WebhookEvent.id))
    )
    events = session.exec(orphans).rowcount  # type: ignore[call-overload]
    return int(deliveries or 0), int(events or 0)
