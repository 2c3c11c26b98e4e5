"""The path parameters and the answer of `…/by-ref/{system}/{ref_id}` routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Response, status

from kai_match.external_refs.upsert import Outcome, Upserted
from kai_match.models.external_ref import REF_ID_PATTERN, SYSTEM_PATTERN

RefSystemPath = Annotated[
    str,
    Path(pattern=SYSTEM_PATTERN, description="The partner system, e.g. `ba` or `jobcenter`"),
]
RefIdPath = Annotated[
    str,
    Path(
        max_length=200,
        pattern=REF_ID_PATTERN,
        description="The record's id in that system (a `/` in it may be sent as is)",
    ),
]


def answer_upsert(response: Response, upserted: Upserted, collection: str, etag: str) -> None:
    """201 with Location for a new record, 200 for a replaced or unchanged one; the ETag."""
    if upserted.outcome == Outcome.created:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = f"/api/v1/{collection}/{upserted.public.id}"
    response.headers["ETag"] = etag
