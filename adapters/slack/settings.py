"""Slack's settings, read from the environment (and `.env`) like every platform's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_API_URL = "https://slack.com/api/"


@dataclass(frozen=True, kw_only=True)
class SlackSettings:
    """The Slack adapter's settings. The README lists each variable.

    Attributes:
        bot_token: SLACK_BOT_TOKEN, the bot token of the one workspace (single-workspace mode).
        signing_secret: SLACK_SIGNING_SECRET, to verify that requests come from Slack.
        api_url: SLACK_API_URL, the Slack Web API base URL (tests, proxies).
        client_id, client_secret: SLACK_CLIENT_ID and SLACK_CLIENT_SECRET; with both set, Rapport
            serves many workspaces, each installed through `/slack/install` (OAuth).
        app_token: SLACK_APP_TOKEN (`xapp-...`), for Socket Mode.
        socket_mode: SLACK_SOCKET_MODE (or `rapport serve --socket-mode`): take Slack's requests over
            Socket Mode instead of HTTP.
    """

    bot_token: str | None = None
    signing_secret: str | None = None
    api_url: str = DEFAULT_API_URL
    client_id: str | None = None
    client_secret: str | None = None
    app_token: str | None = None
    socket_mode: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> SlackSettings:
        return cls(
            bot_token=environ.get("SLACK_BOT_TOKEN") or None,
            signing_secret=environ.get("SLACK_SIGNING_SECRET") or None,
            api_url=environ.get("SLACK_API_URL") or DEFAULT_API_URL,
            client_id=environ.get("SLACK_CLIENT_ID") or None,
            client_secret=environ.get("SLACK_CLIENT_SECRET") or None,
            app_token=environ.get("SLACK_APP_TOKEN") or None,
            socket_mode=(environ.get("SLACK_SOCKET_MODE") or "").lower() in ("1", "true", "yes"),
        )

    @property
    def oauth(self) -> bool:
        """Many workspaces, installed through OAuth, rather than the one of SLACK_BOT_TOKEN."""
        return bool(self.client_id and self.client_secret)

    @property
    def configured(self) -> bool:
        """Whether `rapport serve` can serve Slack: a bot token and an app-level token in Socket Mode
        (which signs nothing), else a signing secret with a bot token or OAuth credentials."""
        if self.socket_mode:
            return bool(self.bot_token and self.app_token)
        return bool(self.signing_secret and (self.bot_token or self.oauth))

    def notices(self) -> list[str]:
        """What `rapport serve` says when Slack is not configured."""
        if self.configured:
            return []
        if self.socket_mode:
            return ["Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN (xapp-...)."]
        return [
            "Slack is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (one workspace) or"
            " SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (any workspace, installed at /slack/install)."
        ]
