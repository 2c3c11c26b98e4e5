"""Authentication: API keys, the bootstrap admin key, OAuth2 JWTs, rate limits, CORS."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from kai_match.config import Settings, get_settings
from kai_match.main import create_app
from tests.builders import bearer, make_employer, make_key, make_participant, make_vacancy
from tests.conftest import ADMIN_KEY

ISSUER = "https://login.example/realms/kai"
AUDIENCE = "kai-match"


def _app_client(settings: Settings, **changes) -> TestClient:
    return TestClient(
        create_app(settings.model_copy(update=changes)), raise_server_exceptions=False
    )


def test_no_key_is_401_with_a_bearer_challenge(client):
    response = client.get("/api/v1/participants", headers={"Authorization": ""})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize(
    "presented",
    ["garbage", "kai_000000000000_secret", "kai_short_x", "Basic dXNlcjpwYXNz", "eyJ.a.b"],
)
def test_unknown_or_malformed_credentials_are_401(client, presented):
    response = client.get("/api/v1/vacancies", headers={"Authorization": f"Bearer {presented}"})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_key_lifecycle_secret_shown_once_hashed_at_rest_revoked_at_once(client, engine):
    created = make_key(client, "partner", label="Jobcenter Leipzig")
    secret = created["key"]
    assert secret.startswith(f"kai_{created['prefix']}_")
    assert client.post("/api/v1/api-keys", json={"role": "analyst"}).headers["Cache-Control"] == (
        "no-store"
    )

    listed = client.get("/api/v1/api-keys").json()["items"]
    assert [k["id"] for k in listed] == [created["id"], created["id"] + 1]
    assert all("key" not in k and "secret_hash" not in k for k in listed)
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT prefix, secret_hash FROM api_key WHERE id = :i"), {"i": created["id"]}
        ).one()
    assert row.secret_hash.startswith("$argon2id$")
    assert secret.split("_", 2)[2] not in row.secret_hash

    assert client.get("/api/v1/vacancies", headers=bearer(secret)).status_code == 200
    wrong = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    assert client.get("/api/v1/vacancies", headers=bearer(wrong)).status_code == 401

    assert client.delete(f"/api/v1/api-keys/{created['id']}").status_code == 204
    assert client.get("/api/v1/vacancies", headers=bearer(secret)).status_code == 401
    active = client.get("/api/v1/api-keys").json()["items"]
    assert created["id"] not in [k["id"] for k in active]
    everything = client.get("/api/v1/api-keys", params={"include_revoked": True}).json()
    assert next(k for k in everything["items"] if k["id"] == created["id"])["revoked_at"]
    assert client.delete("/api/v1/api-keys/999").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "counsellor"}, "site"),
        ({"role": "employer"}, "employer_id"),
        ({"role": "employer", "employer_id": 42}, "employer_id"),
        ({"role": "partner", "site": "grimma"}, "site"),
        ({"role": "analyst", "employer_id": 1}, "employer_id"),
        ({"role": "superuser"}, "role"),
    ],
)
def test_key_bindings_must_fit_the_role(client, body, field):
    response = client.post("/api/v1/api-keys", json=body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_bootstrap_key_is_admin_only_when_configured(settings):
    with _app_client(settings, bootstrap_admin_key=None) as anonymous:
        assert anonymous.get("/api/v1/audit", headers=bearer(ADMIN_KEY)).status_code == 401
    with _app_client(settings) as configured:
        assert configured.get("/api/v1/audit", headers=bearer(ADMIN_KEY)).status_code == 200


def test_production_refuses_a_short_bootstrap_key():
    with pytest.raises(ValueError, match="at least 32"):
        Settings(
            environment="production",
            database_url="postgresql://x@localhost/db",
            bootstrap_admin_key="admin",
        )


def test_deleting_an_employer_revokes_its_keys(client):
    employer = make_employer(client, name="Kurzzeit GmbH")
    key = make_key(client, "employer", employer_id=employer["id"])
    assert client.get("/api/v1/employers", headers=bearer(key)).status_code == 200
    assert client.delete(f"/api/v1/employers/{employer['id']}").status_code == 204
    assert client.get("/api/v1/employers", headers=bearer(key)).status_code == 401


# -- OAuth2 client credentials (JWT) ----------------------------------------------------------


@pytest.fixture(scope="module")
def signing_keys():
    """A locally generated RSA key pair (and a stranger's), as PyJWT keys and a JWKS."""
    own = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(own.public_key()))
    jwks = {"keys": [public | {"kid": "k1", "use": "sig", "alg": "RS256"}]}
    return own, stranger, json.dumps(jwks)


def _token(private_key, kid: str = "k1", **claims) -> str:
    now = int(time.time())
    body = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 300, "sub": "svc"} | claims
    return jwt.encode(body, private_key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def jwt_client(settings, signing_keys, tmp_path):
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(signing_keys[2])
    with _app_client(
        settings, jwt_jwks=str(jwks_file), jwt_issuer=ISSUER, jwt_audience=AUDIENCE
    ) as c:
        c.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        yield c


def test_jwt_counsellor_sees_their_site_only(jwt_client, signing_keys):
    own = signing_keys[0]
    make_participant(jwt_client, site="grimma")
    make_participant(jwt_client, site="borna", home_postal_code="04552")
    token = _token(own, scope="counsellor", site="grimma", client_id="team-grimma")
    listed = jwt_client.get("/api/v1/participants", headers=bearer(token))
    assert listed.status_code == 200, listed.text
    assert [p["site"] for p in listed.json()["items"]] == ["grimma"]
    audit = jwt_client.get("/api/v1/audit", params={"limit": 100}).json()["items"]
    assert {"actor": "jwt:team-grimma", "role": "counsellor"}.items() <= audit[-1].items()


def test_jwt_employer_binding_comes_from_the_claim(jwt_client, signing_keys):
    mine = make_vacancy(jwt_client)
    theirs = make_vacancy(jwt_client)
    token = _token(signing_keys[0], scope="employer openid", employer_id=mine["employer_id"])
    assert jwt_client.get(f"/api/v1/vacancies/{mine['id']}", headers=bearer(token)).is_success
    other = jwt_client.get(f"/api/v1/vacancies/{theirs['id']}", headers=bearer(token))
    assert other.status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"aud": "someone-else"},
        {"iss": "https://evil.example"},
        {"exp": int(time.time()) - 3600},
        {"scope": "counsellor"},  # no site claim
        {"scope": "counsellor employer", "site": "grimma", "employer_id": 1},  # two roles
        {"scope": "openid"},  # no role at all
    ],
)
def test_jwt_that_does_not_fit_is_401(jwt_client, signing_keys, change):
    claims = {"scope": "partner"} | change
    response = jwt_client.get(
        "/api/v1/vacancies", headers=bearer(_token(signing_keys[0], **claims))
    )
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_jwt_signed_by_another_key_is_401(jwt_client, signing_keys):
    forged = _token(signing_keys[1], scope="admin")
    assert jwt_client.get("/api/v1/audit", headers=bearer(forged)).status_code == 401
    unknown_kid = _token(signing_keys[0], kid="k9", scope="admin")
    assert jwt_client.get("/api/v1/audit", headers=bearer(unknown_kid)).status_code == 401


def test_jwks_may_be_given_inline(settings, signing_keys):
    with _app_client(
        settings, jwt_jwks=signing_keys[2], jwt_issuer=ISSUER, jwt_audience=AUDIENCE
    ) as c:
        token = _token(signing_keys[0], scope="analyst")
        assert c.get("/api/v1/participants", headers=bearer(token)).status_code == 200


def test_jwks_needs_issuer_and_audience():
    with pytest.raises(ValueError, match="KAI_JWT_ISSUER"):
        Settings(jwt_jwks='{"keys": []}')


# -- rate limits, CORS, docs ------------------------------------------------------------------


def test_rate_limit_per_key_is_429_with_retry_after(settings):
    with _app_client(settings, rate_limit_per_minute=3) as c:
        c.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        partner = make_key(c, "partner")  # the admin's first request
        answers = [c.get("/api/v1/vacancies").status_code for _ in range(3)]
        assert answers == [200, 200, 429]
        limited = c.get("/api/v1/vacancies")
        assert limited.status_code == 429
        assert limited.headers["content-type"] == "application/problem+json"
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        # Another key has its own budget.
        assert c.get("/api/v1/vacancies", headers=bearer(partner)).status_code == 200


def test_failed_authentication_is_rate_limited_per_client(settings):
    with _app_client(settings, rate_limit_per_minute=2) as c:
        guesses = [
            c.get("/api/v1/vacancies", headers=bearer(f"kai_{i:012d}_x")).status_code
            for i in range(4)
        ]
    assert guesses == [401, 401, 429, 429]


def test_cors_is_closed_by_default_and_opens_for_configured_origins(settings):
    preflight = {
        "Origin": "https://tool.example",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "Authorization",
    }
    with _app_client(settings) as closed:
        response = closed.options("/api/v1/vacancies", headers=preflight)
        assert "access-control-allow-origin" not in response.headers
    with _app_client(settings, cors_origins=["https://tool.example"]) as open_:
        response = open_.options("/api/v1/vacancies", headers=preflight)
        assert response.headers["access-control-allow-origin"] == "https://tool.example"
        other = open_.options(
            "/api/v1/vacancies", headers=preflight | {"Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in other.headers


def test_docs_can_be_switched_off(settings):
    with _app_client(settings, docs_enabled=False) as c:
        assert c.get("/docs").status_code == 404
        assert c.get("/openapi.json").status_code == 404


# -- command line -----------------------------------------------------------------------------


def test_cli_creates_a_key_that_the_api_accepts(tmp_path, monkeypatch):
    from kai_match.cli import app as cli

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("KAI_DATABASE_URL", url)
    monkeypatch.setenv("KAI_ENVIRONMENT", "test")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
        result = runner.invoke(cli, ["keys", "create", "--role", "counsellor", "--site", "wurzen"])
        assert result.exit_code == 0, result.output
        secret = result.output.strip().splitlines()[-1]
        refused = runner.invoke(cli, ["keys", "create", "--role", "employer"])
        assert refused.exit_code == 2 and "employer_id" in refused.output
        listed = runner.invoke(cli, ["keys", "list"])
        assert "counsellor\twurzen" in listed.output and secret not in listed.output
        settings = Settings(database_url=url, environment="test", auto_migrate=False)
        with TestClient(create_app(settings), raise_server_exceptions=False) as c:
            assert c.get("/api/v1/participants", headers=bearer(secret)).status_code == 200
            assert c.get("/api/v1/audit", headers=bearer(secret)).status_code == 403
            assert runner.invoke(cli, ["keys", "revoke", "1"]).exit_code == 0
            assert c.get("/api/v1/participants", headers=bearer(secret)).status_code == 401
    finally:
        get_settings.cache_clear()


def test_jwks_url_is_fetched_once_and_again_for_an_unknown_kid(signing_keys, monkeypatch):
    import httpx

    from kai_match.access import tokens

    calls: list[str] = []

    def fake_get(url: str, timeout: float) -> httpx.Response:
        calls.append(url)
        return httpx.Response(200, text=signing_keys[2], request=httpx.Request("GET", url))

    monkeypatch.setattr(tokens.httpx, "get", fake_get)
    validator = tokens.TokenValidator(
        jwks="https://login.example/realms/kai/certs",
        issuer=ISSUER,
        audience=AUDIENCE,
        algorithms=["RS256"],
    )
    for _ in range(3):
        principal = validator.principal(_token(signing_keys[0], scope="partner"))
        assert principal.role == "partner" and principal.actor == "jwt:svc"
    assert len(calls) == 1
    with pytest.raises(tokens.Unauthorized):
        validator.principal(_token(signing_keys[0], kid="rotated", scope="partner"))
    assert len(calls) == 1  # a refresh at most every ten seconds
    real_clock = time.monotonic
    monkeypatch.setattr(tokens.time, "monotonic", lambda: real_clock() + 11)
    with pytest.raises(tokens.Unauthorized):
        validator.principal(_token(signing_keys[0], kid="rotated", scope="partner"))
    assert len(calls) == 2


def test_unreachable_jwks_url_is_503(signing_keys, monkeypatch):
    import httpx

    from kai_match.access import tokens

    def down(url: str, timeout: float) -> httpx.Response:
        raise httpx.ConnectError("down")

    monkeypatch.setattr(tokens.httpx, "get", down)
    validator = tokens.TokenValidator(
        jwks="https://login.example/certs", issuer=ISSUER, audience=AUDIENCE, algorithms=["RS256"]
    )
    with pytest.raises(tokens.ServiceUnavailable):
        validator.principal(_token(signing_keys[0], scope="partner"))
