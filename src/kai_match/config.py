"""Settings read from the environment (prefix ``KAI_``); no I/O at import time."""

from __future__ import annotations

import json
from functools import cache
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Cursor keys sign with HMAC-SHA256; 32 characters of `secrets.token_urlsafe` carry 192 bits.
MIN_CURSOR_KEY_CHARS = 32


class Settings(BaseSettings):
    """Runtime configuration; see the table in README.md."""

    model_config = SettingsConfigDict(env_prefix="KAI_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./kai_match.db"
    auto_migrate: bool = Field(True, description="Upgrade the schema when the service starts.")
    log_level: str = "INFO"
    log_json: bool = True
    docs_enabled: bool = True
    docs_public: bool = Field(
        False,
        description="Serve /docs and /openapi.json without an API key in production as well.",
    )
    page_limit_default: int = Field(50, ge=1)
    page_limit_max: int = Field(200, ge=1)
    db_pool_size: int = Field(10, ge=1)
    db_connect_timeout_seconds: int = Field(
        3, ge=1, le=60, description="Give up connecting to PostgreSQL after this long."
    )
    db_statement_timeout_ms: int = Field(
        30_000, ge=0, description="PostgreSQL cancels a statement after this long (0: never)."
    )
    db_lock_timeout_ms: int = Field(
        10_000, ge=0, description="PostgreSQL gives up waiting for a row lock after this long."
    )
    db_tcp_user_timeout_ms: int = Field(
        10_000,
        ge=0,
        description="A PostgreSQL connection whose data is unacknowledged this long is dead.",
    )
    request_timeout_seconds: float = Field(
        30,
        gt=0,
        le=600,
        description="A request that has not started its answer after this long gets a 503.",
    )
    # Threads per worker process for synchronous endpoints and dependencies (None: 8 on
    # PostgreSQL, 40 on SQLite). See thread_limit() in main.py for why they differ.
    worker_threads: int | None = Field(None, ge=1, le=200)
    sqlite_busy_timeout_ms: int = Field(10_000, ge=0)
    ready_retry_after_seconds: int = Field(5, ge=1)
    max_body_bytes: int = Field(1_000_000, ge=1_024)
    bulk_max_bytes: int = Field(
        20_000_000, ge=1_024, description="Body limit of the bulk imports (`…/bulk`)."
    )
    ba_api_url: str | None = Field(
        None,
        description="The BA job search API for `kai-match import ba --from-api` "
        "(https://rest.arbeitsagentur.de/jobboerse/jobsuche-service); unset: files only.",
    )
    ba_api_timeout_seconds: float = Field(10, gt=0, le=120)
    bulk_max_rows: int = Field(
        10_000, ge=1, le=100_000, description="Rows per bulk import request."
    )
    bootstrap_admin_key: str | None = Field(
        None, description="When set, this bearer key is an admin key (first start, tests)."
    )
    jwt_jwks: str | None = Field(
        None, description="JWKS for OAuth2 client-credentials tokens: JSON, a file path or a URL."
    )
    jwt_issuer: str | None = None
    jwt_token_url: str | None = Field(
        None, description="The identity provider's token endpoint, named in the OpenAPI."
    )
    jwt_audience: str | None = None
    jwt_algorithms: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["RS256", "ES256"],
        description="Accepted signature algorithms (asymmetric only).",
    )
    jwt_leeway_seconds: int = Field(30, ge=0, le=300)
    jwt_jwks_cache_seconds: int = Field(300, ge=10)
    rate_limit_per_minute: int = Field(
        600, ge=0, description="Requests per minute per key or token; 0 switches the limit off."
    )
    rate_limit_storage: str = Field(
        "memory://", description="`limits` storage URI; redis://… shares the count across workers."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Browser origins allowed by CORS; empty = CORS closed."
    )
    cursor_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description=(
            "Keys that sign cursors, comma-separated: the first signs, all verify (rotation). "
            "Required in production; otherwise a key generated once is kept in the database."
        ),
    )
    retention_days: int = Field(
        730,
        ge=1,
        description="Archived profiles older than this are anonymised by `retention run`.",
    )
    taxonomy_dir: str = Field("./taxonomy", description="Where `taxonomy import-esco` writes.")
    osrm_url: str | None = Field(None, description="OSRM server for exact car/bike/foot times.")
    otp_url: str | None = Field(None, description="OpenTripPlanner server for transit times.")
    transit_file: str | None = Field(
        None,
        description="Public-transport minutes written by `transit import-gtfs`; unset: estimated.",
    )
    warm_up: bool = Field(True, description="Build the taxonomy index at start-up.")
    match_list_size: int = Field(
        10, ge=1, le=100, description="Items per list in the match-list feed for partners."
    )
    proposals_per_opening: int = Field(
        3,
        ge=1,
        le=100,
        description="Open proposals (placements in sent_to_employer) a vacancy may have per "
        "opening; one more is a 409.",
    )
    proposals_per_employer: int = Field(
        10, ge=1, le=1000, description="Open proposals a firm may have over all its vacancies."
    )
    idempotency_ttl_hours: int = Field(
        24, ge=24, description="Stored answers to Idempotency-Key requests are kept this long."
    )
    idempotency_in_flight_seconds: int = Field(
        60, ge=5, description="An unfinished request's key is taken over after this long."
    )
    sqlite_synchronous: Literal["FULL", "NORMAL"] = Field(
        "FULL",
        description="SQLite `PRAGMA synchronous`: FULL keeps every acknowledged commit on power "
        "loss; NORMAL may lose the last ones (never corrupts). See docs/operations.md.",
    )
    cost_budget_per_minute: int = Field(
        1000,
        ge=0,
        description="Cost units per minute per key or token for expensive operations (batches, "
        "reports, analyses; about 10 ms of work each, docs/security.md); 0 switches it off.",
    )
    console_idle_minutes: int = Field(
        30, ge=1, le=720, description="A console session ends after this long without a page."
    )
    console_session_hours: int = Field(
        10, ge=1, le=24, description="A console session ends this long after sign-in at the latest."
    )
    console_max_failed_sign_ins: int = Field(
        5, ge=1, le=100, description="Wrong passwords in a row before a console account is locked."
    )
    console_lockout_minutes: int = Field(
        15, ge=1, le=1440, description="How long a locked console account stays locked."
    )
    webhook_dispatcher: bool = Field(
        True, description="Deliver webhooks from a background thread of every app process."
    )
    webhook_poll_seconds: float = Field(
        2, gt=0, le=300, description="How often the webhook dispatcher looks for due deliveries."
    )
    webhook_allow_http: bool = Field(
        False, description="Accept http:// webhook URLs (development and tests only)."
    )
    webhook_allowed_networks: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Private, loopback or link-local networks webhooks may reach anyway "
        "(CIDR, comma-separated, e.g. 127.0.0.1/32 for a local test receiver).",
    )
    webhook_connect_timeout_seconds: float = Field(
        3, gt=0, le=60, description="Give up connecting to a webhook receiver after this long."
    )
    webhook_read_timeout_seconds: float = Field(
        10, gt=0, le=120, description="Give up waiting for a webhook receiver's answer after this."
    )
    webhook_backoff_seconds: float = Field(
        10, gt=0, description="Wait before the first retry of a delivery; doubles each time."
    )
    webhook_backoff_max_seconds: float = Field(
        3600, gt=0, description="The longest wait between two attempts of one delivery."
    )
    webhook_max_attempts: int = Field(
        12, ge=1, le=100, description="Attempts of one delivery before it is marked failed."
    )
    webhook_disable_after_failures: int = Field(
        20, ge=1, description="Failed attempts in a row after which an endpoint is disabled."
    )
    webhook_retention_days: int = Field(
        30,
        ge=1,
        le=3650,
        description="Days finished webhook deliveries (and their events) stay in the delivery log.",
    )
    webhook_secret_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Keys that encrypt webhook secrets, comma-separated: the first encrypts, "
        "all decrypt. Without them a key generated once is kept in the database.",
    )

    @field_validator(
        "cors_origins",
        "jwt_algorithms",
        "cursor_keys",
        "webhook_allowed_networks",
        "webhook_secret_keys",
        mode="before",
    )
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """``KAI_CORS_ORIGINS=https://a.example,https://b.example`` (a JSON list works too)."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("jwt_algorithms")
    @classmethod
    def _asymmetric_only(cls, value: list[str]) -> list[str]:
        """A shared-secret algorithm (HS256) would let anyone holding the JWKS mint tokens."""
        allowed = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"}
        bad = [a for a in value if a not in allowed]
        if bad:
            raise ValueError(f"unsupported JWT algorithms {bad}; use one of {sorted(allowed)}")
        return value

    @field_validator("cursor_keys")
    @classmethod
    def _strong_cursor_keys(cls, value: list[str]) -> list[str]:
        """A short key could be guessed from issued cursors; a repeated one is a typo."""
        if any(len(key) < MIN_CURSOR_KEY_CHARS for key in value):
            raise ValueError(
                f"every key in KAI_CURSOR_KEYS needs at least {MIN_CURSOR_KEY_CHARS} characters"
            )
        if len(set(value)) != len(value):
            raise ValueError("KAI_CURSOR_KEYS lists a key twice")
        return value

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        """Production must not run on the embedded file database or with a guessable admin key."""
        if self.environment == "production" and self.database_url.startswith("sqlite"):
            raise ValueError(
                "KAI_DATABASE_URL must point to PostgreSQL when KAI_ENVIRONMENT=production"
            )
        if (
            self.environment == "production"
            and self.bootstrap_admin_key is not None
            and len(self.bootstrap_admin_key) < 32
        ):
            raise ValueError("KAI_BOOTSTRAP_ADMIN_KEY must have at least 32 characters")
        if self.environment == "production" and not self.cursor_keys:
            # A generated key would sit in the database (and its backups) beside the data.
            raise ValueError("KAI_CURSOR_KEYS must be set when KAI_ENVIRONMENT=production")
        if self.environment == "production" and not self.webhook_secret_keys:
            # The same for the key that encrypts partners' webhook secrets.
            raise ValueError("KAI_WEBHOOK_SECRET_KEYS must be set when KAI_ENVIRONMENT=production")
        if self.jwt_jwks and not (self.jwt_issuer and self.jwt_audience):
            raise ValueError("KAI_JWT_JWKS needs KAI_JWT_ISSUER and KAI_JWT_AUDIENCE as well")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@cache
def get_settings() -> Settings:
    """Settings of this process, read once."""
    return Settings()
