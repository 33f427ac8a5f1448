"""Slack as a platform of the platform table: the bolt app, the clients, the delivery worker and the
profile filler, mounted on `rapport serve` (or connected over Socket Mode)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_sdk.errors import SlackApiError

from adapters.delivery import DeliveryWorker
from adapters.slack.clients import SlackClients
from adapters.slack.endpoint import SlackEndpoint
from adapters.slack.inbound import PLATFORM, to_event
from adapters.slack.listeners import SlackListeners, build_bolt_app
from adapters.slack.oauth import InstalledWorkspaces, build_oauth_flow
from adapters.slack.profiles import ProfileFiller, profile_of
from adapters.slack.render import messages
from adapters.slack.replay import ReplayPruner
from adapters.slack.sender import SlackSender
from adapters.slack.settings import SlackSettings
from adapters.slack.workspaces import SingleWorkspace, Workspaces
from bot.events import Event
from bot.platform import Host, Profile, Runtime
from bot.replies import Reply
from store.outbox import Claimed

# Slack messages the delivery worker has in flight at once (each conversation's still one after
# another, oldest first). With 8, a 10,000-person check-in fan-out on SQLite went out at 0.73-0.79 of
# its rate alone while Slack's requests came in (the `mixed` benchmark): a send's wait for SQLite's
# write lock or for a busy core held one of few slots. With 32: medians 0.86-0.93 (rounds 0.74-0.95).
# Slack answers what is too fast with 429 and Retry-After, which the sender honours.
SENDS_IN_FLIGHT = 32


@dataclass(kw_only=True)
class Slack:
    """Everything Slack-shaped the server holds; the `bot.platform.Platform` for Slack."""

    settings: SlackSettings
    bolt: AsyncApp
    clients: SlackClients
    workspaces: Workspaces
    listeners: SlackListeners
    worker: DeliveryWorker
    sender: SlackSender
    profiles: ProfileFiller
    replays: ReplayPruner
    oauth_flow: AsyncOAuthFlow | None = None
    socket: AsyncSocketModeHandler | None = None  # Socket Mode: events come over Slack's WebSocket
    deliver: bool = True  # tests that drive delivery (and profiles) themselves turn the background off
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Future | None = None
    name: str = PLATFORM

    def mount(self, host: Host) -> None:
        """`/slack/events` (slash commands, interactivity and the Events API, one URL) when a signing
        secret is set, the OAuth install routes with OAuth, the Socket Mode connection in Socket Mode,
        and in the background the delivery worker, the profile filler and the replay pruner."""
        if self.settings.signing_secret:
            endpoint = SlackEndpoint(bolt=self.bolt, signing_secret=self.settings.signing_secret)
            host.route("POST", "/slack/events", endpoint.handle)
        if self.oauth_flow is not None:
            host.route("GET", self.oauth_flow.install_path, self.install)
            host.route("GET", self.oauth_flow.redirect_uri_path, self.oauth_redirect)
        host.on_start(self.workspaces.start)
        if self.socket is not None:
            host.on_start(self.socket.connect_async)
        host.on_stopping(self._stopping)
        if self.deliver:
            host.background("slack-delivery", self._background)
        host.on_stop(self.clients.close)

    async def _background(self, _: asyncio.Event) -> None:
        """Delivery, profiles and replay pruning until `stop` (set by the host as the server stops
        listening, or by a test) is set."""
        self.task = asyncio.current_task()
        await asyncio.gather(
            self.worker.run(self.stop), self.profiles.run(self.stop), self.replays.run(self.stop)
        )

    async def _stopping(self) -> None:
        """No more Socket Mode requests; the worker stops claiming and finishes what it holds."""
        self.stop.set()
        if self.socket is not None:
            await self.socket.close_async()

    def to_event(self, payload: Mapping[str, Any]) -> Event | None:
        return to_event(payload, commands=self.listeners.commands)

    def render(self, reply: Reply) -> Sequence[dict[str, Any]]:
        return messages(reply)

    async def send(self, message: Claimed) -> None:
        await self.sender.send(message)

    async def fetch_profile(self, *, workspace: str, user_id: str) -> Profile | None:
        """`users.info` in the workspace; None when Rapport is not installed there or Slack says no."""
        client = await self.workspaces.client(workspace)
        if client is None:
            return None
        try:
            response = await client.users_info(user=user_id, include_locale=True)
        except SlackApiError:
            return None
        return profile_of(response["user"])

    async def install(self, request: web.Request) -> web.Response:
        """The page with the "Add to Slack" link (and a fresh OAuth state in a cookie)."""
        return await to_aiohttp_response(
            await self.oauth_flow.handle_installation(await to_bolt_request(request))
        )

    async def oauth_redirect(self, request: web.Request) -> web.Response:
        """Where Slack sends the installer back: the code is exchanged and the installation stored."""
        return await to_aiohttp_response(
            await self.oauth_flow.handle_callback(await to_bolt_request(request))
        )


def build_slack(
    app: Runtime,
    *,
    settings: SlackSettings | None = None,
    clients: SlackClients | None = None,
    worker_options: dict | None = None,
    socket_mode: bool | None = None,
) -> Slack:
    """The Slack side of the server: many workspaces installed through OAuth when SLACK_CLIENT_ID and
    SLACK_CLIENT_SECRET are set, else the one workspace of SLACK_BOT_TOKEN. In Socket Mode, the same
    bolt app (same listeners) takes its requests over Socket Mode (SLACK_APP_TOKEN) instead.

    Args:
        settings: Slack's settings; read from the app's environment when omitted.
        socket_mode: overrides the settings' SLACK_SOCKET_MODE.
    """
    settings = settings or SlackSettings.from_env(app.settings.environ)
    if socket_mode is not None:
        settings = SlackSettings(**{**settings.__dict__, "socket_mode": socket_mode})
    clients = clients or SlackClients(base_url=settings.api_url)
    workspaces, oauth_flow = _workspaces(app, settings, clients)
    profiles = ProfileFiller(db=app.db, clock=app.clock, workspaces=workspaces)
    listeners = SlackListeners(
        core=app.core,
        db=app.db,
        clock=app.clock,
        catalogue=app.catalogue,
        workspaces=workspaces,
        profiles=profiles,
    )
    bolt = build_bolt_app(
        listeners=listeners,
        signing_secret=settings.signing_secret,
        workspaces=workspaces,
        client=clients.client(None),
        oauth_flow=oauth_flow,
    )
    sender = SlackSender(db=app.db, workspaces=workspaces, catalogue=app.catalogue)
    worker = DeliveryWorker(
        db=app.db,
        clock=app.clock,
        platform=PLATFORM,
        sender=sender,
        observe=app.metrics.delivering(PLATFORM),
        **({"concurrency": SENDS_IN_FLIGHT} | (worker_options or {})),
    )
    socket = (
        AsyncSocketModeHandler(bolt, app_token=settings.app_token, web_client=clients.client(None))
        if settings.socket_mode
        else None
    )
    return Slack(
        settings=settings,
        bolt=bolt,
        clients=clients,
        workspaces=workspaces,
        listeners=listeners,
        worker=worker,
        sender=sender,
        profiles=profiles,
        replays=ReplayPruner(db=app.db),
        oauth_flow=oauth_flow,
        socket=socket,
    )


def _workspaces(
    app: Runtime, settings: SlackSettings, clients: SlackClients
) -> tuple[Workspaces, AsyncOAuthFlow | None]:
    if not settings.oauth:
        single = SingleWorkspace(
            token=settings.bot_token, clients=clients, db=app.db, clock=app.clock, org_slug=app.settings.org
        )
        return single, None
    installed = InstalledWorkspaces(client_id=settings.client_id, clients=clients, db=app.db, clock=app.clock)
    flow = build_oauth_flow(
        workspaces=installed,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        client=clients.client(None),
    )
    return installed, flow
