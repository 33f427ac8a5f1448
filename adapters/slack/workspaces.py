"""Which workspaces Rapport serves, their bot tokens, and the organisation each belongs to.

Single-workspace mode (SLACK_BOT_TOKEN): one token; its workspace belongs to the organisation
RAPPORT_ORG, linked the first time Rapport sees the team (created when missing). The token's identity
comes from one `auth.test` at start-up, so no Web API call happens on the request path. A request
from any other workspace (the same app installed elsewhere signs with the same secret) is answered
as from a workspace where Rapport is not installed, and never joins RAPPORT_ORG.
"""

from __future__ import annotations

import logging
from typing import Protocol

from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.clients import SlackClients
from adapters.slack.inbound import PLATFORM
from bot.clock import Clock
from bot.identity import onboard
from bot.platform import WorkspaceSeen
from store.db import Database

log = logging.getLogger(__name__)


class Workspaces(Protocol):
    """What the Slack adapter needs to know about the workspaces it serves."""

    async def authorize(self, enterprise_id: str | None, team_id: str | None) -> AuthorizeResult | None:
        """slack-bolt's authorize function: the bot's identity in `team_id`, None when not installed."""
        ...

    async def client(self, team_id: str) -> AsyncWebClient | None:
        """The workspace's Web API client, None when Rapport has no token for it."""
        ...

    async def adopt(self, team_id: str) -> bool:
        """Link a team Rapport has not seen to its organisation; False when it may not be adopted."""
        ...

    async def start(self) -> None:
        """Whatever needs doing when the server starts."""
        ...

    async def uninstall(self, *, enterprise_id: str | None, team_id: str) -> None:
        """The team uninstalled Rapport or revoked its token: stop using the token."""
        ...


async def link_team(db: Database, *, team_id: str, slug: str, name: str, clock: Clock) -> None:
    """Make `team_id` belong to the organisation `slug`, creating the organisation when missing."""
    seen = WorkspaceSeen(platform=PLATFORM, external_id=team_id, org_slug=slug, org_name=name)
    await onboard(db, seen=seen, clock=clock)


class SingleWorkspace:
    """One workspace, one bot token (SLACK_BOT_TOKEN)."""

    def __init__(
        self, *, token: str, clients: SlackClients, db: Database, clock: Clock, org_slug: str
    ) -> None:
        self.token = token
        self.clients = clients
        self.db = db
        self.clock = clock
        self.org_slug = org_slug
        self._identity: AuthorizeResult | None = None
        self._revoked = False

    async def start(self) -> None:
        """Learn who the token is (`auth.test`) and link its team; a failure is retried on first use."""
        try:
            await self._learn()
        except (SlackApiError, OSError, TimeoutError) as error:
            log.warning("auth.test failed at start-up (%s); will retry on the first request", error)

    async def _learn(self) -> AuthorizeResult:
        if self._identity is None:
            response = await self.clients.client(self.token).auth_test()
            self._identity = AuthorizeResult.from_auth_test_response(
                auth_test_response=response, bot_token=self.token
            )
            await self.adopt(self._identity.team_id)
        return self._identity

    async def authorize(self, enterprise_id: str | None, team_id: str | None) -> AuthorizeResult | None:
        """The token's identity for its own team; for any other team (signed by the same app, installed
        elsewhere), a token-less result, so the listeners answer that Rapport is not installed there."""
        if self._revoked:
            return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id)
        try:
            identity = await self._learn()
        except SlackApiError as error:
            log.error("the bot token was refused: %s", error)
            return None
        if team_id != identity.team_id:
            log.warning(
                "refused a request from Slack workspace %s: SLACK_BOT_TOKEN is %s's",
                team_id,
                identity.team_id,
            )
            return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id)
        return identity

    async def client(self, team_id: str) -> AsyncWebClient | None:
        return None if self._revoked else self.clients.client(self.token)

    async def adopt(self, team_id: str) -> bool:
        """Link the token's own team to RAPPORT_ORG; no other team is ever linked to it."""
        if self._identity is None or team_id != self._identity.team_id:
            return False
        await link_team(self.db, team_id=team_id, slug=self.org_slug, name=self.org_slug, clock=self.clock)
        return True

    async def uninstall(self, *, enterprise_id: str | None, team_id: str) -> None:
        """SLACK_BOT_TOKEN no longer works: answer politely and fail messages until a restart with a new one."""
        log.warning("Slack workspace %s uninstalled Rapport or revoked SLACK_BOT_TOKEN", team_id)
        self._revoked = True
        self.clients.forget(self.token)
