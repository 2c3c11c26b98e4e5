"""Webhook routes: partners and admins register endpoints and read their delivery logs.

What is sent, how it is signed and retried: docs/partners.md ("Webhooks").
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Response, status

from kai_match.api.deps import IfMatch, PageDep, PrincipalDep, SessionDep, SettingsDep, allow
from kai_match.api.examples import example
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import domain_router
from kai_match.kit.versioning import first_etag, record_etag
from kai_match.models.api_key import Role
from kai_match.models.webhook import (
    DeliveryPage,
    WebhookCreate,
    WebhookCreated,
    WebhookEndpoint,
    WebhookPage,
    WebhookPublic,
    WebhookUpdate,
)
from kai_match.webhooks import service
from kai_match.webhooks.deps import SecretBoxDep, WebhookDep

router = domain_router(tags=["webhooks"])
OWNERS = (Role.admin, Role.partner)
WEBHOOK_CREATE = {
    "url": "https://jobcenter.example.org/kai-match/events",
    "events": ["placement.changed", "vacancy.status_changed"],
}
WEBHOOK_PAUSE = {"status": "paused"}


@router.post(
    "/webhooks",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookCreated,
    responses=problem_responses(400, 409, 413, 422, 503),
    **allow(*OWNERS),
)
def create_webhook(
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    box: SecretBoxDep,
    data: Annotated[WebhookCreate, Body(openapi_examples=example("Placements", WEBHOOK_CREATE))],
    response: Response,
) -> WebhookCreated:
    """Register an endpoint; the answer carries its signing secret, shown this once only.

    The URL must be https and resolve to a public address (422 naming ``url`` otherwise).
    """
    created = service.create_webhook(
        session=session,
        data=data,
        principal=principal,
        box=box,
        allow_http=settings.webhook_allow_http,
        allowed_networks=settings.webhook_allowed_networks,
    )
    response.headers["Location"] = f"/api/v1/webhooks/{created.id}"
    response.headers["ETag"] = first_etag(WebhookEndpoint, created.id)
    return created


@router.get(
    "/webhooks",
    response_model=WebhookPage,
    responses=problem_responses(422, 503),
    **allow(*OWNERS),
)
def list_webhooks(session: SessionDep, principal: PrincipalDep, page: PageDep) -> WebhookPage:
    """The caller's endpoints (an admin's list has every endpoint)."""
    found = service.list_webhooks(session=session, page=page, principal=principal)
    return WebhookPage(items=found.items, next_cursor=found.next_cursor)


@router.get(
    "/webhooks/{webhook_id}",
    response_model=WebhookPublic,
    responses=problem_responses(404, 422, 503),
    **allow(*OWNERS),
)
def get_webhook(endpoint: WebhookDep, response: Response) -> WebhookPublic:
    response.headers["ETag"] = record_etag(endpoint)
    return service.webhook_public(endpoint)


@router.patch(
    "/webhooks/{webhook_id}",
    response_model=WebhookPublic,
    responses=problem_responses(400, 404, 412, 413, 422, 428, 503),
    **allow(*OWNERS),
)
def update_webhook(
    session: SessionDep,
    settings: SettingsDep,
    endpoint: WebhookDep,
    data: Annotated[WebhookUpdate, Body(openapi_examples=example("Pause", WEBHOOK_PAUSE))],
    response: Response,
    if_match: IfMatch = None,
) -> WebhookPublic:
    """Pause (deliveries wait) or resume (a disabled endpoint starts again), change URL or events."""
    updated = service.update_webhook(
        session=session,
        endpoint=endpoint,
        data=data,
        if_match=if_match,
        allow_http=settings.webhook_allow_http,
        allowed_networks=settings.webhook_allowed_networks,
    )
    response.headers["ETag"] = record_etag(endpoint)
    return updated


@router.delete(
    "/webhooks/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 422, 503),
    **allow(*OWNERS),
)
def delete_webhook(session: SessionDep, endpoint: WebhookDep) -> Response:
    """Remove the endpoint and its delivery log; nothing more is sent to it."""
    service.delete_webhook(session=session, endpoint=endpoint)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response_model=DeliveryPage,
    responses=problem_responses(404, 422, 503),
    **allow(*OWNERS),
)
def webhook_deliveries(session: SessionDep, endpoint: WebhookDep, page: PageDep) -> DeliveryPage:
    """The delivery log, newest first: attempts, the receiver's status code, the last error."""
    found = service.list_deliveries(session=session, endpoint=endpoint, page=page)
    return DeliveryPage(items=found.items, next_cursor=found.next_cursor)
