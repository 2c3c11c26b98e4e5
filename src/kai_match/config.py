"""Settings read from the environment (prefix ``KAI_``); no I/O at import time."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Runtime configuration; see the table in README.md."""

    model_config = SettingsConfigDict(env_prefix="KAI_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./kai_match.db"
    auto_migrate: bool = Field(True, description="Upgrade the schema when the service starts.")
    log_level: str = "INFO"
    log_json: bool = True
    docs_enabled: bool = True
    page_limit_default: int = Field(50, ge=1)
    page_limit_max: int = Field(200, ge=1)
    db_pool_size: int = Field(10, ge=1)
    sqlite_busy_timeout_ms: int = Field(10_000, ge=0)
    ready_retry_after_seconds: int = Field(5, ge=1)
    max_body_bytes: int = Field(1_000_000, ge=1_024)
    bootstrap_admin_key: str | None = None
    taxonomy_dir: str = Field("./taxonomy", description="Where `taxonomy import-esco` writes.")
    osrm_url: str | None = Field(None, description="OSRM server for exact car/bike/foot times.")
    otp_url: str | None = Field(None, description="OpenTripPlanner server for transit times.")
    warm_up: bool = Field(True, description="Build the taxonomy index at start-up.")

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        """Production must not run on the embedded file database by accident."""
        if self.environment == "production" and self.database_url.startswith("sqlite"):
            raise ValueError(
                "KAI_DATABASE_URL must point to PostgreSQL when KAI_ENVIRONMENT=production"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@cache
def get_settings() -> Settings:
    """Settings of this process, read once."""
    return Settings()
