"""The failed-login limit is checked before argon2, and refused tokens count against it."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from kai_match.config import Settings
from kai_match.main import create_app
from tests.builders import bearer, make_key
from tests.conftest import ADMIN_KEY

ISSUER = "https://login.example/realms/kai"
AUDIENCE = "kai-match"
LIMIT = 2


class CountingHasher:
    """The app's key hasher, counting the checks that may run argon2."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.verify_calls = 0

    def verify(self, *args, **kwargs):
        self.verify_calls += 1
        return self.inner.verify(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def _client(settings: Settings, **changes) -> TestClient:
    app = create_app(settings.model_copy(update={"rate_limit_per_minute": LIMIT} | changes))
    return TestClient(app, raise_server_exceptions=False)


def _wrong_secret(key: dict) -> str:
    return f"kai_{key['prefix']}_{'x' * 43}"


def _assert_throttled(response) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_a_throttled_caller_costs_no_argon2_run(settings):
    with _client(settings) as c:
        c.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        key = make_key(c, "partner")
        known = make_key(c, "analyst")
        assert c.get("/api/v1/vacancies", headers=bearer(known)).status_code == 200
        hasher = CountingHasher(c.app.state.auth.hasher)
        c.app.state.auth.hasher = hasher
        guesses = [
            c.get("/api/v1/vacancies", headers=bearer(_wrong_secret(key))).status_code
            for _ in range(LIMIT)
        ]
        assert guesses == [401] * LIMIT
        assert hasher.verify_calls == LIMIT  # a known prefix: one argon2 check per guess
        for _ in range(3):
            _assert_throttled(c.get("/api/v1/vacancies", headers=bearer(_wrong_secret(key))))
        assert hasher.verify_calls == LIMIT  # refused before hashing
        # A key this process has verified costs no argon2 run and still gets in.
        assert c.get("/api/v1/vacancies", headers=bearer(known)).status_code == 200
        assert hasher.verify_calls == LIMIT


@pytest.fixture
def signing_keys():
    own = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(own.public_key()))
    return own, stranger, json.dumps({"keys": [public | {"kid": "k1", "alg": "RS256"}]})


def _token(private_key, **claims) -> str:
    now = int(time.time())
    body = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 300, "sub": "svc"} | claims
    return jwt.encode(body, private_key, algorithm="RS256", headers={"kid": "k1"})


def test_refused_tokens_count_against_the_failed_login_limit(settings, signing_keys):
    own, stranger, jwks = signing_keys
    with _client(settings, jwt_jwks=jwks, jwt_issuer=ISSUER, jwt_audience=AUDIENCE) as c:
        c.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        key = make_key(c, "partner")
        hasher = CountingHasher(c.app.state.auth.hasher)
        c.app.state.auth.hasher = hasher
        forged = _token(stranger, scope="admin")
        no_role = _token(own, scope="openid")
        answers = [
            c.get("/api/v1/vacancies", headers=bearer(token)).status_code
            for token in (forged, no_role)
        ]
        assert answers == [401, 401]
        _assert_throttled(c.get("/api/v1/vacancies", headers=bearer(forged)))
        # The same budget: a key guess after the token failures is refused without argon2.
        _assert_throttled(c.get("/api/v1/vacancies", headers=bearer(_wrong_secret(key))))
        assert hasher.verify_calls == 0
