"""Webhooks: partner endpoints, the transactional outbox of events and the delivery log.

An event row (``webhook_event``) and one delivery row per subscribed endpoint
(``webhook_delivery``) are written in the transaction of the change that causes them, so a
rolled-back change sends nothing and a committed one waits in the outbox until delivered. The
endpoint's secret is stored encrypted (``webhooks.secret_box``): the dispatcher needs the
secret itself to sign, so a one-way hash would not do. See docs/partners.md ("Webhooks").
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401
from kai_match.models.common import PatchModel, ResponseModel, StrictModel, utcnow


class WebhookEventType(StrEnum):
    match_list_changed = "match_list.changed"
    placement_changed = "placement.changed"
    vacancy_status_changed = "vacancy.status_changed"


class EndpointStatus(StrEnum):
    active = "active"
    paused = "paused"  # by its owner: deliveries wait until it is active again
    disabled = "disabled"  # by the dispatcher after too many failures in a row


class DeliveryStatus(StrEnum):
    pending = "pending"
    delivered = "delivered"
    failed = "failed"  # gave up after KAI_WEBHOOK_MAX_ATTEMPTS


class WebhookEndpoint(SQLModel, table=True):
    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(max_length=200, index=True)  # the caller's actor: "key:12", "jwt:…"
    url: str = Field(max_length=2000)
    events: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    secret_encrypted: str = Field(max_length=500)
    status: str = Field(default=EndpointStatus.active, max_length=16)
    consecutive_failures: int = 0
    disabled_reason: str | None = Field(default=None, max_length=500)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class WebhookEvent(SQLModel, table=True):
    """The outbox: what happened, written with the change itself."""

    __tablename__ = "webhook_event"

    id: int | None = Field(default=None, primary_key=True)
    event_type: str = Field(max_length=40)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class WebhookDelivery(SQLModel, table=True):
    """One event for one endpoint: claimed, tried and retried by the dispatcher."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id"),
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("webhook_endpoint.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    event_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("webhook_event.id", ondelete="CASCADE"), nullable=False
        )
    )
    status: str = Field(default=DeliveryStatus.pending, max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    last_attempt_at: datetime | None = None
    response_status: int | None = None
    error: str | None = Field(default=None, max_length=500)
    delivered_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class WebhookRelayState(SQLModel, table=True):
    """How far the dispatcher has turned ``change_log`` rows into ``match_list.changed``."""

    __tablename__ = "webhook_relay_state"

    name: str = Field(primary_key=True, max_length=32)
    change_id: int = 0
    window_count: int = 0  # rows in (change_id - window, change_id] when last looked
    updated_at: datetime = Field(default_factory=utcnow)


URL_TEXT = "https URL that receives the POSTs (http only where the service allows it)"
Url = Annotated[str, PydanticField(min_length=8, max_length=2000, description=URL_TEXT)]
Events = Annotated[
    list[WebhookEventType],
    PydanticField(min_length=1, max_length=len(WebhookEventType), description="Events to send"),
]


class WebhookCreate(StrictModel):
    url: Url
    events: Events


class WebhookUpdate(PatchModel):
    patch_tables: ClassVar[tuple[type, ...]] = (WebhookEndpoint,)

    url: Url | None = None
    events: Events | None = None
    status: EndpointStatus | None = PydanticField(
        None, description="`paused` or `active` (resuming a disabled endpoint clears its failures)"
    )


class WebhookPublic(ResponseModel):
    id: int
    url: str
    events: list[WebhookEventType]
    status: EndpointStatus
    consecutive_failures: int
    disabled_reason: str | None
    created_at: datetime
    updated_at: datetime


class WebhookCreated(WebhookPublic):
    secret: str = PydanticField(
        description="Signs every delivery (HMAC-SHA256); shown only in this answer"
    )


class WebhookPage(ResponseModel):
    items: list[WebhookPublic]
    next_cursor: str | None


class DeliveryPublic(ResponseModel):
    id: int
    event_id: int
    event_type: WebhookEventType
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    response_status: int | None
    error: str | None
    delivered_at: datetime | None
    created_at: datetime


class DeliveryPage(ResponseModel):
    items: list[DeliveryPublic]
    next_cursor: str | None
