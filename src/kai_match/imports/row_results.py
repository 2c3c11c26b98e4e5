"""What both bulk paths (row by row, and batched vacancies) say about a row that failed."""

from __future__ import annotations

from collections.abc import Sequence

from kai_match.errors import FieldError
from kai_match.kit.principal import Principal
from kai_match.models.api_key import Role
from kai_match.models.bulk import BulkRowError, BulkRowResult
from kai_match.models.external_ref import ExternalRef


class RowFailed(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(errors)
        self.errors = errors


def failed(number: int, errors: list[FieldError]) -> BulkRowResult:
    return BulkRowResult(
        row=number,
        outcome="failed",
        errors=[BulkRowError(field=e.field, message=e.message) for e in errors],
    )


def check_partner_row(principal: Principal, external_refs: Sequence[ExternalRef]) -> None:
    """Other organisations' systems write only records they name by their own reference."""
    if principal.role == Role.partner and not external_refs:
        raise RowFailed([FieldError("external_refs", "a partner key writes by reference only")])
