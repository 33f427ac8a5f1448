"""Configuration from environment variables, and from a `.env` file for what the environment lacks."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from dotenv import dotenv_values

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///rapport.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:3000"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything configurable. The README lists each variable.

    Attributes:
        database_url: RAPPORT_DATABASE_URL, an async SQLAlchemy URL (SQLite or PostgreSQL).
        org: RAPPORT_ORG, the organisation the command line and the console work on; in Slack
            single-workspace mode, the organisation the workspace belongs to.
        slack_bot_token: SLACK_BOT_TOKEN, the bot token of the one workspace (single-workspace mode).
        slack_signing_secret: SLACK_SIGNING_SECRET, to verify that requests come from Slack.
        slack_api_url: SLACK_API_URL, the Slack Web API base URL (tests, proxies).
        slack_client_id, slack_client_secret: SLACK_CLIENT_ID and SLACK_CLIENT_SECRET; with both set,
            Rapport serves many workspaces, each installed through `/slack/install` (OAuth).
        slack_app_token: SLACK_APP_TOKEN (`xapp-...`), for `rapport serve --socket-mode`.
        public_url: RAPPORT_PUBLIC_URL, where people reach `rapport serve` (dashboard sign-in links).
        log_format: RAPPORT_LOG_FORMAT, how `rapport serve` writes its log: "text" or "json".
    """

    database_url: str = DEFAULT_DATABASE_URL
    org: str = "demo"
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_app_token: str | None = None
    public_url: str = DEFAULT_PUBLIC_URL
    log_format: str = "text"

    @property
    def slack_oauth(self) -> bool:
        """Many workspaces, installed through OAuth, rather than the one of SLACK_BOT_TOKEN."""
        return bool(self.slack_client_id and self.slack_client_secret)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, env_file: str | None = ".env") -> Settings:
        values: dict[str, str | None] = dict(dotenv_values(env_file)) if env_file else {}
        values.update(os.environ if environ is None else environ)
        return cls(
            database_url=values.get("RAPPORT_DATABASE_URL") or DEFAULT_DATABASE_URL,
            org=values.get("RAPPORT_ORG") or "demo",
            slack_bot_token=values.get("SLACK_BOT_TOKEN") or None,
            slack_signing_secret=values.get("SLACK_SIGNING_SECRET") or None,
            slack_api_url=values.get("SLACK_API_URL") or DEFAULT_SLACK_API_URL,
            slack_client_id=values.get("SLACK_CLIENT_ID") or None,
            slack_client_secret=values.get("SLACK_CLIENT_SECRET") or None,
            slack_app_token=values.get("SLACK_APP_TOKEN") or None,
            public_url=values.get("RAPPORT_PUBLIC_URL") or DEFAULT_PUBLIC_URL,
            log_format=(values.get("RAPPORT_LOG_FORMAT") or "text").strip().lower(),
        )
