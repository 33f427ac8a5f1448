"""Microsoft Teams as a platform of the platform table: `/api/messages` through botbuilder's
CloudAdapter, and the Teams delivery worker in the server's loop."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from adapters.delivery import DeliveryWorker
from adapters.teams import references
from adapters.teams.bot import message_activities
from adapters.teams.connector import ConnectorError, TeamsConnection, build_adapter
from adapters.teams.delivery import TeamsOutbox, teams_worker
from adapters.teams.routes import PATH, teams_routes
from adapters.teams.sender import TeamsSender
from adapters.teams.settings import TeamsSettings
from adapters.teams.translate import PLATFORM, to_event
from bot.events import Event
from bot.platform import Host, Profile, Runtime
from bot.replies import Reply
from store import orgs
from store.outbox import Claimed


@dataclass(kw_only=True)
class Teams:
    """The `bot.platform.Platform` for Teams. The CloudAdapter and the connector (one HTTP session,
    botbuilder's cached credentials and tokens) are shared by the endpoint and the sender, so replies
    and proactive messages use the same ones."""

    app: Runtime
    settings: TeamsSettings
    connection: TeamsConnection
    sender: TeamsSender
    worker: DeliveryWorker
    deliver: bool = True
    name: str = PLATFORM
    commands: frozenset[str] = field(default_factory=frozenset)

    def mount(self, host: Host) -> None:
        for route in teams_routes(app=self.app, settings=self.settings, adapter=self.connection):
            host.route(route.method, route.path, route.handler)
        if self.deliver:
            host.background("teams-delivery", self.worker.run)
        host.on_stop(self.connection.connector.close)

    def to_event(self, payload: Mapping[str, Any]) -> Event | None:
        return to_event(payload, commands=self.commands)

    def render(self, reply: Reply) -> Sequence[dict[str, Any]]:
        return message_activities(reply)

    async def send(self, message: Claimed) -> None:
        await TeamsOutbox(self.sender).send(message)

    async def fetch_profile(self, *, workspace: str, user_id: str) -> Profile | None:
        """The member as the connector knows them (`GET /v3/conversations/{id}/members/{user}`), asked
        in the user's conversation with Rapport; None before they ever wrote, or when Teams says no."""
        async with self.app.db.read() as session:
            org = await orgs.for_workspace(session, platform=PLATFORM, external_id=workspace)
            row = await references.reference(session, org_id=org.id, user_id=user_id) if org else None
        if row is None or not row.conversation_id:
            return None
        try:
            member = await self.connection.connector.member(
                service_url=row.service_url, conversation_id=row.conversation_id, user_id=user_id
            )
        except ConnectorError:
            return None
        return Profile(
            name=member.get("name") or None,
            email=member.get("email") or member.get("userPrincipalName") or None,
        )


def build_teams(app: Runtime, *, settings: TeamsSettings | None = None, **worker_options: Any) -> Teams:
    """Teams, from its settings (read from the app's environment when omitted)."""
    settings = settings or TeamsSettings.from_env(app.settings.environ, env_file=None)
    connection = build_adapter(settings, clock=app.clock)
    sender = TeamsSender(app=app, settings=settings, adapter=connection)
    return Teams(
        app=app,
        settings=settings,
        connection=connection,
        sender=sender,
        worker=teams_worker(app, sender, **worker_options),
        commands=frozenset(app.core.router.commands),
    )


__all__ = ["PATH", "Teams", "build_teams"]
