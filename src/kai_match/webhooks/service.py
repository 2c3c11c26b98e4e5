"""Webhook endpoints: register, list, read, pause or resume, delete, and their delivery log.

An endpoint belongs to the caller that registered it (its ``actor``, e.g. ``key:12``): a
partner sees and changes only its own, so another partner's endpoint is a 404; admins see all.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, delete, func, select

from kai_match.errors import Conflict, FieldError, InvalidInput, NotFound
from kai_match.kit.pagination import Page, PageRequest, page_of
from kai_match.kit.patching import null_errors
from kai_match.kit.principal import Principal
from kai_match.kit.versioning import bump_version, check_if_match, lock_for_write, record_etag
from kai_match.models.api_key import Role
from kai_match.models.webhook import (
    DeliveryPublic,
    EndpointStatus,
    WebhookCreate,
    WebhookCreated,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookEventType,
    WebhookPublic,
    WebhookUpdate,
)
from kai_match.webhooks import url_guard
from kai_match.webhooks.secret_box import SecretBox, new_secret

MAX_ENDPOINTS_PER_OWNER = 20


def check_url(url: str, *, allow_http: bool, allowed_networks: Sequence[str]) -> None:
    """422 naming ``url`` and the rule it breaks (scheme, credentials, non-public address)."""
    try:
        url_guard.check(url, allow_http=allow_http, allowed_networks=allowed_networks)
    except url_guard.UnsafeUrl as exc:
        raise InvalidInput(
            detail="The webhook URL is not allowed.", errors=[FieldError("url", str(exc))]
        ) from exc


def create_webhook(
    *,
    session: Session,
    data: WebhookCreate,
    principal: Principal,
    box: SecretBox,
    allow_http: bool,
    allowed_networks: Sequence[str],
) -> WebhookCreated:
    """Store the endpoint with a new secret, which this answer shows for the only time."""
    check_url(data.url, allow_http=allow_http, allowed_networks=allowed_networks)
    owned = session.exec(select(func.count()).where(WebhookEndpoint.owner == principal.actor)).one()
    if owned >= MAX_ENDPOINTS_PER_OWNER:
        raise Conflict(
            detail=f"A caller may register at most {MAX_ENDPOINTS_PER_OWNER} webhook endpoints.",
            errors=[FieldError("url", f"would be endpoint {owned + 1} of this caller")],
        )
    secret = new_secret()
    endpoint = WebhookEndpoint(
        owner=principal.actor,
        url=data.url,
        events=_event_names(data.events),
        secret_encrypted=box.encrypt(secret),
    )
    session.add(endpoint)
    session.flush()
    return WebhookCreated(**webhook_public(endpoint).model_dump(), secret=secret)


def get_webhook(*, session: Session, webhook_id: int, principal: Principal) -> WebhookEndpoint:
    """Load within the caller's reach: a partner finds only its own endpoints."""
    query = select(WebhookEndpoint).where(WebhookEndpoint.id == webhook_id)
    if principal.role != Role.admin:
        query = query.where(WebhookEndpoint.owner == principal.actor)
    endpoint = session.exec(query).first()
    if endpoint is None:
        raise NotFound(detail=f"Webhook endpoint {webhook_id} does not exist.")
    return endpoint


def list_webhooks(
    *, session: Session, page: PageRequest, principal: Principal
) -> Page[WebhookPublic]:
    query = select(WebhookEndpoint).order_by(col(WebhookEndpoint.id))
    if principal.role != Role.admin:
        query = query.where(WebhookEndpoint.owner == principal.actor)
    if page.after_id is not None:
        query = query.where(col(WebhookEndpoint.id) > page.after_id)
    rows, cursor = page_of(list(session.exec(query.limit(page.limit + 1))), page.limit, _id)
    return Page(items=[webhook_public(r) for r in rows], next_cursor=cursor)


def update_webhook(
    *,
    session: Session,
    endpoint: WebhookEndpoint,
    data: WebhookUpdate,
    if_match: str | None,
    allow_http: bool,
    allowed_networks: Sequence[str],
) -> WebhookPublic:
    """Change URL or events, pause, or resume (which also forgets the failures in a row)."""
    endpoint = lock_for_write(session, endpoint)
    check_if_match(if_match, record_etag(endpoint))
    changed = data.model_dump(exclude_unset=True)
    errors = null_errors(changed, WebhookEndpoint)
    if changed.get("status") == EndpointStatus.disabled:
        errors.append(FieldError("status", "must be active or paused (the service disables)"))
    if errors:
        raise InvalidInput(detail="The webhook endpoint could not be updated.", errors=errors)
    if "url" in changed:
        check_url(changed["url"], allow_http=allow_http, allowed_networks=allowed_networks)
        endpoint.url = changed["url"]
    if "events" in changed:
        endpoint.events = _event_names(data.events or [])
    if data.status == EndpointStatus.active and endpoint.status != EndpointStatus.active:
        endpoint.consecutive_failures = 0
        endpoint.disabled_reason = None
    if data.status is not None:
        endpoint.status = data.status.value
    bump_version(endpoint)
    session.add(endpoint)
    session.flush()
    return webhook_public(endpoint)


def delete_webhook(*, session: Session, endpoint: WebhookEndpoint) -> None:
    """Remove the endpoint with its delivery log (nothing further is sent to it)."""
    session.exec(delete(WebhookDelivery).where(col(WebhookDelivery.endpoint_id) == endpoint.id))
    session.delete(endpoint)
    session.flush()


def list_deliveries(
    *, session: Session, endpoint: WebhookEndpoint, page: PageRequest
) -> Page[DeliveryPublic]:
    """The endpoint's deliveries, newest first: what was sent, how often, what came back."""
    query = (
        select(WebhookDelivery, WebhookEvent.event_type)
        .join(WebhookEvent, col(WebhookEvent.id) == WebhookDelivery.event_id)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(col(WebhookDelivery.id).desc())
    )
    if page.after_id is not None:
        query = query.where(col(WebhookDelivery.id) < page.after_id)
    rows, cursor = page_of(
        list(session.exec(query.limit(page.limit + 1))), page.limit, lambda r: r[0].id
    )
    return Page(items=[_delivery_public(d, t) for d, t in rows], next_cursor=cursor)


def webhook_public(endpoint: WebhookEndpoint) -> WebhookPublic:
    return WebhookPublic.model_validate(endpoint, from_attributes=True)


def _delivery_public(delivery: WebhookDelivery, event_type: str) -> DeliveryPublic:
    pending = delivery.status == "pending"
    return DeliveryPublic(
        id=delivery.id or 0,
        event_id=delivery.event_id,
        event_type=WebhookEventType(event_type),
        status=delivery.status,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at if pending else None,
        last_attempt_at=delivery.last_attempt_at,
        response_status=delivery.response_status,
        error=delivery.error,
        delivered_at=delivery.delivered_at,
        created_at=delivery.created_at,
    )


def _event_names(events: Sequence[WebhookEventType]) -> list[str]:
    return list(dict.fromkeys(e.value for e in events))


def _id(endpoint: WebhookEndpoint) -> int:
    assert endpoint.id is not None
    return endpoint.id
