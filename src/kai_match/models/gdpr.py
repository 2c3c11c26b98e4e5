"""Schemas of the data-subject rights: the Art. 15 export."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from kai_match.models.audit import AuditEntryPublic
from kai_match.models.common import ResponseModel
from kai_match.models.consent import ConsentRecordPublic
from kai_match.models.participant import ParticipantPseudonymous, ParticipantPublic


class ParticipantExport(ResponseModel):
    """Everything stored about one person (GDPR Art. 15), as one JSON document."""

    exported_at: datetime
    participant: ParticipantPublic | ParticipantPseudonymous
    consents: list[ConsentRecordPublic]
    audit: list[AuditEntryPublic] = Field(description="Every recorded read and write about them")
    related: dict[str, list[dict[str, Any]]] = Field(
        default_factory=dict,
        description="Rows of other tables that refer to the person (placements, …), by table",
    )
