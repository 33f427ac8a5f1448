"""Teams in `rapport serve`: `/api/messages`, and the Teams delivery worker in the server's loop."""

from __future__ import annotations

import asyncio

from aiohttp import web

from adapters.app import App
from adapters.operations import watch
from adapters.teams.connector import build_adapter
from adapters.teams.delivery import teams_worker
from adapters.teams.routes import teams_routes
from adapters.teams.sender import TeamsSender
from adapters.teams.settings import TeamsSettings


def add_teams(web_app: web.Application, *, app: App, settings: TeamsSettings) -> None:
    """Mount the Teams endpoint and run its delivery worker while the server runs.

    The CloudAdapter and the connector (one HTTP session, botbuilder's cached credentials and tokens)
    are shared by the endpoint and the sender, so replies and proactive messages use the same ones.
    """
    adapter = build_adapter(settings, clock=app.clock)
    web_app.add_routes(teams_routes(app=app, settings=settings, adapter=adapter))
    worker = teams_worker(app, TeamsSender(app=app, settings=settings, adapter=adapter))
    stop = asyncio.Event()
    tasks: list[asyncio.Task] = []

    async def start(_: web.Application) -> None:
        task = asyncio.create_task(worker.run(stop), name="teams-delivery")
        tasks.append(task)
        watch(web_app, "teams-delivery", lambda: not task.done())

    async def stopping(_: web.Application) -> None:  # the server stopped listening
        stop.set()

    async def finish(_: web.Application) -> None:  # requests in flight are done
        await asyncio.gather(*tasks)
        await adapter.connector.close()

    web_app.on_startup.append(start)
    web_app.on_shutdown.append(stopping)
    web_app.on_cleanup.append(finish)
