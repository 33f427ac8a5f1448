"""Feishu `im.message.receive_v1` events against `rapport serve` and a bare lark-oapi handler, in one run.

    python -m benchmarks feishu            (PostgreSQL too when RAPPORT_TEST_POSTGRES_URL is set)
    python -m benchmarks.bench_feishu [--requests 2000] [--postgres postgresql+asyncpg://...]

The anchor is lark-oapi's `EventDispatcherHandler` as its samples use it, behind aiohttp: it checks
the verification token, parses the event and, in its `im.message.receive_v1` processor, inserts one row
into SQLite (WAL, `synchronous=NORMAL` as Rapport's SQLite: the same durability, no fsync per commit
on either side) and commits.

Rapport runs as `rapport serve --workers 1` runs (`adapters.workers`): the server process answers the
events, with its own Feishu delivery off, and one worker process, started by the server as in
production, delivers the cards from the same database. For every event the server does its whole job
on the answer path: verify, resolve the sender and the person mentioned (by open_id), check the daily
cap, write the kudos, its recipient and two outbox rows (the card to the recipient and the answer to
the sender) in one transaction, commit, and only then answer Feishu (commands that arrive together
share that transaction, `bot.batch`). During the rounds the worker claims those rows and sends both
cards to a fake Feishu Open Platform in a process of its own (Feishu is another machine). Each of the
six seeded people thanks the next in turn, so the cards go out in several conversations, as a team's
would. Due work (the tick) is off in the worker.

What is timed is what Feishu waits for: the answers' throughput and latency. Delivery is not in that
path, but it is not free either: the machine has 2 cores, shared by the driver, the anchor, the Rapport
server, its worker and the fake Feishu, and the worker's sends (and, on SQLite, its writes, which wait
for the server's write lock and make the server's wait for it) run during Rapport's rounds, not the
anchor's. After each of Rapport's rounds the driver waits until the outbox is empty (`settle s`, not
counted in the throughput, so that the next round starts on an idle machine), then counts the cards
the fake Feishu received; each card of the round it did not receive is an error.
Each server runs in its own process; the driver sends the load in rounds that alternate between the
servers (as `bench_slack` does) and prints events/s, p50/p99 and the ratio to the anchor, with the CPU
each server's process used per event during the timed rounds (`cpu ms`) and, for Rapport, what its
worker used per event from the round's start to the end of its settle step (`wk cpu`); at the end,
the fake Feishu's CPU per card. Those say where the 2 cores went, which the ratio alone does not.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import tempfile
import time
import uuid

import aiohttp

from benchmarks import servers
from benchmarks.servers import ROUNDS, compare, cpu_seconds, create_schema, run_forever, start
from tests.feishu.conftest import NAMES, TOKEN, message_event

FAKE_URL = "RAPPORT_BENCH_FEISHU_URL"  # the fake Feishu's address, for the Rapport servers
CARDS_PER_EVENT = 2  # the kudos to the recipient, the answer to the giver
WORKERS = 1  # delivery processes beside each Rapport server, as `rapport serve --workers 1`
HANDLES = sorted(NAMES)  # the seeded people
SETTLE_LIMIT = 120.0  # seconds a round's delivery may take before what is left counts as errors


async def serve_anchor(port_out) -> None:
    """The anchor: lark-oapi's dispatcher checks the token and hands the event to a processor that
    inserts one row."""
    import sqlite3

    import lark_oapi as lark
    from aiohttp import web

    path = os.path.join(tempfile.mkdtemp(), "anchor.db")
    db = sqlite3.connect(path, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # as Rapport's SQLite (store/db.py): the same durability
    db.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, open_id TEXT, content TEXT)")

    def received(data: lark.im.v1.P2ImMessageReceiveV1) -> None:
        sender = data.event.sender.sender_id.open_id
        db.execute(
            "INSERT INTO messages (open_id, content) VALUES (?, ?)", (sender, data.event.message.content)
        )
        db.commit()

    handler = (
        lark.EventDispatcherHandler.builder("", TOKEN, lark.LogLevel.ERROR)
        .register_p2_im_message_receive_v1(received)
        .build()
    )

    async def events(request: web.Request) -> web.Response:
        raw = lark.RawRequest()
        raw.uri, raw.body, raw.headers = request.path, await request.read(), dict(request.headers)
        answer = handler.do(raw)
        return web.Response(status=answer.status_code, body=answer.content, content_type="application/json")

    app = web.Application()
    app.router.add_post("/feishu/events", events)
    await run_forever(app, port_out)


async def serve_feishu(port_out) -> None:
    """The fake Feishu Open Platform the Rapport servers deliver to, knowing the seeded people."""
    from tests.feishu.conftest import open_id
    from tests.feishu.fake_feishu import FakeFeishu
    from tests.support import PEOPLE

    fake = FakeFeishu()
    await fake.start()
    for handle, name, *_ in PEOPLE:
        fake.add_user(open_id(handle), name=name, email=f"{handle}@example.com")
    print(f"PORT {fake.url.rsplit(':', 1)[1]}", file=port_out, flush=True)
    await asyncio.Event().wait()


async def serve_rapport(port_out, database_url: str | None) -> None:
    """`rapport serve --workers 1` with Feishu configured: this process answers the events and one
    worker process delivers the cards (see `rapport_server`)."""
    await run_forever(await rapport_server(database_url, feishu_url=os.environ[FAKE_URL]), port_out)


async def rapport_server(database_url: str | None, *, feishu_url: str, workers: int = WORKERS):
    """The aiohttp application `rapport serve --workers N` runs, with Feishu configured (its Open
    Platform at `feishu_url`), on a freshly migrated database with Acme seeded and everyone's open_id
    linked. Its own Feishu delivery is off (`build_server` turns it off with workers), and `workers`
    worker processes, started by `build_server` as `rapport serve` starts them (`adapters.workers`,
    new interpreters, once the server starts), deliver the cards from the same database; with none,
    nothing is delivered (the answer path alone: `benchmarks.profile_feishu`). Due work (the tick) is
    off: it is not what is measured, and prompts it sent would be counted among the cards."""
    from adapters.app import build_app
    from adapters.heap import settle_heap
    from adapters.platforms import enabled
    from adapters.server import build_server
    from benchmarks.seeding import seed_bench_org
    from bot.settings import Settings
    from store.db import Database
    from store.migrate import upgrade
    from tests.feishu.conftest import link_feishu_ids

    connect_args = {}
    if database_url is None:
        database_url = f"sqlite+aiosqlite:///{os.path.join(tempfile.mkdtemp(), 'rapport.db')}"
    else:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        await create_schema(database_url, schema)
        connect_args = {"server_settings": {"search_path": schema}}
    db = Database(url=database_url, connect_args=connect_args)
    await upgrade(db)
    environ = {  # what the server and its workers build their platforms from: Feishu alone
        "FEISHU_APP_ID": "cli_test",
        "FEISHU_APP_SECRET": "secret",
        "FEISHU_VERIFICATION_TOKEN": TOKEN,
        "FEISHU_DOMAIN": feishu_url,
        "RAPPORT_ORG": "acme",
    }
    app = build_app(Settings(database_url=database_url, org="acme", environ=environ), db=db)
    org = await seed_bench_org(app, values=["ownership"])
    await link_feishu_ids(app, org)
    platforms = enabled(app, environ)
    for platform in platforms:
        platform.deliver = False  # as `build_server` does with workers; without, no delivery at all
    server = build_server(app, platforms=platforms, workers=workers)
    settle_heap()  # as `rapport serve` does once it is listening
    return server


def sender(url: str):
    """Posts one kudos event (a new event id each) to `url`: each seeded person in turn thanks the next,
    as a team's kudos spread over people, so that their cards go out in several conversations."""

    async def send(session: aiohttp.ClientSession, n: int) -> bool:
        giver, receiver = HANDLES[n % len(HANDLES)], HANDLES[(n + 1) % len(HANDLES)]
        body = json.dumps(message_event(giver, f"/kudos @{receiver} shipped the migration {n} #ownership"))
        async with session.post(url, data=body, headers={"Content-Type": "application/json"}) as response:
            await response.read()
            return response.status == 200

    return send


_PENDING = re.compile(r'^rapport_outbox_pending\{[^}]*platform="feishu"[^}]*\} (\S+)$', re.M)


async def _pending(session: aiohttp.ClientSession, metrics_url: str) -> float:
    """Feishu's outbox messages not delivered yet (waiting or being sent), from a Rapport server's
    /metrics (read from the database it shares with its worker)."""
    async with session.get(metrics_url) as response:
        found = _PENDING.search(await response.text())
    return float(found[1]) if found else 0.0


async def _cards(session: aiohttp.ClientSession, fake_url: str) -> int:
    """The cards the fake Feishu has received so far, from every server."""
    async with session.get(f"{fake_url}/_fake/sent") as response:
        return (await response.json())["sent"]


def delivered(fake_url: str):
    """The settle step: wait until the server's Feishu outbox is empty, then count the cards the fake
    Feishu received since the last settle step; each card of the round it did not receive (failed,
    dropped or still waiting after `SETTLE_LIMIT`) is an error. The rounds run one after another and
    each Rapport round is settled before the next starts, so the cards received in between are that
    round's. (The deliveries counter of /metrics is no help: the worker process counts them.)"""
    received = 0

    async def settle(endpoint: str, requests: int) -> dict:
        nonlocal received
        metrics_url = endpoint.rsplit("/feishu/", 1)[0] + "/metrics"
        started = time.perf_counter()
        async with aiohttp.ClientSession() as session:
            while time.perf_counter() - started < SETTLE_LIMIT:
                if not await _pending(session, metrics_url):
                    break
                await asyncio.sleep(0.1)
            before, received = received, await _cards(session, fake_url)
        missing = CARDS_PER_EVENT * requests - (received - before)
        return {"settle": time.perf_counter() - started, "errors": max(missing, 0)}

    return settle


async def bench(*, requests: int, postgres: str | None, rounds: int = ROUNDS) -> None:
    fake, url = await start("benchmarks.bench_feishu", "feishu", None, path="")
    os.environ[FAKE_URL] = url  # the Rapport servers, started next, deliver there
    started = cpu_seconds(fake.pid)[0]  # its start-up (imports) is not a card's
    try:
        await compare(
            module="benchmarks.bench_feishu",
            path="/feishu/events",
            anchor="anchor (lark-oapi + 1 insert, SQLite)",
            postgres=postgres,
            sender=sender,
            requests=requests,
            rounds=rounds,
            unit="ev/s",
            settle=delivered(url),
        )
        async with aiohttp.ClientSession() as session:
            cards = await _cards(session, url)
        print(
            f"fake Feishu: {(cpu_seconds(fake.pid)[0] - started) / max(cards, 1) * 1000:.2f} ms CPU per card "
            f"({cards} cards, warm-up included)",
            flush=True,
        )
    finally:
        fake.terminate()
        await fake.wait()


def run() -> None:
    """`python -m benchmarks feishu`: the default load, with PostgreSQL when the test URL is set."""
    asyncio.run(bench(requests=2000, postgres=os.environ.get("RAPPORT_TEST_POSTGRES_URL")))


def main() -> None:
    servers.main(
        description=__doc__.splitlines()[0],
        serve_anchor=serve_anchor,
        serve_rapport=serve_rapport,
        bench=bench,
        serve_more={"feishu": serve_feishu},
    )


if __name__ == "__main__":
    main()
