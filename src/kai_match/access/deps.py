"""Load-or-404 for API keys (admin routes only, so no scope applies)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from kai_match.access.service import get_key
from kai_match.api.deps import SessionDep
from kai_match.models import ApiKey
from kai_match.models.common import MAX_RECORD_ID


def _api_key(session: SessionDep, key_id: Annotated[int, Path(ge=1, le=MAX_RECORD_ID)]) -> ApiKey:
    return get_key(session=session, key_id=key_id)


ApiKeyDep = Annotated[ApiKey, Depends(_api_key)]
