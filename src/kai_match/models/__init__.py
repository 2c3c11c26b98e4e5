"""Every table model, imported here so metadata is complete for create_all and Alembic."""

from kai_match.models.account import ConsoleSession, UserAccount
from kai_match.models.api_key import ApiKey
from kai_match.models.audit import AuditEntry
from kai_match.models.base import metadata
from kai_match.models.change import ChangeLog
from kai_match.models.consent import ConsentRecord
from kai_match.models.contact import Contact
from kai_match.models.employer import Employer
from kai_match.models.external_ref import ExternalRefRow
from kai_match.models.idempotency import IdempotencyKey
from kai_match.models.participant import (
    Participant,
    ParticipantLanguage,
    ParticipantOccupation,
    ParticipantPersonal,
    ParticipantPseudonym,
    ParticipantSkill,
)
from kai_match.models.placement import Placement, PlacementFollowUp, PlacementTransition
from kai_match.models.secret import ServiceSecret
from kai_match.models.vacancy import Vacancy, VacancyLanguage, VacancySkill
from kai_match.models.webhook import (
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookRelayState,
)
from kai_match.models.weight_profile import WeightProfileRecord

__all__ = [
    "ApiKey",
    "AuditEntry",
    "ChangeLog",
    "ConsentRecord",
    "ConsoleSession",
    "Contact",
    "Employer",
    "ExternalRefRow",
    "IdempotencyKey",
    "Participant",
    "ParticipantLanguage",
    "ParticipantOccupation",
    "ParticipantPersonal",
    "ParticipantPseudonym",
    "ParticipantSkill",
    "Placement",
    "PlacementFollowUp",
    "PlacementTransition",
    "ServiceSecret",
    "UserAccount",
    "Vacancy",
    "VacancyLanguage",
    "VacancySkill",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WebhookRelayState",
    "WeightProfileRecord",
    "metadata",
]
