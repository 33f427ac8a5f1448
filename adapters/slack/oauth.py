"""Many workspaces, each installed through Slack's OAuth flow (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET).

slack-bolt runs the flow (`/slack/install`, `/slack/oauth_redirect`, the `oauth.v2.access` exchange);
slack_sdk's SQLAlchemy stores keep installations and OAuth states in Rapport's database, in tables
that Rapport's migration 0011 creates. Each installed team becomes an organisation of its own, so two
workspaces never share people or data, whatever their people are called.
"""

from __future__ import annotations

import logging

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.oauth.async_callback_options import AsyncSuccessArgs
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.clients import SlackClients
from adapters.slack.manifest import BOT_SCOPES
from adapters.slack.workspaces import link_team
from bot.clock import Clock
from store.db import Database

log = logging.getLogger(__name__)

STATE_SECONDS = 600  # how long an install link stays good


def org_slug(team_id: str) -> str:
    """The organisation an installed team becomes: one per team, never shared."""
    return f"slack-{team_id.lower()}"


class InstalledWorkspaces:
    """The workspaces that installed Rapport, their bot tokens read from slack_sdk's store.

    Reads go through the read engine (on SQLite they do not wait for the writer); installs and
    uninstalls through the writer. Enterprise Grid org-wide installs are not supported: every lookup
    is by team.
    """

    def __init__(self, *, client_id: str, clients: SlackClients, db: Database, clock: Clock) -> None:
        self.installations = AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=db.writer)
        self._reads = AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=db.reader)
        self.clients = clients
        self.db = db
        self.clock = clock

    async def start(self) -> None:
        """Nothing to learn up front: each team's identity is in its installation."""

    async def _bot(self, team_id: str | None) -> Bot | None:
        if not team_id:
            return None
        return await self._reads.async_find_bot(enterprise_id=None, team_id=team_id)

    async def authorize(self, enterprise_id: str | None, team_id: str | None) -> AuthorizeResult | None:
        """The installed bot's identity; a token-less result for a team that is not installed, so the
        listeners can answer politely (bolt itself would post to the request's response_url)."""
        bot = await self._bot(team_id)
        if bot is None:
            return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id)
        return AuthorizeResult(
            enterprise_id=bot.enterprise_id,
            team_id=bot.team_id,
            team=bot.team_name,
            bot_user_id=bot.bot_user_id,
            bot_id=bot.bot_id,
            bot_token=bot.bot_token,
            bot_scopes=bot.bot_scopes,
        )

    async def client(self, team_id: str) -> AsyncWebClient | None:
        bot = await self._bot(team_id)
        return self.clients.client(bot.bot_token) if bot is not None else None

    async def adopt(self, team_id: str) -> bool:
        """Link an installed team that has no organisation yet (its install callback was lost)."""
        bot = await self._bot(team_id)
        if bot is None:
            return False
        await self.installed(team_id=team_id, team_name=bot.team_name)
        return True

    async def installed(self, *, team_id: str, team_name: str | None) -> None:
        """A team finished installing: it becomes (or stays) its own organisation."""
        name = team_name or team_id
        await link_team(self.db, team_id=team_id, slug=org_slug(team_id), name=name, clock=self.clock)
        log.info("Slack workspace %s (%s) installed Rapport", team_id, name)

    async def uninstall(self, *, enterprise_id: str | None, team_id: str) -> None:
        """Forget the team's installation and bot token. Its organisation and data stay, for a
        reinstall; until then its requests get a polite answer and its messages fail."""
        bot = await self._bot(team_id)
        await self.installations.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)
        await self.installations.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is not None and bot.bot_token:
            self.clients.forget(bot.bot_token)
        log.info("Slack workspace %s uninstalled Rapport", team_id)


def build_oauth_flow(
    *, workspaces: InstalledWorkspaces, client_id: str, client_secret: str, client: AsyncWebClient
) -> AsyncOAuthFlow:
    """slack-bolt's OAuth flow on Rapport's database; `client` reaches SLACK_API_URL for the
    `oauth.v2.access` exchange. A finished install links the team to its organisation."""

    settings = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=workspaces.installations,
        installation_store_bot_only=True,
        state_store=AsyncSQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_SECONDS, engine=workspaces.db.writer
        ),
        state_expiration_seconds=STATE_SECONDS,
    )
    flow = AsyncOAuthFlow(client=client, settings=settings)
    show_success = flow.success_handler

    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        await workspaces.installed(team_id=installation.team_id, team_name=installation.team_name)
        return await show_success(args)

    flow.success_handler = success
    return flow
