"""Schemas of the data-subject rights: the Art. 15 export."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from kai_match.models.audit import AuditEntryPublic
from kai_match.models.common import ResponseModel
from kai_match.models.consent import ConsentRecordPublic
from kai_match.models.participant import (
    ParticipantPseudonymous,
    ParticipantPublic,
    PseudonymOut,
)


class StoredAnswerOut(ResponseModel):
    """A stored answer to an ``Idempotency-Key`` request that names the person."""

    method: str = Field(examples=["POST"])
    path: str = Field(examples=["/api/v1/participants"])
    stored_at: datetime
    deleted_after: datetime = Field(description="When the stored copy is purged at the latest")


class ParticipantExport(ResponseModel):
    """Everything stored about one person (GDPR Art. 15), as one JSON document."""

    exported_at: datetime
    participant: ParticipantPublic | ParticipantPseudonymous
    consents: list[ConsentRecordPublic]
    pseudonyms: list[PseudonymOut] = Field(
        default_factory=list,
        description="The id each audience (employer, partner system, analysts) was given",
    )
    audit: list[AuditEntryPublic] = Field(description="Every recorded read and write about them")
    stored_answers: list[StoredAnswerOut] = Field(
        default_factory=list,
        description="Copies of answers kept for retries (Idempotency-Key) that name the person: "
        "listed, not copied, since an answer may name other people too",
    )
    related: dict[str, list[dict[str, Any]]] = Field(
        default_factory=dict,
        description="Rows of other tables that refer to the person (placements, …), by table",
    )
