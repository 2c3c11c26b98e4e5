"""Consent records: who agreed to what, on which legal basis, and when it was withdrawn.

The participant row keeps the current flags (``consent_processing``,
``consent_share_with_employers``) that matching reads; these rows are the history behind them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401
from kai_match.models.common import PlausibleDate, ResponseModel, StrictModel, utcnow


class ConsentPurpose(StrEnum):
    processing = "processing"
    share_with_employers = "share_with_employers"


class LegalBasis(StrEnum):
    """GDPR Art. 6 (and Art. 9 (2) for data that may reveal origin or religion)."""

    consent = "consent"  # Art. 6 (1) a, Art. 9 (2) a
    contract = "contract"  # Art. 6 (1) b
    legal_obligation = "legal_obligation"  # Art. 6 (1) c, e.g. SGB II/III reporting
    public_task = "public_task"  # Art. 6 (1) e


class ConsentRecord(SQLModel, table=True):
    __tablename__ = "consent_record"

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("participant.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    purpose: str = Field(max_length=32)
    legal_basis: str = Field(max_length=24)
    given_on: date
    withdrawn_on: date | None = None
    recorded_at: datetime = Field(default_factory=utcnow)
    recorded_by: str | None = Field(default=None, max_length=80)


class ConsentGiven(StrictModel):
    """Body of ``POST /participants/{id}/consents``."""

    purpose: ConsentPurpose
    legal_basis: LegalBasis = LegalBasis.consent
    given_on: PlausibleDate | None = None


class ConsentWithdrawal(StrictModel):
    """Body of ``POST /participants/{id}/consents/withdrawal``; processing takes sharing along."""

    purpose: ConsentPurpose
    withdrawn_on: PlausibleDate | None = None


class ConsentRecordPublic(ResponseModel):
    id: int
    purpose: ConsentPurpose
    legal_basis: LegalBasis
    given_on: date
    withdrawn_on: date | None
    recorded_at: datetime
    recorded_by: str | None
