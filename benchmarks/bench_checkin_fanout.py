"""Check-in fan-out: 10,000 people due in one minute, claimed, enqueued and delivered to a fake Slack.

    python -m benchmarks checkin_fanout          (RAPPORT_BENCH_FANOUT=N for another number of people)

Enqueue: `run_due` claims every due prompt, opens each person's check-in and writes its DM to the
outbox (SQLite). Delivery: Rapport's delivery worker sends the outbox through SlackSender to the fake
Slack Web API on 127.0.0.1, against the baseline of a bare slack_sdk AsyncWebClient loop sending the
same 10,000 messages (conversations.open, then chat.postMessage, with the same concurrency) to the
same fake in the same run; then both again with 5% of chat.postMessage calls answered 429.
Targets (issue 5): enqueue within 2 s; delivery at least 70% of the bare client's rate; every prompt
delivered exactly once; peak memory (the whole process's maximum RSS) under 200 MB.
"""

from __future__ import annotations

import asyncio
import os
import resource
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from adapters.app import App, build_app
from adapters.delivery import DeliveryWorker
from adapters.slack.clients import SlackClients
from adapters.slack.sender import SlackSender
from adapters.slack.workspaces import SingleWorkspace
from bot.checkins import cycle
from bot.clock import SystemClock
from bot.scheduler import build_scheduler
from bot.settings import Settings
from store import orgs, outbox, people, schedules
from store.db import Database
from store.migrate import upgrade
from tests.slack.fake_slack import FakeSlack

PEOPLE = int(os.environ.get("RAPPORT_BENCH_FANOUT", "10000"))
TOKEN = "xoxb-fanout"
CONCURRENCY = 16  # the delivery worker's sends in flight, and the bare loop's
TARGET_ENQUEUE_S, TARGET_RATIO, TARGET_RSS_MB = 2.0, 0.7, 200


class ThrottlingSlack(FakeSlack):
    """The fake Web API answering every `every`-th chat.postMessage with 429 (Retry-After: 1)."""

    every: int | None = None
    _posts: int = 0

    def _next(self, method: str, channel: str | None) -> tuple[str, object]:
        if method == "chat.postMessage" and self.every:
            self._posts += 1
            if self._posts % self.every == 0:
                return "status", (429, 1, "")
        return super()._next(method, channel)

    def reset(self, *, every: int | None) -> None:
        self.calls.clear()
        self.messages.clear()
        self.every, self._posts = every, 0


async def _prepared(folder: Path, fake: FakeSlack, due: datetime) -> App:
    """Acme with PEOPLE people known on Slack, each with a weekly check-in due at `due`."""
    url = f"sqlite+aiosqlite:///{folder / 'fanout.db'}"
    db = Database(url=url)
    await upgrade(db)
    settings = Settings(database_url=url, org="acme", slack_bot_token=TOKEN, slack_api_url=fake.url)
    app = build_app(settings, clock=SystemClock(), db=db)
    now = app.clock.now()
    async with db.transaction() as session:
        org = await orgs.create(session, slug="acme", name="Acme", now=now)
        found = [
            {"email": f"p{i}@example.com", "display_name": f"Person {i}", "timezone": "UTC", "locale": "en"}
            for i in range(PEOPLE)
        ]
        ids = await people.insert_many(session, org_id=org.id, people=found, now=now)
        await people.add_identities(
            session,
            org_id=org.id,
            identities=[
                {"person_id": pid, "platform": "slack", "platform_user_id": f"U{pid:07d}"}
                for pid in ids.values()
            ],
        )
        plan = {"cadence": "weekly", "weekday": due.weekday(), "hour": due.hour, "minute": due.minute}
        await schedules.add_schedules(
            session,
            org_id=org.id,
            rows=[{"person_id": pid, **plan, "anchor": due.date()} for pid in ids.values()],
            now=now,
        )
        await schedules.add_due_many(
            session, org_id=org.id, kind=cycle.PROMPT, work=[(pid, due) for pid in ids.values()], now=now
        )
    return app


async def enqueue(app: App, now: datetime) -> float:
    scheduler = build_scheduler(db=app.db, catalogue=app.catalogue)
    started = time.perf_counter()
    report = await scheduler.run_due(now)
    seconds = time.perf_counter() - started
    assert report.done == PEOPLE, report
    return seconds


async def deliver(app: App, clients: SlackClients) -> float:
    """Rapport's delivery worker until every queued prompt is sent; its rate in messages/s."""
    workspaces = SingleWorkspace(token=TOKEN, clients=clients, db=app.db, clock=app.clock, org_slug="acme")
    await workspaces.start()
    sender = SlackSender(db=app.db, workspaces=workspaces, catalogue=app.catalogue)
    worker = DeliveryWorker(
        db=app.db, clock=app.clock, platform="slack", sender=sender, concurrency=CONCURRENCY
    )
    sent = 0
    started = time.perf_counter()
    while sent < PEOPLE:
        outcomes = await worker.run_once()
        sent += sum(o.status == "sent" for o in outcomes)
        assert not any(o.status == "failed" for o in outcomes), outcomes
        if not outcomes:
            await asyncio.sleep(0.05)  # what is left waits out a Retry-After
    return PEOPLE / (time.perf_counter() - started)


async def bare(clients: SlackClients, body: dict) -> float:
    """The baseline: a bare AsyncWebClient loop sending PEOPLE DMs with the same concurrency."""
    client = clients.client(TOKEN)
    todo = iter(range(PEOPLE))

    async def sender() -> None:
        for n in todo:
            opened = await client.conversations_open(users=f"U{n + 1:07d}")
            await client.chat_postMessage(channel=opened["channel"]["id"], **body)

    started = time.perf_counter()
    await asyncio.gather(*(sender() for _ in range(CONCURRENCY)))
    return PEOPLE / (time.perf_counter() - started)


def exactly_once(fake: FakeSlack, expected: set[int]) -> bool:
    counts = Counter(m["metadata"]["event_payload"]["outbox_id"] for m in fake.posted())
    return set(counts) == expected and set(counts.values()) == {1}


async def _round(folder: Path, fake: ThrottlingSlack, *, every: int | None) -> dict:
    due = datetime.now(UTC).replace(second=0, microsecond=0)
    fake.reset(every=every)
    app = await _prepared(folder, fake, due)
    clients = SlackClients(base_url=fake.url)
    try:
        seconds = await enqueue(app, app.clock.now())
        async with app.db.read() as session:
            queued = await outbox.for_org(session, org_id=1, limit=PEOPLE + 1)
        body = {"text": queued[0].payload.get("summary") or "check-in", "blocks": []}
        rate = await deliver(app, clients)
        once = exactly_once(fake, {m.id for m in queued})
        fake.reset(every=every)
        baseline = await bare(clients, body)
    finally:
        await clients.close()
        await app.close()
    return {"enqueue_s": seconds, "rate": rate, "bare": baseline, "once": once}


async def _main() -> None:
    fake = ThrottlingSlack()
    fake.add_team("T0FANOUT", name="Fan-out", token=TOKEN, bot_user_id="U0BOT", code="fanout")
    await fake.start()
    try:
        for label, every in (("no rate limits", None), ("5% of posts answered 429", 20)):
            with tempfile.TemporaryDirectory() as folder:
                r = await _round(Path(folder), fake, every=every)
            ratio = r["rate"] / r["bare"]
            print(f" {PEOPLE} people due in one minute, {label}")
            print(f"  enqueue (run_due): {r['enqueue_s']:.2f} s (target {TARGET_ENQUEUE_S:.0f} s)")
            print(
                f"  delivery: rapport {r['rate']:.0f}/s, bare AsyncWebClient {r['bare']:.0f}/s, "
                f"ratio {ratio:.2f}x (target {TARGET_RATIO}x); each prompt once: {r['once']}"
            )
    finally:
        await fake.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory (process max RSS): {peak:.0f} MB (target under {TARGET_RSS_MB} MB)")


def run() -> None:
    asyncio.run(_main())
