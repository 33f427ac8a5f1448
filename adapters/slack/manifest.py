"""The Slack app manifest, built from what the app registers: the core's commands, the events bolt
listens to, and the scopes those need. `manifest.yml` is this with a placeholder URL."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml

from bot.i18n import Messages

PLACEHOLDER_URL = "https://rapport.example.com"
# Slack's own commands, which an app cannot take over.
RESERVED = frozenset(
    {"help", "me", "msg", "dm", "away", "invite", "leave", "remind", "status", "shrug", "topic"}
)
_SLASH_NAME = re.compile(r"^[a-z0-9_-]{1,31}$")
# app_uninstalled and tokens_revoked need no scope; Rapport forgets the installation on either.
# user_change (users:read) keeps the names and time zones Rapport learned from Slack current.
BOT_EVENTS = (
    "app_home_opened",
    "app_mention",
    "message.im",
    "app_uninstalled",
    "tokens_revoked",
    "user_change",
)
BOT_SCOPES = (
    "app_mentions:read",  # app_mention events
    "chat:write",  # DMs and replies
    "chat:write.public",  # kudos posted in the public channel they were given in
    "commands",  # slash commands
    "files:write",  # a person's data export, sent to them as a file
    "im:history",  # message.im events; a DM's history, to check a retried message did not already go out
    "im:write",  # conversations.open, to DM someone
    "users:read",  # users.info (a new person's profile, in the background) and user_change events
    "users:read.email",  # their email, to match people imported by email (and users.lookupByEmail)
)


def slash_commands(commands: Iterable[str]) -> list[str]:
    """The core's commands that Slack can register as slash commands (typed aliases such as 点赞 and
    Slack's own command names stay out)."""
    return sorted(c for c in commands if _SLASH_NAME.match(c) and c not in RESERVED)


def build_manifest(*, url: str, commands: Iterable[str], t: Messages) -> dict[str, Any]:
    """The manifest as a dict, with every request URL under `url`."""
    events_url = f"{url.rstrip('/')}/slack/events"
    return {
        "display_information": {
            "name": "Rapport",
            "description": "Kudos, check-ins, feedback and review meetings, in chat.",
            "background_color": "#1d3557",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": "Rapport", "always_online": True},
            "slash_commands": [
                {
                    "command": f"/{name}",
                    "url": events_url,
                    "description": t(f"commands.{name}.description"),
                    "usage_hint": t(f"commands.{name}.usage_hint"),
                    "should_escape": True,
                }
                for name in slash_commands(commands)
            ],
        },
        "oauth_config": {
            "redirect_urls": [f"{url.rstrip('/')}/slack/oauth_redirect"],  # when installed through OAuth
            "scopes": {"bot": list(BOT_SCOPES)},
        },
        "settings": {
            "event_subscriptions": {"request_url": events_url, "bot_events": list(BOT_EVENTS)},
            "interactivity": {"is_enabled": True, "request_url": events_url},
            "org_deploy_enabled": False,
            "socket_mode_enabled": False,
            "token_rotation_enabled": False,
        },
    }


def to_yaml(manifest: dict[str, Any]) -> str:
    return "# Slack app manifest: `rapport slack manifest --url https://your.host` fills in the URLs.\n" + (
        yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100)
    )
