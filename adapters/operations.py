"""What an operator's tools ask `rapport serve`: `/healthz` (the process answers), `/readyz` (it can
do its work: the database answers and the background tasks run), `/metrics` (Prometheus), and the
middleware that counts every request.

Background tasks (the delivery workers, the due-work tick) register a liveness check with `watch`
when they start; `/readyz` answers 503 naming any that stopped.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import text

from adapters.app import App

OPERATIONS_KEY = web.AppKey("rapport_operations", App)
WATCHED = web.AppKey("rapport_watched", dict)
DATABASE_TIMEOUT_S = 2.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def watch(web_app: web.Application, name: str, alive: Callable[[], bool]) -> None:
    """Have `/readyz` check that the background task `name` is still running."""
    web_app[WATCHED][name] = alive


def add_operations(web_app: web.Application, *, app: App) -> None:
    """Mount the three routes and count every request the application answers."""
    web_app[OPERATIONS_KEY] = app
    web_app[WATCHED] = {}
    web_app.middlewares.append(_counting(app))
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
    web_app.router.add_get("/metrics", metrics)


def _counting(app: App):
    metrics = app.metrics

    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        started, status = time.perf_counter(), 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as error:
            status = error.status
            raise
        except asyncio.CancelledError:
            status = 499  # the client went away first
            raise
        finally:
            resource = request.match_info.route.resource
            route = resource.canonical if resource is not None else "unmatched"
            metrics.request(route=route, status=status, seconds=time.perf_counter() - started)

    return count


async def healthz(request: web.Request) -> web.Response:
    """200 while the process answers: for a liveness probe, which must not fail with the database."""
    return web.json_response({"ok": True})


async def readyz(request: web.Request) -> web.Response:
    """200 when the database answers and every background task runs; else 503, saying what fails:
    for a load balancer's or an orchestrator's readiness probe."""
    app = request.app[OPERATIONS_KEY]
    checks = {"database": await _database_answers(app)}
    checks.update({name: bool(alive()) for name, alive in request.app[WATCHED].items()})
    ready = all(checks.values())
    return web.json_response({"ready": ready, "checks": checks}, status=200 if ready else 503)


async def _database_answers(app: App) -> bool:
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_S), app.db.read() as session:
            await session.execute(text("SELECT 1"))
    except Exception:  # unreachable, refused, timed out: not ready, whatever the cause
        return False
    return True


async def metrics(request: web.Request) -> web.Response:
    """Prometheus' scrape: the counters, and the backlog and lag read from the database now."""
    app = request.app[OPERATIONS_KEY]
    await app.metrics.refresh(app.db, now=app.clock.now())
    body, content_type = app.metrics.exposition(request.headers.get("Accept"))
    response = web.Response(body=body)
    response.headers["Content-Type"] = content_type
    return response
