"""Where a kudos turn's time goes: statements per turn, CPU per turn, and a profile.

    python -m benchmarks.profile_turn [--turns 500] [--postgres URL] [--profile out.html]

Runs kudos turns (two recipients, in a channel) one after another through `Core.handle`, counts the
SQL statements each turn sends, and measures the process's CPU time per turn, which other load on a
shared machine disturbs far less than wall time. With `--profile`, pyinstrument (if installed)
writes an HTML profile of the same turns.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import event

from adapters.app import build_app
from benchmarks.seeding import seed_bench_org
from bot.clock import SystemClock
from bot.events import Actor, Channel, Command
from bot.settings import Settings
from store import orgs
from store.db import Database
from store.migrate import upgrade


async def _database(postgres: str | None) -> Database:
    if postgres is None:
        return Database(url=f"sqlite+aiosqlite:///{os.path.join(tempfile.mkdtemp(), 'profile.db')}")
    from benchmarks.servers import create_schema

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    await create_schema(postgres, schema)
    return Database(url=postgres, connect_args={"server_settings": {"search_path": schema}})


async def profile(*, turns: int, postgres: str | None, html: str | None) -> None:
    db = await _database(postgres)
    await upgrade(db)
    app = build_app(Settings(database_url=db.url, org="acme"), clock=SystemClock(), db=db)
    org = await seed_bench_org(app, values=["ownership"])
    async with db.transaction() as session:
        await orgs.link_workspace(
            session, org_id=org.id, platform="console", external_id="acme", now=app.clock.now()
        )
    actor = Actor(platform="console", org="acme", user_id="alice@example.com", email="alice@example.com")
    statements: collections.Counter[str] = collections.Counter()

    @event.listens_for(db.writer.sync_engine, "before_cursor_execute")
    def _count(_conn, _cursor, statement, *_args) -> None:
        statements[statement.split()[0].upper()] += 1

    async def turn(n: int) -> None:
        command = Command(
            actor=actor,
            channel=Channel(id="C0GENERAL"),
            name="kudos",
            text=f"@bob @wei shipped it {n} #ownership",
            event_id=f"Ev{uuid.uuid4().hex}",
        )
        reply = await app.core.handle(command)
        assert "Kudos sent" in reply.plain_text(), reply

    await turn(-1)
    statements.clear()
    profiler = _profiler(html)
    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(turns):
        await turn(n)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if profiler is not None:
        profiler.stop()
        text = html.endswith(".txt")
        output = profiler.output_text(unicode=True) if text else profiler.output_html()
        Path(html).write_text(output)  # noqa: ASYNC240 - once, after the measured turns
    await app.close()
    total = sum(statements.values())
    print(f"{'PostgreSQL' if postgres else 'SQLite'}: {turns} turns")
    print(
        f"  statements per turn {total / turns:.1f}: "
        + ", ".join(f"{k} {v / turns:.1f}" for k, v in statements.most_common())
    )
    print(f"  CPU per turn {cpu / turns * 1000:.2f} ms, wall per turn {wall / turns * 1000:.2f} ms")


def _profiler(html: str | None):
    if html is None:
        return None
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005, async_mode="enabled")
    profiler.start()
    return profiler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=500)
    parser.add_argument("--postgres", help="run on this PostgreSQL URL (in a schema of its own)")
    parser.add_argument(
        "--profile", help="write a pyinstrument profile here (text if it ends in .txt, else HTML)"
    )
    args = parser.parse_args()
    asyncio.run(profile(turns=args.turns, postgres=args.postgres, html=args.profile))


if __name__ == "__main__":
    main()
