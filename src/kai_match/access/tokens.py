"""OAuth2 client-credentials tokens (JWT): signature from a configured JWKS, issuer, audience.

The role comes from the ``scope`` claim (space-separated; ``scp`` or ``roles`` lists work too)
and must name exactly one role; counsellors need a ``site`` claim, employers an ``employer_id``
claim. The JWKS is JSON, a file, or an ``https://`` URL fetched with httpx and cached.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import jwt

from kai_match.errors import FieldError, ServiceUnavailable, Unauthorized
from kai_match.kit.principal import Principal
from kai_match.models.api_key import Role
from kai_match.models.common import MAX_RECORD_ID, Site
from kai_match.models.external_ref import SYSTEM_PATTERN

SYSTEM_NAME = re.compile(SYSTEM_PATTERN)
_INVALID = {"WWW-Authenticate": 'Bearer realm="kai-match", error="invalid_token"'}


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and token.startswith("eyJ")


class TokenValidator:
    """Validates bearer JWTs; one instance per application, safe to share between threads."""

    def __init__(
        self,
        *,
        jwks: str,
        issuer: str,
        audience: str,
        algorithms: list[str],
        leeway_seconds: int = 30,
        cache_seconds: int = 300,
    ) -> None:
        self._source = jwks.strip()
        self._issuer = issuer
        self._audience = audience
        self._algorithms = algorithms
        self._leeway = leeway_seconds
        self._cache_seconds = cache_seconds
        self._keys: jwt.PyJWKSet | None = None
        self._loaded_at = 0.0
        self._lock = threading.Lock()

    def principal(self, token: str) -> Principal:
        """The caller a valid token describes; ``Unauthorized`` for anything else."""
        try:
            header = jwt.get_unverified_header(token)
            key = self._signing_key(header.get("kid"))
            claims = jwt.decode(
                token,
                key=key,
                algorithms=self._algorithms,
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iss", "aud"]},
            )
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(
                detail="The identity provider's keys cannot be fetched; retry shortly.",
                errors=[FieldError("jwks", "not reachable")],
            ) from exc
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            raise Unauthorized(
                detail="The bearer token is not valid.", headers=dict(_INVALID)
            ) from exc
        return _principal_from_claims(claims)

    def _signing_key(self, kid: str | None) -> Any:
        keys = self._key_set(force=False)
        found = _find(keys, kid)
        if found is None and self._is_url:
            found = _find(self._key_set(force=True), kid)  # the issuer may have rotated keys
        if found is None:
            raise KeyError("no matching key in the JWKS")
        return found.key

    @property
    def _is_url(self) -> bool:
        return self._source.startswith(("https://", "http://"))

    def _key_set(self, *, force: bool) -> jwt.PyJWKSet:
        """The cached key set; a URL is fetched again when stale, or on an unknown ``kid``
        (at most every ten seconds, so junk tokens cannot flood the identity provider)."""
        with self._lock:
            age = time.monotonic() - self._loaded_at
            if self._keys is not None and (
                not self._is_url or (age < 10 if force else age < self._cache_seconds)
            ):
                return self._keys
            self._keys = jwt.PyJWKSet.from_dict(self._load())
            self._loaded_at = time.monotonic()
            return self._keys

    def _load(self) -> dict[str, Any]:
        if self._source.startswith("{"):
            return json.loads(self._source)
        if self._is_url:
            response = httpx.get(self._source, timeout=5.0)
            response.raise_for_status()
            return response.json()
        return json.loads(Path(self._source).read_text(encoding="utf-8"))


def _find(keys: jwt.PyJWKSet, kid: str | None) -> jwt.PyJWK | None:
    for key in keys.keys:
        if kid is None or key.key_id == kid:
            return key
    return None


def _principal_from_claims(claims: dict[str, Any]) -> Principal:
    roles = set(_scopes(claims)) & {r.value for r in Role}
    if len(roles) != 1:
        raise Unauthorized(
            detail="The token must carry exactly one role scope "
            "(admin, counsellor, employer, partner or analyst).",
            headers=dict(_INVALID),
        )
    role = Role(roles.pop())
    client = str(claims.get("client_id") or claims.get("azp") or claims.get("sub") or "?")[:60]
    site = employer_id = None
    if role == Role.counsellor:
        site = claims.get("site")
        if site not in {s.value for s in Site}:
            raise Unauthorized(
                detail="A counsellor token needs a 'site' claim naming a site.",
                headers=dict(_INVALID),
            )
    if role == Role.employer:
        employer_id = claims.get("employer_id")
        if (
            isinstance(employer_id, str)
            and employer_id.isascii()
            and employer_id.isdigit()
            and len(employer_id) <= len(str(MAX_RECORD_ID))  # int() refuses 4,301 digits
        ):
            employer_id = int(employer_id)
        # Bounded like every id: the scope queries compare it with employer ids in the database.
        if type(employer_id) is not int or not 1 <= employer_id <= MAX_RECORD_ID:
            raise Unauthorized(
                detail="An employer token needs an 'employer_id' claim.", headers=dict(_INVALID)
            )
    return Principal(
        role=role,
        actor=f"jwt:{client}",
        site=site,
        employer_id=employer_id,
        ref_systems=_ref_systems(claims.get("ref_systems")),
    )


def _ref_systems(claim: Any) -> frozenset[str]:
    """The ``ref_systems`` claim: a list or a space-separated string of system names."""
    names = claim.split() if isinstance(claim, str) else claim if isinstance(claim, list) else []
    return frozenset(n for n in names if isinstance(n, str) and SYSTEM_NAME.match(n))


def _scopes(claims: dict[str, Any]) -> list[str]:
    found: list[str] = []
    scope = claims.get("scope")
    if isinstance(scope, str):
        found.extend(scope.split())
    for name in ("scp", "roles"):
        value = claims.get(name)
        if isinstance(value, list):
            found.extend(str(v) for v in value)
        elif isinstance(value, str):
            found.extend(value.split())
    return found
