"""The `mixed` benchmark's world: an organisation with a year of data, its fake Slack, its fan-out.

The organisation is the digest benchmark's (`bench_digest.generate`: teams of twelve, a year of weekly
check-ins, kudos, actions and reviews ending today), in ten departments as the report benchmark has
it (the hardest shape for the suppression). The first team (people 1 to `LOAD_PEOPLE`) sends the
load: person 1 is HR and looks at the dashboard; their Slack ids start `UL`, so the fake can tell the
load's messages from the fan-out's. Everyone else (`FANOUT` people) has a weekly check-in.

It is a Monday like any other, not the day Rapport was installed: everyone's Slack profile was
fetched long ago. (Without that, the server's profile filler fetched profiles without a pause for the
whole benchmark, a quarter of the server's CPU in a quick run, in both phases but not equally.)
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
import uuid
from datetime import UTC, datetime, timedelta

import aiohttp
from aiohttp import web
from sqlalchemy import String, cast, delete, func, insert, literal, select, text, update
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.slack.tables import SlackProfile
from benchmarks.bench_digest import generate
from benchmarks.seeding import NO_CAP
from bot.insights.signin import issue_link, redeem_link
from store import directory, due_work, roles, schedules
from store.checkin_models import FormSession
from store.db import Database
from store.insights_facts import CHECKIN_FORM
from store.migrate import upgrade
from store.models import Organisation, OutboxMessage, Person
from tests.slack.fake_slack import BOT_USER_ID, TEAM_ID, FakeSlack, _channel

PROMPT = "checkin.prompt"  # the due work that opens a check-in and DMs its first question
LOAD_PEOPLE = 13  # person 1 (HR, a manager) and their team of twelve
TOKEN = "xoxb-mixed"


def slack_id(person_id: int) -> str:
    return f"UL{person_id:07d}" if person_id <= LOAD_PEOPLE else f"U{person_id:07d}"


async def open_database(url: str | None, folder: str) -> tuple[Database, str, dict]:
    """A migrated database: a SQLite file in `folder`, or a schema of its own on PostgreSQL at `url`.

    Returns:
        The database, its URL and the connect arguments the server must use to see the same schema.
    """
    connect_args: dict = {}
    if url is None:
        url = f"sqlite+aiosqlite:///{folder}/mixed.db"
    else:
        schema = f"bench_mixed_{uuid.uuid4().hex[:8]}"
        engine = create_async_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        await engine.dispose()
        connect_args = {"server_settings": {"search_path": schema}}
    db = Database(url=url, connect_args=connect_args)
    await upgrade(db)
    return db, url, connect_args


async def drop_schema(url: str, connect_args: dict) -> None:
    schema = connect_args.get("server_settings", {}).get("search_path")
    if schema:
        engine = create_async_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await engine.dispose()


async def populate(db: Database, *, fanout: int, now: datetime) -> str:
    """Generate the organisation and give it what the load needs; HR's dashboard session token."""
    n = LOAD_PEOPLE + fanout
    await generate(db, n, now=now.replace(hour=0, minute=0, second=0, microsecond=0))
    async with db.transaction() as session:
        await session.execute(
            update(Person).values(department=literal("Dept ") + cast(Person.id % 10, String))
        )
        await session.execute(update(Organisation).values(daily_give_cap=NO_CAP))
        await directory.add_identities(
            session,
            org_id=1,
            identities=[
                {"person_id": i, "platform": "slack", "platform_user_id": slack_id(i)}
                for i in range(1, n + 1)
            ],
        )
        await session.execute(
            insert(SlackProfile),
            [{"org_id": 1, "user_id": slack_id(i), "fetched_at": now} for i in range(1, n + 1)],
        )
        await roles.grant(session, org_id=1, person_id=1, role="hr", now=now)
        plan = {"cadence": "weekly", "weekday": now.weekday(), "hour": 9, "minute": 0, "anchor": now.date()}
        await schedules.add_schedules(
            session, org_id=1, rows=[{"person_id": i, **plan} for i in fanout_people(fanout)], now=now
        )
        link = await issue_link(session, org_id=1, person_id=1, now=now)
        token = await redeem_link(session, token=link, now=now)
    if not db.is_sqlite:
        async with db.transaction() as session:
            await session.execute(text("ANALYZE"))
    return token


def fanout_people(fanout: int) -> range:
    return range(LOAD_PEOPLE + 1, LOAD_PEOPLE + 1 + fanout)


async def fanout_due(db: Database, *, fanout: int, at: datetime) -> None:
    """Everyone's check-in prompt due at `at`, as on a Monday at 09:00; what an earlier round opened
    is taken away first, so that each round asks everyone again."""
    async with db.transaction() as session:
        await session.execute(
            delete(FormSession).where(
                FormSession.form_key == CHECKIN_FORM,
                FormSession.subject >= (at - timedelta(days=1)).date().isoformat(),
            )
        )
        await due_work.add_due_many(
            session, org_id=1, kind=PROMPT, work=[(i, at) for i in fanout_people(fanout)], now=at
        )


async def outbox_settled(db: Database, *, within: float = 120) -> None:
    """Wait until nothing is left to deliver (the load's DMs of a phase before), so that the next
    phase's fan-out is measured alone."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        async with db.read() as session:
            waiting = await session.scalar(
                select(func.count()).where(OutboxMessage.status.in_(("pending", "sending")))
            )
        if not waiting:
            return
        await asyncio.sleep(0.25)
    raise RuntimeError(f"the outbox did not empty: {waiting} messages still to deliver")


async def schedule_fanout(db, *, people: int, lead: float) -> float:
    """Everyone's prompt due `lead` seconds from now (written before any load starts, so that the
    driver's own write is not in the server's way); when, as a UNIX time."""
    due = now_utc() + timedelta(seconds=lead)
    await fanout_due(db, fanout=people, at=due)
    return due.timestamp()


async def delivered(http: aiohttp.ClientSession, fake_url: str, *, due: float, people: int) -> dict:
    """Wait for the fake to have every prompt; the rate from the first to the last."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        await asyncio.sleep(0.25)
        async with http.get(f"{fake_url}bench.prompts", params={"since": str(due - 1)}) as answer:
            seen = await answer.json()
        if seen["count"] >= people:
            spread = max(seen["last"] - seen["first"], 1e-3)
            return {
                "rate": people / spread,
                "whole": seen["last"] - due,
                "count": seen["count"],
                "span": (seen["first"], seen["last"]),
            }
    raise RuntimeError(f"the fan-out did not finish: {seen['count']} of {people} delivered")


# The first messages are checked against Block Kit's rules as in the tests; the rest only counted. The
# check (slack_sdk's models) cost the fake 0.3 ms a message, more than Rapport's worker spends sending
# it, on the same two cores: the benchmark measured the fake. Every kind of message is checked by the
# tests (tests/payloads).
CHECKED = 500


def is_fanout(channel: str) -> bool:
    """Whether a message went to one of the fan-out's people: their DM is `D` and digits (`slack_id`).
    The load's people are `UL…`: their DMs are `DL…` when Rapport writes first (kudos) and `D0UL…`
    when it answers their DM (the event's channel). Until 2026-12 the answers to the load's DMs were
    counted as prompts: the fan-out's "first prompt" was then a DM answer from before it began, and
    the mixed rate came out about a fifth too low."""
    return channel[1:].isdigit()


class CountingSlack(FakeSlack):
    """The fake Web API, noting when each message to someone outside the load's team was posted;
    `bench.prompts?since=` answers how many since then, and the first and last time."""

    def __init__(self) -> None:
        super().__init__()
        self.prompt_times: list[float] = []
        self.checked = (
            0  # messages checked by Block Kit's rules (slack_sdk's models), as the tests' fake does
        )

    def _chat_postMessage(self, params: dict) -> dict:
        if self.checked >= CHECKED:  # Slack's servers check blocks on their own machines, not on ours
            self._ts += 1
            answer = {"ok": True, "channel": _channel(params["channel"]), "ts": f"1764000000.{self._ts:06d}"}
        else:
            self.checked += 1
            answer = super()._chat_postMessage(params)
        if answer.get("ok") and is_fanout(answer["channel"]):
            self.prompt_times.append(time.time())
        self.messages.clear()  # the benchmark reads no history; 10,000 messages a round add up
        return answer

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "bench.prompts":
            since = float(request.query["since"])
            times = [t for t in self.prompt_times if t >= since]
            self.calls.clear()
            return web.json_response(
                {
                    "ok": True,
                    "count": len(times),
                    "first": min(times, default=0),
                    "last": max(times, default=0),
                }
            )
        return await super()._handle(request)


def _serve_fake(urls, stop) -> None:
    async def serve() -> None:
        fake = CountingSlack()
        fake.add_team(TEAM_ID, name="Big", token=TOKEN, bot_user_id=BOT_USER_ID, code="mixed")
        await fake.start()
        urls.put(fake.url)
        await asyncio.to_thread(stop.wait)
        await fake.stop()

    asyncio.run(serve())


class FakeProcess:
    """The fake Slack in a process of its own, so its CPU and memory are not counted as Rapport's."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._urls, self._stop = context.Queue(), context.Event()
        self._process = context.Process(target=_serve_fake, args=(self._urls, self._stop), daemon=True)
        self.url = ""

    def __enter__(self) -> FakeProcess:
        self._process.start()
        self.url = self._urls.get(timeout=60)
        self.pid = self._process.pid
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._process.join(timeout=30)


def now_utc() -> datetime:
    return datetime.now(UTC)
