"""The one aiohttp application `rapport serve` runs: every enabled platform of the platform table
(`adapters.platforms`) mounted on it, the operator's routes (health, readiness, metrics), the
dashboard, and in the same event loop each platform's background work and the due-work tick."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from aiohttp import web

from adapters.app import App
from adapters.host import WebHost
from adapters.operations import add_operations, watch
from adapters.platforms import enabled
from adapters.ticker import add_ticker
from adapters.web.reports import ReportWorker
from adapters.web.routes import add_dashboard
from adapters.workers import Workers
from bot.platform import Platform

APP_KEY = web.AppKey("rapport", App)


async def _start_database_upkeep(web_app: web.Application) -> None:
    await web_app[APP_KEY].db.start_upkeep()


async def _stop_database_upkeep(web_app: web.Application) -> None:
    await web_app[APP_KEY].db.stop_upkeep()


def build_server(
    app: App,
    *,
    platforms: Sequence[Platform] | None = None,
    tick_seconds: float | None = None,
    reports: ReportWorker | None = None,
    workers: int = 0,
) -> web.Application:
    """The aiohttp application, with `platforms` mounted (by default, those the environment
    configures); with `tick_seconds`, due work (check-in prompts, reminders) runs that often.
    `reports` computes the dashboard's figures (by default a worker process of the server's own).
    With `workers`, that many processes deliver and run due work (`adapters.workers`), and this
    one only answers requests."""
    web_app = web.Application()
    web_app[APP_KEY] = app
    add_operations(web_app, app=app)
    web_app.on_startup.append(_start_database_upkeep)
    web_app.on_cleanup.append(_stop_database_upkeep)
    add_dashboard(web_app, app=app, reports=reports)
    if platforms is None:
        platforms = enabled(app, app.settings.environ)
    for platform in platforms:
        if workers:
            platform.deliver = False
        platform.mount(WebHost(web_app))
    if workers:
        _add_workers(web_app, app=app, count=workers, tick_seconds=tick_seconds)
    elif tick_seconds:
        add_ticker(web_app, app=app, seconds=tick_seconds)
    return web_app


def _add_workers(web_app: web.Application, *, app: App, count: int, tick_seconds: float | None) -> None:
    settings = dataclasses.replace(app.settings, database_url=app.db.url)
    pool = Workers(
        count=count,
        settings=settings,
        connect_args=app.db.connect_args,
        tick_seconds=tick_seconds,
        metrics=app.metrics,
    )

    async def start(_: web.Application) -> None:
        await pool.start()
        watch(web_app, "workers", pool.alive)

    async def stopping(_: web.Application) -> None:
        await pool.signal_stop()

    async def stop(_: web.Application) -> None:
        await pool.stop()

    web_app.on_startup.append(start)
    web_app.on_shutdown.append(stopping)  # they stop claiming while the last requests are answered
    web_app.on_cleanup.append(stop)
