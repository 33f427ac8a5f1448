"""Signed `/kudos` requests against `rapport serve` and against a bare slack-bolt anchor, in one run.

    python -m benchmarks slack            (PostgreSQL too when RAPPORT_TEST_POSTGRES_URL is set)
    python -m benchmarks.bench_slack [--requests 2000] [--postgres postgresql+asyncpg://...]

The anchor is a slack-bolt app with bolt's default ack path that verifies each request and inserts
one row into SQLite through a single connection (WAL, `synchronous=NORMAL`, as durable as Rapport's
SQLite: until 2026-12 the anchor paid an fsync per commit that Rapport does not, which flattered the
ratio). Rapport does its whole job for every request:
verify, resolve the giver and both people named, check the giver's daily cap, write the kudos, its
recipients and two outbox rows, and answer with the rendered reply. Commands that arrive together
share one transaction (`bot.batch`), so each request's rows are written with those of the requests
beside it, never apart from its own outbox rows. Each server runs in its own process; the driver here
sends the load, in rounds that alternate between the servers, and prints requests/s, p50/p99 latency,
errors and the ratio to the anchor's throughput (see `bench`).
All kudos come from one person, so the benchmark lifts the daily cap (`seed_bench_org`).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid

import aiohttp

from benchmarks import servers
from benchmarks.servers import ROUNDS, compare, create_schema, run_forever
from tests.slack.support import SIGNING_SECRET, USERS, signature_headers, slash_command

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
    await db.execute("PRAGMA synchronous=NORMAL")  # as Rapport's SQLite (store/db.py): the same durability
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
    await run_forever(app, port_out)


async def serve_rapport(port_out, database_url: str | None) -> None:
    """`rapport serve`'s application on a freshly migrated database with Acme seeded."""
    await run_forever(await rapport_server(database_url), port_out)


async def rapport_server(database_url: str | None):
    """The aiohttp application `rapport serve` runs, on a fresh database with Acme seeded, Slack's
    people linked and delivery off (the request path alone; `benchmarks.profile_slack` uses it too)."""

    from adapters.app import build_app
    from adapters.heap import settle_heap
    from adapters.server import build_server
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
        await create_schema(database_url, schema)
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
    return server


def sender(url: str):
    """Posts one signed /kudos to `url`; answered well when Rapport (or the anchor) says it was sent."""

    async def send(session: aiohttp.ClientSession, n: int) -> bool:
        body = slash_command(user=USERS["bob"], text=TEXT, channel="D0BOB")
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signature_headers(body)}
        async with session.post(url, data=body.encode(), headers=headers) as response:
            return response.status == 200 and "Kudos sent" in await response.text()

    return send


async def bench(*, requests: int, postgres: str | None, rounds: int = ROUNDS) -> None:
    """Every server started at once, then rounds alternating between them (`servers.compare`)."""
    await compare(
        module="benchmarks.bench_slack",
        path="/slack/events",
        anchor="anchor (bolt + 1 insert, SQLite)",
        postgres=postgres,
        sender=sender,
        requests=requests,
        rounds=rounds,
    )


def run() -> None:
    """`python -m benchmarks slack`: the default load, with PostgreSQL when the test URL is set."""
    asyncio.run(bench(requests=2000, postgres=os.environ.get("RAPPORT_TEST_POSTGRES_URL")))


def main() -> None:
    servers.main(
        description=__doc__.splitlines()[0],
        serve_anchor=serve_anchor,
        serve_rapport=serve_rapport,
        bench=bench,
    )


if __name__ == "__main__":
    main()
