"""Configuration from environment variables, and from a `.env` file for what the environment lacks."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from dotenv import dotenv_values

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///rapport.db"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything configurable. The README lists each variable.

    Attributes:
        database_url: RAPPORT_DATABASE_URL, an async SQLAlchemy URL (SQLite or PostgreSQL).
        org: RAPPORT_ORG, the organisation the command line and the console work on.
    """

    database_url: str = DEFAULT_DATABASE_URL
    org: str = "demo"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, env_file: str | None = ".env") -> Settings:
        values: dict[str, str | None] = dict(dotenv_values(env_file)) if env_file else {}
        values.update(os.environ if environ is None else environ)
        return cls(
            database_url=values.get("RAPPORT_DATABASE_URL") or DEFAULT_DATABASE_URL,
            org=values.get("RAPPORT_ORG") or "demo",
        )
