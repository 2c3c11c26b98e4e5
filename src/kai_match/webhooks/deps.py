"""Load-or-404 for webhook endpoints: another caller's endpoint is out of reach (404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from kai_match.api.deps import PrincipalDep, SessionDep
from kai_match.errors import ServiceUnavailable
from kai_match.models.common import MAX_RECORD_ID
from kai_match.models.webhook import WebhookEndpoint
from kai_match.webhooks.secret_box import SecretBox
from kai_match.webhooks.service import get_webhook


def _webhook(
    session: SessionDep,
    principal: PrincipalDep,
    webhook_id: Annotated[int, Path(ge=1, le=MAX_RECORD_ID)],
) -> WebhookEndpoint:
    return get_webhook(session=session, webhook_id=webhook_id, principal=principal)


async def _secret_box(request: Request) -> SecretBox:
    """The app's box; its stored key is read at start-up, outside any request transaction."""
    box: SecretBox = request.app.state.webhook_box
    if not box.ready:
        raise ServiceUnavailable(detail="The webhook key is not loaded yet; try again shortly.")
    return box


WebhookDep = Annotated[WebhookEndpoint, Depends(_webhook)]
SecretBoxDep = Annotated[SecretBox, Depends(_secret_box)]
