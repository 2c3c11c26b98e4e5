"""Contacts between a counsellor and a participant, and the cadence they keep (docs/placements.md, "Contacts").

A contact's note is personal data: the row carries ``participant_id``, so the Art. 15 export
lists it under ``related`` and erasure clears its ``note`` (``privacy.service``) like every other
free text about a person. Only admins and counsellors of the person's site read contacts.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import Field as PydanticField
from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401
from kai_match.models.common import PlausibleDate, ResponseModel, StrictModel, utcnow

# Days between two contacts unless an event (course end, trial) calls for one sooner.
CONTACT_INTERVAL_DAYS = 42


class ContactChannel(StrEnum):
    in_person = "in_person"
    phone = "phone"
    video = "video"
    email = "email"
    letter = "letter"
    message = "message"


class ContactTopic(StrEnum):
    counselling = "counselling"
    course = "course"
    placement = "placement"
    trial = "trial"
    documents = "documents"
    other = "other"


class NextContactReason(StrEnum):
    """Why the next contact is due on its day (the rule in docs/placements.md, "Contacts")."""

    cadence = "cadence"  # 42 days after the last contact
    intake = "intake"  # 42 days after the profile was created: no contact recorded yet
    course_end = "course_end"  # a week before the course ends (the expected B1 exam)
    trial_start = "trial_start"  # three days before a work trial starts
    trial_end = "trial_end"  # three days after a work trial ends


class Contact(SQLModel, table=True):
    """One contact; append-only (a wrong one is corrected by recording the right one)."""

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(
        sa_column=Column(Integer, ForeignKey("participant.id"), index=True, nullable=False)
    )
    contact_on: date = Field(index=True)
    channel: str = Field(max_length=16)
    topic: str = Field(max_length=16)
    note: str | None = Field(default=None, max_length=500)
    recorded_by: str = Field(max_length=80)
    recorded_at: datetime = Field(default_factory=utcnow)


class ContactIn(StrictModel):
    """Body of ``POST /api/v1/participants/{id}/contacts``."""

    contact_on: PlausibleDate = PydanticField(description="Day of the contact; not in the future")
    channel: ContactChannel
    topic: ContactTopic
    note: str | None = PydanticField(None, max_length=500, description="Short; personal data")


class ContactOut(ResponseModel):
    id: int
    contact_on: date
    channel: ContactChannel
    topic: ContactTopic
    note: str | None
    recorded_by: str
    recorded_at: datetime


class ContactList(ResponseModel):
    participant_id: int
    next_contact_on: date
    next_contact_reason: NextContactReason
    items: list[ContactOut] = PydanticField(description="Newest first")


class OverdueContact(ResponseModel):
    participant_id: int
    participant_public_id: str
    site: str
    counsellor: str | None
    last_contact_on: date | None
    next_contact_on: date
    next_contact_reason: NextContactReason
    days_overdue: int


class OverdueContactList(ResponseModel):
    as_of: date
    site: str | None
    items: list[OverdueContact] = PydanticField(description="Longest overdue first")
