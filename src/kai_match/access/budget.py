"""Cost budgets and size bounds of expensive operations: one table, and the charge.

The request limit (``authentication.RateLimiter``) counts requests, but a ranking batch of
200 ids × 50 items or a fairness report over the district costs as much as a thousand profile
reads. So each expensive operation has a row in ``EXPENSES``: the largest sizes each role may
ask for in one request (beyond them: 422 naming the field and the role's bound) and the cost of
a request in budget units, charged against the caller's budget per minute
(``KAI_COST_BUDGET_PER_MINUTE``) before any work is done (once it is used up: 429 with
``Retry-After``). A unit is about 10 ms of one core; the formulas were fitted to the timings in
docs/security.md ("Cost budgets and size bounds"). A request costing more than the whole budget
is charged the whole budget, so it still runs, at most once a minute.

Routes call ``spend`` with their sizes; ``reference`` sits below ``access`` in the import order,
so its normalisation route reaches the same table through the app's authenticator
(``request.app.state.auth.spend``), as ``api.deps`` does for authentication.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from math import ceil
from typing import TYPE_CHECKING

from kai_match.errors import FieldError, InvalidInput
from kai_match.kit.principal import Principal
from kai_match.models.api_key import Role

if TYPE_CHECKING:
    from fastapi import Request


def _batch_cost(*, limit: int, participant_ids: int = 0, vacancy_ids: int = 0) -> int:
    # About 3 ms per ranking (index sync, profile, audit) and 0.1 ms per item listed
    # (200 ids × 50 items: 1.3–3 s).
    return ceil((participant_ids + vacancy_ids) * (limit + 30) / 100)


def _fairness_cost(*, k: int, pairs: int) -> int:
    # Every open vacancy ranks every active participant: about 28 µs per pair, 0.1 µs more
    # per pair and unit of k (300 × 400 pairs: 3–5 s).
    return ceil(pairs * (275 + k) / 100_000)


def _evaluation_cost(*, resamples: int, baseline: bool) -> int:
    # Loading and ranking the outcomes dominates (250 outcomes: 0.3–0.6 s); resamples add a
    # little, a baseline a second ranking.
    return 30 + resamples // 500 + (10 if baseline else 0)


def _fit_cost() -> int:
    return 200  # cross-validated fit on 250 outcomes: 1.7–4.3 s


def _assignment_cost(*, participant_ids: int, vacancy_ids: int) -> int:
    # A score matrix and a transportation LP: 0.1 s, then about 25 µs per pair (200 × 200: 1 s).
    return 10 + ceil(participant_ids * vacancy_ids / 400)


def _programme_cost() -> int:
    return 10  # one pass over the programme's facts: 0.1 s


def _normalize_cost(*, texts: int, characters: int) -> int:
    # About 4 ms per text and 0.07 ms per character (200 texts of 45 characters: 1.2–2 s).
    return ceil(texts / 2 + characters / 150)


def _bulk_cost(*, rows: int) -> int:
    # About 1 ms per row (validation, normalisation, a savepoint, the writes).
    return ceil(rows / 10)


@dataclass(frozen=True)
class Expense:
    """One expensive operation: what a request may ask for per role, and what it costs."""

    label: str  # names the operation in a 429
    cost: Callable[..., int]  # sizes → budget units
    bounds: Mapping[str, Mapping[Role, int]] = field(default_factory=dict)  # field → role → max


# Rankings in a batch: partners (other organisations' systems) get smaller batches than staff.
BATCH_IDS = {Role.admin: 200, Role.analyst: 200, Role.counsellor: 100, Role.partner: 50}
BATCH_ITEMS = {Role.admin: 50, Role.analyst: 50, Role.counsellor: 50, Role.partner: 20}

EXPENSES: dict[str, Expense] = {
    "batch": Expense(
        "ranking batch",
        _batch_cost,
        {"participant_ids": BATCH_IDS, "vacancy_ids": BATCH_IDS, "limit": BATCH_ITEMS},
    ),
    "fairness": Expense(
        "fairness report", _fairness_cost, {"k": {Role.admin: 100, Role.analyst: 50}}
    ),
    "evaluation": Expense("evaluation", _evaluation_cost),
    "fit": Expense("weight fit", _fit_cost),
    "assignment": Expense(
        "assignment proposal",
        _assignment_cost,
        {
            "participant_ids": {Role.admin: 2000, Role.counsellor: 200},
            "vacancy_ids": {Role.admin: 2000, Role.counsellor: 500},
        },
    ),
    "programme": Expense("programme report", _programme_cost),
    "normalize": Expense("text normalisation", _normalize_cost),
    "bulk_import": Expense("bulk import", _bulk_cost),
}


def check_bounds(operation: str, principal: Principal, **sizes: int) -> None:
    """422 naming every field beyond the caller's role's bound (all of them, in one answer)."""
    bounds = EXPENSES[operation].bounds
    errors = [
        FieldError(name, f"at most {limit} for the role '{principal.role}'")
        for name, size in sizes.items()
        if (limit := bounds.get(name, {}).get(principal.role)) is not None and size > limit
    ]
    if errors:
        raise InvalidInput(
            detail="The request is larger than your role may ask for.", errors=errors
        )


def cost_of(operation: str, **sizes: int) -> int:
    """Budget units of one request with these sizes (at least one)."""
    return max(1, EXPENSES[operation].cost(**sizes))


def spend(request: Request, principal: Principal, operation: str, **sizes: int) -> int:
    """Check the role's bounds (422), then charge the cost to the caller's budget (429).

    Call it before doing the work; returns the units charged.
    """
    return request.app.state.auth.spend(principal, operation, **sizes)
