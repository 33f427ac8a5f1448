"""Signed `/kudos` requests against `rapport serve` and against a bare slack-bolt anchor, in one run.

    python -m benchmarks slack            (PostgreSQL too when RAPPORT_TEST_POSTGRES_URL is set)
    python -m benchmarks.bench_slack [--requests 2000] [--postgres postgresql+asyncpg://...]

The anchor is a slack-bolt app with bolt's default ack path that verifies each request and inserts
one row into SQLite through a single connection. Rapport does its whole job for every request:
verify, resolve the giver and both people named, check the giver's daily cap, write the kudos, its
recipients and two outbox rows, and answer with the rendered reply. Commands that arrive together
share one transaction (`bot.batch`), so each request's rows are written with those of the requests
beside it, never apart from its own outbox rows. Each server runs in its own process; the driver here
sends the load, in rounds that alternate between the servers, and prints requests/s, p50/p99 latency,
errors and the ratio to the anchor's throughput (see `bench`).
All kudos come from one person, so the benchmark lifts the daily cap (`seed_bench_org`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
import uuid

import aiohttp

from tests.slack.support import SIGNING_SECRET, USERS, signature_headers, slash_command

CONCURRENCY = (1, 8, 64)
ROUNDS = 3
TEXT = f"<@{USERS['alice']}|alice> <@{USERS['wei']}|wei> shipped the migration on time #ownership"


async def serve_anchor(port_out) -> None:
    """The anchor: verify with slack-bolt, insert one row, ack (bolt's default, not inline, ack)."""
    import aiosqlite
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.authorization import AuthorizeResult

    path = os.path.join(tempfile.mkdtemp(), "anchor.db")
    db = await aiosqlite.connect(path)
    await db.execute("PRAGMA journal_mode=WAL")
    await db.execute("CREATE TABLE kudos (id INTEGER PRIMARY KEY, user_id TEXT, text TEXT)")
    lock = asyncio.Lock()

    async def authorize(enterprise_id, team_id):
        return AuthorizeResult(
            enterprise_id=None, team_id=team_id, bot_token="xoxb-anchor", bot_user_id="U0BOT"
        )

    bolt = AsyncApp(signing_secret=SIGNING_SECRET, authorize=authorize)

    @bolt.command("/kudos")
    async def kudos(ack, command):
        async with lock:
            await db.execute(
                "INSERT INTO kudos (user_id, text) VALUES (?, ?)", (command["user_id"], command["text"])
            )
            await db.commit()
        await ack("Kudos sent.")

    async def events(request):
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    await _run_forever(app, port_out)


async def serve_rapport(port_out, database_url: str | None) -> None:
    """`rapport serve`'s application on a freshly migrated database with Acme seeded."""

    from adapters.app import build_app
    from adapters.server import build_server, settle_heap
    from adapters.slack.clients import SlackClients
    from adapters.slack.platform import build_slack
    from benchmarks.seeding import seed_bench_org
    from bot.settings import Settings
    from store import people
    from store.db import Database
    from store.migrate import upgrade
    from tests.slack.fake_slack import BOT_USER_ID, TEAM_ID, FakeSlack

    fake = await FakeSlack().start()  # answers auth.test at start-up; nothing else is called
    fake.add_team(TEAM_ID, name="Acme", token="xoxb-bench", bot_user_id=BOT_USER_ID, code="bench")
    connect_args = {}
    if database_url is None:
        database_url = f"sqlite+aiosqlite:///{os.path.join(tempfile.mkdtemp(), 'rapport.db')}"
    else:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        await _create_schema(database_url, schema)
        connect_args = {"server_settings": {"search_path": schema}}
    db = Database(url=database_url, connect_args=connect_args)
    await upgrade(db)
    settings = Settings(
        database_url=database_url,
        org="acme",
        environ={
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.url,
        },
    )
    app = build_app(settings, db=db)
    org = await seed_bench_org(app, values=["ownership"])
    async with db.transaction() as session:
        for handle, user_id in USERS.items():
            person = await people.by_handle(session, org_id=org.id, handle=handle)
            await people.add_identity(
                session, org_id=org.id, person_id=person.id, platform="slack", user_id=user_id
            )
    slack = build_slack(app, clients=SlackClients(base_url=fake.url))
    slack.deliver = False  # the request path is measured; delivery is another process's worth of work
    server = build_server(app, platforms=[slack])
    settle_heap()  # as `rapport serve` does once it is listening
    await _run_forever(server, port_out)


async def _create_schema(url: str, schema: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    await engine.dispose()


async def _run_forever(app, port_out) -> None:
    from aiohttp import web

    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host="127.0.0.1", port=0).start()
    print(f"PORT {runner.addresses[0][1]}", file=port_out, flush=True)
    await asyncio.Event().wait()


async def drive(url: str, *, concurrency: int, requests: int) -> dict:
    """Send `requests` signed /kudos with `concurrency` in flight; latency and throughput."""
    latencies: list[float] = []
    errors = 0
    remaining = iter(range(requests))

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        for _ in remaining:
            body = slash_command(user=USERS["bob"], text=TEXT, channel="D0BOB")
            headers = {"Content-Type": "application/x-www-form-urlencoded", **signature_headers(body)}
            started = time.perf_counter()
            async with session.post(url, data=body.encode(), headers=headers) as response:
                text = await response.text()
                if response.status != 200 or "Kudos sent" not in text:
                    errors += 1
            latencies.append(time.perf_counter() - started)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": requests / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "errors": errors,
    }


async def start(kind: str, database_url: str | None) -> tuple[asyncio.subprocess.Process, str]:
    args = [sys.executable, "-m", "benchmarks.bench_slack", "--serve", kind]
    if database_url:
        args += ["--postgres", database_url]
    process = await asyncio.create_subprocess_exec(*args, stdout=asyncio.subprocess.PIPE)
    while line := (await process.stdout.readline()).decode():
        if match := re.match(r"PORT (\d+)", line):
            return process, f"http://127.0.0.1:{match.group(1)}/slack/events"
    raise RuntimeError(f"{kind} server did not start")


async def bench(*, requests: int, postgres: str | None, rounds: int = ROUNDS) -> None:
    """Every server started at once; at each concurrency, `rounds` rounds of the anchor then each
    Rapport. A row's req/s and p50 are the median of its rounds, its p99 the worst, its ratio the
    median of the rounds' ratios: the machine's speed drifts between phases a few seconds apart
    (the anchor alone ran at 1,100-1,800 req/s at concurrency 64 in runs minutes apart), and a
    ratio of two phases measured back to back is steadier than one of phases a minute apart."""
    targets = [("anchor (bolt + 1 insert, SQLite)", "anchor", None), ("rapport (SQLite)", "rapport", None)]
    if postgres:
        targets.append(("rapport (PostgreSQL)", "rapport", postgres))
    started = [await start(kind, url) for _, kind, url in targets]
    print(f"{'server':34} {'conc':>4} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'x anchor':>8}")
    try:
        for _, endpoint in started:
            await drive(endpoint, concurrency=8, requests=200)  # warm-up
        for concurrency in CONCURRENCY:
            results: list[list[dict]] = [[] for _ in targets]
            for _ in range(rounds):
                for mine, (_, endpoint) in zip(results, started, strict=True):
                    mine.append(await drive(endpoint, concurrency=concurrency, requests=requests))
            for (label, _, _), mine in zip(targets, results, strict=True):
                ratios = [r["rps"] / a["rps"] for r, a in zip(mine, results[0], strict=True)]
                print(
                    f"{label:34} {concurrency:>4} {statistics.median(r['rps'] for r in mine):>8.0f} "
                    f"{statistics.median(r['p50'] for r in mine):>8.1f} {max(r['p99'] for r in mine):>8.1f} "
                    f"{sum(r['errors'] for r in mine):>6} {statistics.median(ratios):>8.2f}"
                    + ("" if mine is results[0] else f"   rounds: {' '.join(f'{x:.2f}' for x in ratios)}"),
                    flush=True,
                )
    finally:
        for process, _ in started:
            process.terminate()
            await process.wait()


def run() -> None:
    """`python -m benchmarks slack`: the default load, with PostgreSQL when the test URL is set."""
    asyncio.run(bench(requests=2000, postgres=os.environ.get("RAPPORT_TEST_POSTGRES_URL")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="a server's requests in one round")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--postgres", help="also run Rapport on this PostgreSQL URL (a schema of its own)")
    parser.add_argument("--serve", choices=("anchor", "rapport"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve == "anchor":
        asyncio.run(serve_anchor(sys.stdout))
    elif args.serve == "rapport":
        asyncio.run(serve_rapport(sys.stdout, args.postgres))
    else:
        asyncio.run(bench(requests=args.requests, postgres=args.postgres, rounds=args.rounds))


if __name__ == "__main__":
    main()
