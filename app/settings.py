"""Configuration from the environment (pydantic-settings): one ``Settings`` object, read once."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Backend", "Settings", "get_settings"]


class Backend(StrEnum):
    EMBEDDED = "embedded"
    NEO4J = "neo4j"


class Settings(BaseSettings):
    """Every knob, with the environment variable that sets it (``TRADEGRAPH_`` + the name in
    capitals, except the Neo4j connection, which uses Neo4j's own ``NEO4J_*`` names)."""

    model_config = SettingsConfigDict(env_prefix="TRADEGRAPH_", extra="ignore")

    backend: Backend = Backend.EMBEDDED
    db_path: Path = Field(default=Path("data/tradegraph.db"), description="SQLite file of the embedded store")
    api_token: SecretStr | None = Field(default=None, description="bearer token for writes; none means writes are refused")
    cors_origins: list[str] = Field(default_factory=list, description="origins allowed by CORS; empty means closed")
    intensity_file: Path | None = Field(default=None, description="YAML scale replacing graph/intensity.yaml")
    max_body_bytes: int = 5 * 1024 * 1024
    query_timeout_s: float = Field(default=10.0, ge=0, description="time budget of one read under /v1 (not exports); 0 switches it off")
    answer_cache_mb: int = Field(
        default=64, ge=0, description="memory for answers kept until the graph changes (app/api/answer_cache.py); 0 switches it off"
    )
    trade_min_share: float = Field(
        default=0.25, gt=0, le=1,
        description="trade flows make SUPPLIES and DEPENDS_ON relations only at or above this share (docs/trade.md)",
    )
    trade_min_value_usd: float = Field(
        default=10_000_000, ge=0,
        description="... and only when at least this much trade, in USD, stands behind the share (docs/trade.md)",
    )
    neo4j_uri: str = Field(default="bolt://127.0.0.1:7687", validation_alias=AliasChoices("NEO4J_URI", "TRADEGRAPH_NEO4J_URI"))
    neo4j_user: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_USER", "TRADEGRAPH_NEO4J_USER"))
    neo4j_password: SecretStr = Field(
        default=SecretStr(""), validation_alias=AliasChoices("NEO4J_PASSWORD", "TRADEGRAPH_NEO4J_PASSWORD")
    )
    neo4j_database: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "TRADEGRAPH_NEO4J_DATABASE"))
    neo4j_timeout_s: float = 15.0
    neo4j_browser_url: str | None = Field(
        default=None, description="Neo4j Browser as users reach it (http://host:7474/browser/); the explorer links entities there"
    )


@cache
def get_settings() -> Settings:
    return Settings()
