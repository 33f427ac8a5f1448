"""SQLite write bursts: Rapport's single-writer kudos turns against a default-pool ORM baseline.

The baseline is what SQLAlchemy gives by default: an async engine on aiosqlite with its default pool,
every writer in its own deferred transaction inserting one kudos row, racing for SQLite's write lock.
Rapport runs its whole job per request: organisation and person resolution, the kudos, its recipients
and one outbox row per recipient, in one transaction through the single writer connection.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from adapters.app import build_app
from adapters.console.chat import ConsoleChat
from benchmarks.seeding import seed_bench_org
from benchmarks.stats import line, summary
from bot.clock import SystemClock
from bot.events import Actor, Channel, Command
from bot.settings import Settings
from store.db import Database
from store.migrate import upgrade
from store.models import Kudos

PER_WORKER = 20


async def _timed(concurrency: int, job) -> tuple[list[float], float]:
    samples: list[float] = []

    async def worker(w: int) -> None:
        for i in range(PER_WORKER):
            start = time.perf_counter()
            await job(w, i)
            samples.append((time.perf_counter() - start) * 1000)

    start = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    return samples, time.perf_counter() - start


async def _prepared(path: Path):
    url = f"sqlite+aiosqlite:///{path}"
    db = Database(url=url)
    await upgrade(db)
    app = build_app(Settings(database_url=url, org="acme"), clock=SystemClock(), db=db)
    org = await seed_bench_org(app, values=[])
    assert await ConsoleChat(app=app, org="acme").open()
    return app, org


async def baseline(path: Path, concurrency: int) -> tuple[list[float], float]:
    app, org = await _prepared(path)
    await app.close()
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")  # default pool, deferred BEGIN
    sessions = async_sessionmaker(engine)

    async def insert(w: int, i: int) -> None:
        async with sessions() as session, session.begin():
            session.add(
                Kudos(
                    org_id=org.id,
                    giver_id=1,
                    message=f"thanks {w}/{i}",
                    company_values=[],
                    platform="console",
                    channel_id=None,
                    created_at=datetime.now(UTC),
                )
            )

    try:
        return await _timed(concurrency, insert)
    finally:
        await engine.dispose()


async def rapport(path: Path, concurrency: int) -> tuple[list[float], float]:
    app, _ = await _prepared(path)
    actor = Actor(platform="console", org="acme", user_id="alice@example.com", email="alice@example.com")

    async def kudos(w: int, i: int) -> None:
        command = Command(
            actor=actor, channel=Channel(id="dm"), name="kudos", text=f"@bob @wei thanks {w}/{i}"
        )
        reply = await app.core.handle(command)
        assert reply is not None and "Kudos sent" in reply.plain_text(), reply

    try:
        await app.core.handle(
            Command(actor=actor, channel=Channel(id="dm"), name="kudos", text="@bob warm up")
        )
        return await _timed(concurrency, kudos)
    finally:
        await app.close()


async def _main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for concurrency in (1, 8, 64):
            samples, seconds = await baseline(Path(folder) / f"base{concurrency}.db", concurrency)
            base = summary(samples, seconds=seconds)
            samples, seconds = await rapport(Path(folder) / f"rapport{concurrency}.db", concurrency)
            ours = summary(samples, seconds=seconds)
            print(f" concurrency {concurrency} ({concurrency * PER_WORKER} writes)")
            print(line("baseline: default pool, one-row insert", base))
            print(line("rapport: whole kudos turn, single writer", ours))
            print(
                f"  ratio rapport/baseline: throughput {ours['per_s'] / base['per_s']:.2f}x, "
                f"p99 {ours['p99'] / base['p99']:.2f}x, max {ours['max'] / base['max']:.2f}x"
            )


def run() -> None:
    asyncio.run(_main())
