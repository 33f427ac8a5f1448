"""Configuration from environment variables, and from a `.env` file for what the environment lacks."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from dotenv import dotenv_values

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///rapport.db"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:3000"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """What every part of Rapport shares. The README lists each variable.

    Attributes:
        database_url: RAPPORT_DATABASE_URL, an async SQLAlchemy URL (SQLite or PostgreSQL).
        org: RAPPORT_ORG, the organisation the command line and the console work on; in a
            single-workspace set-up of a platform, the organisation the workspace belongs to.
        public_url: RAPPORT_PUBLIC_URL, where people reach `rapport serve` (dashboard sign-in links).
        log_format: RAPPORT_LOG_FORMAT, how `rapport serve` writes its log: "text" or "json".
        environ: every variable read (the environment over `.env`): each platform of the platform
            table reads its own settings from it.
    """

    database_url: str = DEFAULT_DATABASE_URL
    org: str = "demo"
    public_url: str = DEFAULT_PUBLIC_URL
    log_format: str = "text"
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)  # secrets: never in a log

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, env_file: str | None = ".env") -> Settings:
        values: dict[str, str | None] = dict(dotenv_values(env_file)) if env_file else {}
        values.update(os.environ if environ is None else environ)
        return cls(
            database_url=values.get("RAPPORT_DATABASE_URL") or DEFAULT_DATABASE_URL,
            org=values.get("RAPPORT_ORG") or "demo",
            public_url=values.get("RAPPORT_PUBLIC_URL") or DEFAULT_PUBLIC_URL,
            log_format=(values.get("RAPPORT_LOG_FORMAT") or "text").strip().lower(),
            environ={key: value for key, value in values.items() if value is not None},
        )
