"""Authentication (API keys, the bootstrap admin key, OAuth2 JWTs) and per-caller rate limits.

``api/deps.py`` turns this into the ``PrincipalDep`` dependency and the ``allow(...)`` role rule
every route declares. Order of answers: no or bad credentials → 401 (with
``WWW-Authenticate: Bearer``), too many requests → 429 (with ``Retry-After``), role not allowed
→ 403, record outside the caller's reach → 404. Expensive operations also pay a cost from a
budget per minute (``access.budget``): 422 beyond the role's size bounds, 429 once it is used.
"""

from __future__ import annotations

import hmac
import math
import time

import structlog
from asgi_correlation_id import correlation_id
from fastapi import Request
from fastapi.security import HTTPAuthorizationCredentials
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlmodel import Session

from kai_match.access import budget
from kai_match.access.service import KeyHasher, find_active_key, has_active_admin_key
from kai_match.access.tokens import TokenValidator, looks_like_jwt
from kai_match.api.observability import route_template
from kai_match.config import Settings
from kai_match.errors import FieldError, TooManyRequests, Unauthorized
from kai_match.kit.principal import Principal
from kai_match.models.api_key import Role

log = structlog.get_logger("kai_match.auth")


class RateLimiter:
    """Requests per minute per caller, and a cost budget per minute (moving windows, `limits`).

    Each request counts one against the request limit. Expensive operations also charge their
    cost (``access.budget``) against the budget, a second item of the same storage, so a caller
    cannot fill the service with a few requests of 200 rankings each. With the default
    in-memory storage each worker process counts for itself, so with N workers a caller gets up
    to N times either limit; a ``redis://`` storage URI makes the counts shared.
    """

    def __init__(self, per_minute: int, storage_uri: str, budget_per_minute: int = 0) -> None:
        self._item = RateLimitItemPerMinute(per_minute) if per_minute > 0 else None
        self._budget = RateLimitItemPerMinute(budget_per_minute) if budget_per_minute > 0 else None
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def hit(self, identity: str) -> None:
        """Count one request; ``TooManyRequests`` with ``Retry-After`` once the limit is used."""
        if self._item is None:
            return
        if self._limiter.hit(self._item, "kai", identity):
            return
        raise self._refusal(identity)

    def check(self, identity: str) -> None:
        """``TooManyRequests`` if ``identity`` has used its limit already; counts nothing."""
        if self._item is None:
            return
        if self._limiter.test(self._item, "kai", identity):
            return
        raise self._refusal(identity)

    def charge(self, identity: str, cost: int, label: str) -> int:
        """Charge ``cost`` units to the budget of ``identity``; 429 naming the budget if it is
        used up. A cost above the whole budget is charged as the whole budget, so the largest
        request a role may send still runs (once the window is empty). Returns the units charged.
        """
        if self._budget is None:
            return 0
        units = max(1, min(cost, self._budget.amount))
        if self._limiter.hit(self._budget, "kai-cost", identity, cost=units):
            return units
        stats = self._limiter.get_window_stats(self._budget, "kai-cost", identity)
        # When the oldest charge in the window expires: the earliest moment anything frees
        # (a large cost may need more to expire; the next answer then says how long).
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        budget = self._budget.amount
        detail = (
            f"The cost budget of {budget} units per minute is used up: this {label} costs "
            f"{units}, {max(0, stats.remaining)} are left; retry in {retry_after} s."
        )
        raise TooManyRequests(
            detail=detail,
            errors=[FieldError("cost_budget", f"{units} units asked, {budget} per minute")],
            headers={"Retry-After": str(retry_after)},
        )

    def _refusal(self, identity: str) -> TooManyRequests:
        assert self._item is not None
        stats = self._limiter.get_window_stats(self._item, "kai", identity)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        return TooManyRequests(
            detail=f"More than {self._item.amount} requests per minute; retry in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
        )


class Authenticator:
    """Everything needed to turn a bearer credential into a ``Principal``; one per app."""

    def __init__(self, settings: Settings) -> None:
        self._bootstrap = settings.bootstrap_admin_key
        # In production the bootstrap key only opens an empty service: once an admin key
        # exists it is refused (it cannot be revoked, and it names nobody in the audit).
        self._bootstrap_retires = settings.environment == "production"
        self.hasher = KeyHasher(cheap=settings.environment == "test")
        self._tokens = (
            TokenValidator(
                jwks=settings.jwt_jwks,
                issuer=settings.jwt_issuer or "",
                audience=settings.jwt_audience or "",
                algorithms=settings.jwt_algorithms,
                leeway_seconds=settings.jwt_leeway_seconds,
                cache_seconds=settings.jwt_jwks_cache_seconds,
            )
            if settings.jwt_jwks
            else None
        )
        self._limiter = RateLimiter(
            settings.rate_limit_per_minute,
            settings.rate_limit_storage,
            budget_per_minute=settings.cost_budget_per_minute,
        )

    def principal_for(
        self,
        request: Request,
        session: Session,
        credentials: HTTPAuthorizationCredentials | None,
    ) -> Principal:
        """The caller of ``request``, rate-limited; ``Unauthorized`` when there is none."""
        # Failed attempts count against the client address, so guessing keys is throttled; once
        # the address is throttled, a guess is refused before argon2 runs (``_identify``).
        client = request.client.host if request.client else "unknown"
        failures = f"anonymous:{client}"
        principal = None
        if credentials:
            try:
                principal = self._identify(session, credentials.credentials, failures)
            except Unauthorized:
                self._limiter.hit(failures)  # a refused token is a failed attempt as well
                raise
        if principal is None:
            self._limiter.hit(failures)
            detail = (
                "Send an API key or access token as 'Authorization: Bearer <key>'."
                if credentials is None
                else "The API key or access token is unknown, revoked or expired."
            )
            headers = {"WWW-Authenticate": 'Bearer realm="kai-match"'}
            if credentials is not None:
                headers["WWW-Authenticate"] += ', error="invalid_token"'
            raise Unauthorized(detail=detail, headers=headers)
        self._limiter.hit(principal.actor)
        template = route_template(request.app, request.url.path)
        return principal.with_request(f"{request.method} {template}", correlation_id.get())

    def spend(self, principal: Principal, operation: str, **sizes: int) -> int:
        """An expensive request of ``principal``: bounds of its role (422), then its cost (429).

        The one way every route pays (``access.budget.spend``); returns the units charged.
        """
        budget.check_bounds(operation, principal, **sizes)
        cost = budget.cost_of(operation, **sizes)
        return self._limiter.charge(principal.actor, cost, budget.EXPENSES[operation].label)

    def _identify(self, session: Session, presented: str, failures: str) -> Principal | None:
        if self._bootstrap and hmac.compare_digest(presented.encode(), self._bootstrap.encode()):
            if self._bootstrap_retires and has_active_admin_key(session):
                log.warning("bootstrap key refused: an admin key exists")
                return None
            return Principal(role=Role.admin, actor="bootstrap", ref_systems=None)
        if self._tokens is not None and looks_like_jwt(presented):
            return self._tokens.principal(presented)
        row = find_active_key(
            session=session,
            presented=presented,
            hasher=self.hasher,
            before_hashing=lambda: self._limiter.check(failures),
        )
        if row is None:
            return None
        assert row.id is not None
        return Principal(
            role=Role(row.role),
            actor=f"key:{row.id}",
            key_id=row.id,
            site=row.site,
            employer_id=row.employer_id,
            ref_systems=None if row.role == Role.admin else frozenset(row.ref_systems or ()),
        )
