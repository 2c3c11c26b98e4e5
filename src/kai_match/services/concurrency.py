"""Optimistic concurrency: ETags on records, If-Match on updates."""

from __future__ import annotations

from kai_match.errors import FieldError, PreconditionFailed


def check_if_match(if_match: str | None, current_etag: str) -> None:
    """Refuse an update made against an older version of the record (412)."""
    if if_match is None:
        return
    candidates = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" in candidates or current_etag in candidates:
        return
    raise PreconditionFailed(
        detail="The record changed since you read it; fetch it again and retry.",
        errors=[FieldError("If-Match", f"does not match the current ETag {current_etag}")],
    )
