"""The one aiohttp application `rapport serve` runs: Slack's request URL, Teams' messaging endpoint,
the operator's routes (health, readiness, metrics), and in the same event loop the delivery workers
and the due-work tick."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Mapping
from dataclasses import dataclass, field

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow

from adapters.app import App
from adapters.delivery import DeliveryWorker
from adapters.dingtalk.entry import ENTRY as DINGTALK
from adapters.host import WebHost
from adapters.operations import add_operations, watch
from adapters.slack.clients import SlackClients
from adapters.slack.endpoint import SlackEndpoint
from adapters.slack.inbound import PLATFORM as SLACK
from adapters.slack.listeners import SlackListeners, build_bolt_app
from adapters.slack.oauth import InstalledWorkspaces, build_oauth_flow
from adapters.slack.profiles import ProfileFiller
from adapters.slack.replay import ReplayPruner
from adapters.slack.sender import SlackSender
from adapters.slack.workspaces import SingleWorkspace, Workspaces
from adapters.teams.settings import TeamsSettings
from adapters.ticker import add_ticker
from adapters.web.routes import add_dashboard
from bot.settings import Settings

APP_KEY = web.AppKey("rapport", App)


@dataclass(kw_only=True)
class Slack:
    """Everything Slack-shaped the server holds: the bolt app, the clients and the delivery worker."""

    bolt: AsyncApp
    clients: SlackClients
    workspaces: Workspaces
    worker: DeliveryWorker
    profiles: ProfileFiller
    replays: ReplayPruner
    oauth_flow: AsyncOAuthFlow | None = None
    socket: AsyncSocketModeHandler | None = None  # Socket Mode: events come over Slack's WebSocket
    deliver: bool = True  # tests that drive delivery (and profiles) themselves turn the background off
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Future | None = None


SLACK_KEY = web.AppKey("slack", Slack)


def build_slack(
    app: App,
    *,
    clients: SlackClients | None = None,
    worker_options: dict | None = None,
    socket_mode: bool = False,
) -> Slack:
    """The Slack side of the server: many workspaces installed through OAuth when SLACK_CLIENT_ID and
    SLACK_CLIENT_SECRET are set, else the one workspace of SLACK_BOT_TOKEN. With `socket_mode`, the
    same bolt app (same listeners) takes its requests over Socket Mode (SLACK_APP_TOKEN) instead."""
    settings = app.settings
    clients = clients or SlackClients(base_url=settings.slack_api_url)
    workspaces, oauth_flow = _workspaces(app, clients)
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
        signing_secret=settings.slack_signing_secret,
        workspaces=workspaces,
        client=clients.client(None),
        oauth_flow=oauth_flow,
    )
    sender = SlackSender(db=app.db, workspaces=workspaces, catalogue=app.catalogue)
    worker = DeliveryWorker(
        db=app.db,
        clock=app.clock,
        platform=SLACK,
        sender=sender,
        observe=app.metrics.delivering(SLACK),
        **(worker_options or {}),
    )
    socket = (
        AsyncSocketModeHandler(bolt, app_token=settings.slack_app_token, web_client=clients.client(None))
        if socket_mode
        else None
    )
    return Slack(
        bolt=bolt,
        clients=clients,
        workspaces=workspaces,
        worker=worker,
        profiles=profiles,
        replays=ReplayPruner(db=app.db),
        oauth_flow=oauth_flow,
        socket=socket,
    )


def _workspaces(app: App, clients: SlackClients) -> tuple[Workspaces, AsyncOAuthFlow | None]:
    settings = app.settings
    if not settings.slack_oauth:
        single = SingleWorkspace(
            token=settings.slack_bot_token, clients=clients, db=app.db, clock=app.clock, org_slug=settings.org
        )
        return single, None
    installed = InstalledWorkspaces(
        client_id=settings.slack_client_id, clients=clients, db=app.db, clock=app.clock
    )
    flow = build_oauth_flow(
        workspaces=installed,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        client=clients.client(None),
    )
    return installed, flow


def slack_configured(settings: Settings, *, socket_mode: bool = False) -> bool:
    """Whether `rapport serve` can serve Slack: a bot token and an app-level token in Socket Mode (which
    signs nothing), else a signing secret with a bot token or OAuth credentials."""
    if socket_mode:
        return bool(settings.slack_bot_token and settings.slack_app_token)
    return bool(settings.slack_signing_secret and (settings.slack_bot_token or settings.slack_oauth))


async def slack_install(request: web.Request) -> web.Response:
    """The page with the "Add to Slack" link (and a fresh OAuth state in a cookie)."""
    flow = request.app[SLACK_KEY].oauth_flow
    return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))


async def slack_oauth_redirect(request: web.Request) -> web.Response:
    """Where Slack sends the installer back: the code is exchanged and the installation stored."""
    flow = request.app[SLACK_KEY].oauth_flow
    return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))


async def _start_slack(web_app: web.Application) -> None:
    slack = web_app[SLACK_KEY]
    await slack.workspaces.start()
    if slack.socket is not None:
        await slack.socket.connect_async()
    if slack.deliver:
        background = asyncio.gather(
            slack.worker.run(slack.stop), slack.profiles.run(slack.stop), slack.replays.run(slack.stop)
        )
        slack.task = asyncio.ensure_future(background)
        watch(web_app, "slack-delivery", lambda: not slack.task.done())


async def _stopping_slack(web_app: web.Application) -> None:
    """As soon as the server stops listening: no more Socket Mode requests, and the worker stops
    claiming and starts finishing what it holds (its grace runs beside the requests in flight)."""
    slack = web_app[SLACK_KEY]
    slack.stop.set()
    if slack.socket is not None:
        await slack.socket.close_async()


async def _stop_slack(web_app: web.Application) -> None:
    """After in-flight requests are done: wait for the worker to hand back what it did not send (and
    the profile filler to stop), then close the clients."""
    slack = web_app[SLACK_KEY]
    if slack.task is not None:
        await slack.task
    await slack.clients.close()


async def _start_database_upkeep(web_app: web.Application) -> None:
    await web_app[APP_KEY].db.start_upkeep()


async def _stop_database_upkeep(web_app: web.Application) -> None:
    await web_app[APP_KEY].db.stop_upkeep()


YOUNG_THRESHOLD = 10_000  # new container objects (net) between two collections; Python's default is 700


def settle_heap() -> None:
    """Once the server is built: collect what start-up left behind, then take the rest (modules,
    mappers, the catalogue: tens of thousands of long-lived objects) out of the cyclic garbage
    collector's sight with `gc.freeze()`, and collect the youngest objects less often.

    Measured on `python -m benchmarks slack`: every full collection walked them all and stopped the
    server for 51-70 ms under load, which made p99 at concurrency 64 155 ms; frozen, a full
    collection takes 1.3 ms and p99 was 93 ms. Objects made later are collected as usual.

    The youngest generation was collected after every 700 new objects: a batch of commands, or a
    delivery batch in hand, holds more than that for a moment, so at concurrency 64 the server ran
    334-355 collections in 6,000 requests (0.2 ms each, 4% of its time) that found almost nothing to
    free; at 10,000, one. What is left in cycles waits a little longer: at most 10,000 objects.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def build_server(
    app: App,
    *,
    slack: Slack | None = None,
    teams: TeamsSettings | None = None,
    tick_seconds: float | None = None,
    socket_mode: bool = False,
    environ: Mapping[str, str] | None = None,
) -> web.Application:
    """The aiohttp application. Slack's routes are there when Slack is configured (or given), Teams'
    when Teams is; with `tick_seconds`, due work (check-in prompts, reminders) runs that often. With
    `socket_mode`, Slack's requests come over Socket Mode; the HTTP routes stay for health and Teams.
    Given `environ`, the platforms it configures (DingTalk) are mounted too."""
    web_app = web.Application()
    web_app[APP_KEY] = app
    add_operations(web_app, app=app)
    web_app.on_startup.append(_start_database_upkeep)
    web_app.on_cleanup.append(_stop_database_upkeep)
    add_dashboard(web_app, app=app)
    if slack is None and slack_configured(app.settings, socket_mode=socket_mode):
        slack = build_slack(app, socket_mode=socket_mode)
    if slack is not None:
        web_app[SLACK_KEY] = slack
        if app.settings.slack_signing_secret:  # slash commands, interactivity and Events API, one URL
            endpoint = SlackEndpoint(bolt=slack.bolt, signing_secret=app.settings.slack_signing_secret)
            web_app.router.add_post("/slack/events", endpoint.handle)
        if slack.oauth_flow is not None:
            web_app.router.add_get(slack.oauth_flow.install_path, slack_install)
            web_app.router.add_get(slack.oauth_flow.redirect_uri_path, slack_oauth_redirect)
        web_app.on_startup.append(_start_slack)
        web_app.on_shutdown.append(_stopping_slack)
        web_app.on_cleanup.append(_stop_slack)
    if teams is not None and teams.enabled:
        # Imported here: botbuilder and its Azure libraries are 40 MB of memory a Slack-only server
        # need not hold.
        from adapters.teams.server import add_teams

        add_teams(web_app, app=app, settings=teams)
    # The platforms of the platform table (bot.platform) that `environ` configures
    for row in (DINGTALK,) if environ is not None else ():
        if row.build is not None and row.enabled(environ):
            row.build(app, environ).mount(WebHost(web_app))
    if tick_seconds:
        add_ticker(web_app, app=app, seconds=tick_seconds)
    return web_app
