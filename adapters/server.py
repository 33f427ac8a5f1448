"""The one aiohttp application `rapport serve` runs: Slack's request URL, Teams' messaging endpoint,
a health check, and in the same event loop the delivery workers and the due-work tick."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from adapters.app import App
from adapters.delivery import DeliveryWorker
from adapters.slack.clients import SlackClients
from adapters.slack.inbound import PLATFORM as SLACK
from adapters.slack.listeners import SlackListeners, build_bolt_app
from adapters.slack.sender import SlackSender
from adapters.slack.workspaces import SingleWorkspace
from adapters.teams.server import add_teams
from adapters.teams.settings import TeamsSettings
from adapters.ticker import add_ticker
from adapters.web.routes import add_dashboard

APP_KEY = web.AppKey("rapport", App)


@dataclass(kw_only=True)
class Slack:
    """Everything Slack-shaped the server holds: the bolt app, the clients and the delivery worker."""

    bolt: AsyncApp
    clients: SlackClients
    workspaces: SingleWorkspace
    worker: DeliveryWorker
    deliver: bool = True  # tests that drive delivery themselves turn the background worker off
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task | None = None


SLACK_KEY = web.AppKey("slack", Slack)


def build_slack(
    app: App, *, clients: SlackClients | None = None, worker_options: dict | None = None
) -> Slack:
    """The Slack side of the server in single-workspace mode (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)."""
    settings = app.settings
    clients = clients or SlackClients(base_url=settings.slack_api_url)
    workspaces = SingleWorkspace(
        token=settings.slack_bot_token, clients=clients, db=app.db, clock=app.clock, org_slug=settings.org
    )
    listeners = SlackListeners(
        core=app.core, db=app.db, clock=app.clock, catalogue=app.catalogue, workspaces=workspaces
    )
    bolt = build_bolt_app(
        listeners=listeners,
        signing_secret=settings.slack_signing_secret,
        workspaces=workspaces,
        client=clients.client(None),
    )
    sender = SlackSender(db=app.db, workspaces=workspaces, catalogue=app.catalogue)
    worker = DeliveryWorker(
        db=app.db, clock=app.clock, platform=SLACK, sender=sender, **(worker_options or {})
    )
    return Slack(bolt=bolt, clients=clients, workspaces=workspaces, worker=worker)


async def healthz(request: web.Request) -> web.Response:
    """200 while the database answers; load balancers and `make demo` poll it."""
    app = request.app[APP_KEY]
    async with app.db.read() as session:
        await session.connection()
    return web.json_response({"ok": True})


async def slack_events(request: web.Request) -> web.Response:
    """Slash commands, interactivity and Events API, all on one URL as the manifest says."""
    bolt = request.app[SLACK_KEY].bolt
    return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))


async def _start_slack(web_app: web.Application) -> None:
    slack = web_app[SLACK_KEY]
    await slack.workspaces.start()
    if slack.deliver:
        slack.task = asyncio.create_task(slack.worker.run(slack.stop), name="slack-delivery")


async def _stop_slack(web_app: web.Application) -> None:
    """After in-flight requests are done: let the worker finish its batch, then close the clients."""
    slack = web_app[SLACK_KEY]
    slack.stop.set()
    if slack.task is not None:
        await slack.task
    await slack.clients.close()


def build_server(
    app: App,
    *,
    slack: Slack | None = None,
    teams: TeamsSettings | None = None,
    tick_seconds: float | None = None,
) -> web.Application:
    """The aiohttp application. Slack's routes are there when Slack is configured (or given), Teams'
    when Teams is; with `tick_seconds`, due work (check-in prompts, reminders) runs that often."""
    web_app = web.Application()
    web_app[APP_KEY] = app
    web_app.router.add_get("/healthz", healthz)
    add_dashboard(web_app, app=app)
    if slack is None and app.settings.slack_bot_token and app.settings.slack_signing_secret:
        slack = build_slack(app)
    if slack is not None:
        web_app[SLACK_KEY] = slack
        web_app.router.add_post("/slack/events", slack_events)
        web_app.on_startup.append(_start_slack)
        web_app.on_cleanup.append(_stop_slack)
    if teams is not None and teams.enabled:
        add_teams(web_app, app=app, settings=teams)
    if tick_seconds:
        add_ticker(web_app, app=app, seconds=tick_seconds)
    return web_app
