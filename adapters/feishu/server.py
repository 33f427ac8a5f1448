"""Feishu in `rapport serve`: `/feishu/events` (or the long connection), and the Feishu delivery worker."""

from __future__ import annotations

import asyncio

from aiohttp import web

from adapters.app import App
from adapters.feishu.api import FeishuApi
from adapters.feishu.endpoint import FeishuEndpoint
from adapters.feishu.events import FeishuEvents
from adapters.feishu.sender import FeishuSender, feishu_worker
from adapters.feishu.settings import FeishuSettings
from adapters.operations import watch


def add_feishu(web_app: web.Application, *, app: App, settings: FeishuSettings, **worker_options) -> FeishuEvents:
    """Mount Feishu's request URL, learn the bot's open_id at start, and run its delivery worker."""
    api = FeishuApi(settings)
    events = FeishuEvents(app=app, settings=settings, api=api)
    if not settings.long_connection:
        web_app.router.add_post("/feishu/events", FeishuEndpoint(events=events, settings=settings).handle)
    worker = feishu_worker(app, FeishuSender(app=app, api=api), **worker_options)
    stop = asyncio.Event()
    tasks: list[asyncio.Task] = []

    async def start(_: web.Application) -> None:
        await events.learn_identity()
        task = asyncio.create_task(worker.run(stop), name="feishu-delivery")
        tasks.append(task)
        watch(web_app, "feishu-delivery", lambda: not task.done())
        if settings.long_connection:
            from adapters.feishu.longconn import LongConnection

            connection = LongConnection(settings=settings, events=events)
            tasks.append(asyncio.create_task(connection.run(stop), name="feishu-long-connection"))

    async def stopping(_: web.Application) -> None:
        stop.set()

    async def finish(_: web.Application) -> None:
        await asyncio.gather(*tasks)

    web_app.on_startup.append(start)
    web_app.on_shutdown.append(stopping)
    web_app.on_cleanup.append(finish)
    return events
