"""The due-work tick in `rapport serve`: an APScheduler job that calls `run_due(now)` every few seconds.

The work itself is claimed in the database (`bot.scheduler`), so several server processes on one
PostgreSQL can all tick without sending anything twice.
"""

from __future__ import annotations

import logging

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from adapters.app import App
from adapters.operations import watch
from bot.features import build_scheduler

log = logging.getLogger(__name__)


def add_ticker(web_app: web.Application, *, app: App, seconds: float) -> None:
    """Run due work every `seconds` while the server runs; one run at a time, missed runs merged."""
    due = build_scheduler(db=app.db, catalogue=app.catalogue)
    ticker = AsyncIOScheduler()

    async def tick() -> None:
        report = await due.run_due(app.clock.now())
        if report.done or report.failed:
            log.info("due work: %s done, %s skipped, %s failed", report.done, report.skipped, report.failed)

    async def start(_: web.Application) -> None:
        ticker.add_job(tick, "interval", seconds=seconds, max_instances=1, coalesce=True, id="run_due")
        ticker.start()
        watch(web_app, "due-work", lambda: ticker.running and ticker.get_job("run_due") is not None)

    async def stop(_: web.Application) -> None:
        ticker.shutdown(wait=False)

    web_app.on_startup.append(start)
    web_app.on_shutdown.append(stop)  # no new run once the server stops listening
