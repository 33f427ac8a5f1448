"""Teams activities over HTTP: Rapport's /api/messages against a bare botbuilder echo bot (the anchor).

The anchor is botbuilder as its samples use it: a CloudAdapter with ConfigurationBotFrameworkAuthentication
and an echo bot replying through the connector. Rapport does its whole job per activity: tenant →
organisation, conversation reference, de-duplication, person resolution, the kudos with its recipient
and outbox row in one transaction (SQLite), and an Adaptive Card reply through the connector. Both run
in local mode (no tokens) against the same fake connector on 127.0.0.1, with 64 concurrent senders.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from adapters.app import build_app
from adapters.teams.connector import build_adapter
from adapters.teams.routes import teams_routes
from adapters.teams.settings import TeamsSettings
from benchmarks.seeding import seed_bench_org
from benchmarks.stats import line, summary
from bot.clock import SystemClock
from bot.settings import Settings
from store.db import Database
from store.migrate import upgrade
from tests.teams.conftest import activity, link_teams_ids, mention, serve
from tests.teams.fake_connector import FakeConnector

CONCURRENCY = 64
PER_WORKER = 30


class _EchoBot:
    async def on_turn(self, context) -> None:
        await context.send_activity(f"echo: {context.activity.text}")


def _anchor_routes() -> list[web.RouteDef]:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(TeamsSettings().bot_configuration()))
    bot = _EchoBot()

    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, bot)

    return [web.post("/api/messages", messages)]


async def _load(url: str, service_url: str, *, text: str) -> tuple[list[float], float]:
    """CONCURRENCY senders, PER_WORKER activities each; latency per activity in ms, and wall time."""
    samples: list[float] = []
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def send(w: int, i: int) -> None:
            body = activity("bob", service_url=service_url, text=text.format(n=f"{w}/{i}"))
            body["entities"] = [mention("alice")]
            body["id"] = uuid.uuid4().hex
            start = time.perf_counter()
            async with http.post(url, json=body) as response:
                assert response.status == 201, (response.status, await response.text())
            samples.append((time.perf_counter() - start) * 1000)

        async def worker(w: int) -> None:
            for i in range(PER_WORKER):
                await send(w, i)

        await send(-1, 0)  # warm up: first contact links the tenant, first connector client
        samples.clear()
        start = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(CONCURRENCY)))
        return samples, time.perf_counter() - start


async def anchor(fake: FakeConnector) -> tuple[list[float], float]:
    runner, url = await serve(_anchor_routes())
    try:
        return await _load(url, fake.url, text="hello {n}")
    finally:
        await runner.cleanup()


async def rapport(fake: FakeConnector, folder: Path) -> tuple[list[float], float]:
    db_url = f"sqlite+aiosqlite:///{folder / 'teams.db'}"
    db = Database(url=db_url)
    await upgrade(db)
    app = build_app(Settings(database_url=db_url, org="acme"), clock=SystemClock(), db=db)
    org = await seed_bench_org(app, values=[])
    await link_teams_ids(app, org)
    settings = TeamsSettings(org="acme")
    connection = build_adapter(settings, clock=app.clock)
    runner, url = await serve(teams_routes(app=app, settings=settings, adapter=connection))
    try:
        return await _load(url, fake.url, text="kudos <at>Alice Smith</at> thanks for {n}")
    finally:
        await runner.cleanup()
        await connection.connector.close()
        await app.close()


async def _main() -> None:
    fake = FakeConnector()
    await fake.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            samples, seconds = await anchor(fake)
            base = summary(samples, seconds=seconds)
            samples, seconds = await rapport(fake, Path(folder))
            ours = summary(samples, seconds=seconds)
    finally:
        await fake.stop()
    print(f" concurrency {CONCURRENCY} ({CONCURRENCY * PER_WORKER} activities each)")
    print(line("anchor: botbuilder CloudAdapter echo bot", base))
    print(line("rapport: kudos turn, card reply", ours))
    print(
        f"  ratio rapport/anchor: throughput {ours['per_s'] / base['per_s']:.2f}x, "
        f"p99 {ours['p99'] / base['p99']:.2f}x"
    )


def run() -> None:
    asyncio.run(_main())
