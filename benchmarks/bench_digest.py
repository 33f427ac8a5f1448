"""Review digests on generated data: one manager's twelve digests and a morning's digests, 1x vs 10x data.

An organisation of managers with twelve reports each, a year of weekly check-ins per person, kudos,
actions and past reviews (with their agreed actions). 10x is the issue's size: 10,000 people, 520,000
check-ins (each with its reminder), 100,000 kudos, 30,000 actions, 5,000 past reviews; 1x is a tenth
of it, measured in the same run as the baseline. The same twelve digests and the same number of due
digests are timed at both sizes, so the ratio shows what the data's size costs per digest. PostgreSQL
runs too when RAPPORT_TEST_POSTGRES_URL is set, in a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks.stats import percentile
from bot.features import build_router, build_scheduler
from bot.features.checkins.cycle import REMINDER
from bot.features.reviews import digest
from bot.features.reviews.timing import DIGEST
from bot.i18n import Catalogue
from store import orgs, people, review_records, reviews
from store.action_models import ActionItem
from store.checkin_models import DueWork, FormSession
from store.db import Database
from store.migrate import upgrade
from store.models import Kudos, KudosRecipient, Person
from store.review_models import ReviewMeeting

NOW = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)
TEAM = 12
BASE_PEOPLE = int(os.environ.get("RAPPORT_BENCH_DIGEST_PEOPLE", "1000"))
MORNING = 60  # digests due on the one morning, at both sizes
ROUNDS = 5
CHUNK = 5000


def _people(n: int, now: datetime) -> list[dict]:
    rows = []
    for i in range(1, n + 1):
        manager = None if i % (TEAM + 1) == 1 else i - (i - 1) % (TEAM + 1)
        rows.append(
            dict(
                id=i,
                org_id=1,
                display_name=f"Person {i}",
                email=f"p{i}@example.com",
                handle=f"p{i}",
                manager_id=manager,
                timezone="Europe/London",
                locale="en",
                created_at=now,
                updated_at=now,
            )
        )
    return rows


def _checkin_time(person: int, week: int, now: datetime) -> datetime:
    return now - timedelta(weeks=52 - week, hours=person % 48)


def _checkin_id(person: int, week: int) -> int:
    return (person - 1) * 52 + week + 1


def _reminder_time(person: int, week: int, now: datetime) -> datetime:
    """The next day, as the check-in cycle schedules a reminder (and keeps it as `remind_at`)."""
    return _checkin_time(person, week, now) + timedelta(days=1)


def _checkins(n: int, now: datetime):
    for person in range(1, n + 1):
        for week in range(52):
            at = _checkin_time(person, week, now)
            answers = {
                "mood": 1 + (person + week) % 5,
                "went_well": f"shipped item {week}",
                "blocked": "no",
                "priorities": f"priority {week}",
                "for_manager": None,
            }
            yield dict(
                id=_checkin_id(person, week),
                org_id=1,
                person_id=person,
                form_key="checkin",
                template_version=0,
                subject=(at.date()).isoformat(),
                step=7,
                answers=answers,
                status="done",
                expires_at=at + timedelta(days=1),
                created_at=at,
                updated_at=at,
                completed_at=at,
                remind_at=_reminder_time(person, week, now),
            )


def _reminders(n: int, now: datetime):
    """Each check-in's reminder, the next day, as the check-in cycle schedules one (the HR figures
    read them: answered before the reminder or not)."""
    for person in range(1, n + 1):
        for week in range(52):
            at = _reminder_time(person, week, now)
            yield dict(
                org_id=1,
                kind=REMINDER,
                subject=_checkin_id(person, week),
                run_at=at,
                status="done",
                attempts=1,
                next_attempt_at=at,
                created_at=at - timedelta(days=1),
                finished_at=at,
            )


def _kudos(n: int, rng: random.Random, now: datetime):
    for k in range(1, 10 * n + 1):
        at = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
        yield (
            dict(
                id=k,
                org_id=1,
                giver_id=rng.randrange(1, n + 1),
                message=f"thanks {k}",
                company_values=["ownership"],
                platform="console",
                channel_id=None,
                created_at=at,
            ),
            dict(kudos_id=k, person_id=rng.randrange(1, n + 1), org_id=1),
        )


def _reviews_and_actions(n: int, rng: random.Random, now: datetime):
    reviews, actions = [], []
    employees = [p for p in range(1, n + 1) if p % (TEAM + 1) != 1]
    for r, employee in enumerate(rng.sample(employees, n // 2), start=1):
        manager = employee - (employee - 1) % (TEAM + 1)
        starts = now - timedelta(days=rng.randrange(30, 300))
        reviews.append(
            dict(
                id=r,
                org_id=1,
                employee_id=employee,
                manager_id=manager,
                scheduled_by_id=manager,
                starts_at=starts,
                minutes=45,
                status="held",
                scheduled_at=starts - timedelta(days=7),
            )
        )
        for owner in (employee, employee, manager):
            actions.append(_action(owner, manager, starts, source="review", ref=str(r), rng=rng))
    while len(actions) < 3 * n:
        owner = rng.randrange(1, n + 1)
        actions.append(
            _action(
                owner, owner, now - timedelta(days=rng.randrange(365)), source="command", ref=None, rng=rng
            )
        )
    return reviews, actions


def _action(
    owner: int, creator: int, at: datetime, *, source: str, ref: str | None, rng: random.Random
) -> dict:
    status = rng.choice(["open", "done", "open", "dropped"])
    return dict(
        org_id=1,
        title="Do the thing",
        owner_id=owner,
        creator_id=creator,
        status=status,
        due_on=(at + timedelta(days=30)).date(),
        source=source,
        source_ref=ref,
        created_at=at,
        updated_at=at,
        closed_at=at + timedelta(days=20) if status == "done" else None,
    )


async def _bulk(db: Database, model, rows) -> None:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            async with db.transaction() as session:
                await session.execute(insert(model), batch)
            batch = []
    if batch:
        async with db.transaction() as session:
            await session.execute(insert(model), batch)


async def generate(db: Database, n: int, *, now: datetime = NOW) -> None:
    """Organisation "big" (id 1) and its people (ids 1 to n): a year of data ending at `now`."""
    rng = random.Random(7)
    async with db.transaction() as session:
        await orgs.create(session, slug="big", name="Big", now=now)
    await _bulk(db, Person, _people(n, now))
    await _bulk(db, FormSession, _checkins(n, now))
    await _bulk(db, DueWork, _reminders(n, now))
    pairs = list(_kudos(n, rng, now))
    await _bulk(db, Kudos, (k for k, _ in pairs))
    await _bulk(db, KudosRecipient, (r for _, r in pairs))
    reviews, actions = _reviews_and_actions(n, rng, now)
    await _bulk(db, ReviewMeeting, reviews)
    await _bulk(db, ActionItem, actions)
    if db.url.startswith("postgresql"):
        async with db.transaction() as session:
            for table in ("person", "review_meeting", "kudos", "form_session"):
                await session.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {10 * n * 10})")
                )
            await session.execute(text("ANALYZE"))


async def upcoming(db: Database, employees: list[int]) -> list[int]:
    """A scheduled review in four days for each employee; their ids."""
    ids = []
    async with db.transaction() as session:
        for employee in employees:
            manager = employee - (employee - 1) % (TEAM + 1)
            meeting = await reviews.create(
                session,
                org_id=1,
                employee_id=employee,
                manager_id=manager,
                scheduled_by_id=manager,
                starts_at=NOW + timedelta(days=3),
                minutes=45,
                now=NOW - timedelta(days=7),
            )
            ids.append(meeting.id)
    return ids


async def one_manager(db: Database, catalogue: Catalogue, meetings: list[int]) -> tuple[list[float], int]:
    """Build the manager's twelve digests ROUNDS times; per-digest times (ms), and the peak memory
    (bytes) of one more round traced apart: tracing every allocation slows Python two to three times,
    so times taken under it would measure the tracer, not the digest."""
    t, sources = catalogue.messages("en"), build_router().sources

    async def build(meeting_id: int) -> None:
        async with db.read() as session:
            meeting = await review_records.meeting(session, org_id=1, meeting_id=meeting_id)
            employee = await people.by_id(session, org_id=1, person_id=meeting.employee_id)
            manager = await people.by_id(session, org_id=1, person_id=meeting.manager_id)
            reply = await digest.build(
                session, sources=sources, t=t, meeting=meeting, employee=employee, manager=manager, now=NOW
            )
        assert reply is not None and "Suggested agenda" in reply.plain_text()

    samples: list[float] = []
    for _ in range(ROUNDS):
        for meeting_id in meetings:
            start = time.perf_counter()
            await build(meeting_id)
            samples.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    for meeting_id in meetings:
        await build(meeting_id)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return samples, peak


async def morning(db: Database, catalogue: Catalogue, meetings: list[int]) -> float:
    """Run the morning's due digests through the scheduler; seconds per digest."""
    async with db.transaction() as session:
        await session.execute(
            insert(DueWork),
            [
                dict(
                    org_id=1,
                    kind=DIGEST,
                    subject=m,
                    run_at=NOW,
                    next_attempt_at=NOW,
                    status="pending",
                    attempts=0,
                    created_at=NOW,
                )
                for m in meetings
            ],
        )
    start = time.perf_counter()
    report = await build_scheduler(db=db, catalogue=catalogue).run_due(NOW)
    seconds = time.perf_counter() - start
    assert report.done == len(meetings), report
    return seconds / len(meetings)


async def measure(db: Database, n: int) -> dict:
    start = time.perf_counter()
    await generate(db, n)
    built = time.perf_counter() - start
    catalogue = Catalogue.load()
    team = [p for p in range(2, 2 + TEAM)]  # manager 1's twelve reports
    others = [p for p in range(1, n + 1) if p % (TEAM + 1) != 1 and p not in team][:MORNING]
    samples, peak = await one_manager(db, catalogue, await upcoming(db, team))
    per_digest = await morning(db, catalogue, await upcoming(db, others))
    return {
        "n": n,
        "built": built,
        "p50": percentile(samples, 50),
        "p95": percentile(samples, 95),
        "peak": peak,
        "morning": per_digest * 1000,
    }


Measure = Callable[[Database, int], Awaitable[dict]]


async def _sqlite(n: int, folder: str, measure: Measure) -> dict:
    db = Database(url=f"sqlite+aiosqlite:///{folder}/digest{n}.db")
    await upgrade(db)
    try:
        return await measure(db, n)
    finally:
        await db.dispose()


async def _postgres(url: str, n: int, measure: Measure) -> dict:
    schema = f"rapport_bench_{uuid.uuid4().hex[:10]}"
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(url=url, connect_args={"server_settings": {"search_path": schema}})
    try:
        await upgrade(db)
        return await measure(db, n)
    finally:
        await db.dispose()
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await engine.dispose()


def _report(backend: str, small: dict, big: dict) -> None:
    for r in (small, big):
        print(
            f"  {backend} {r['n']:>6} people: generated in {r['built']:5.0f} s; one manager's digest "
            f"p50 {r['p50']:6.1f} ms p95 {r['p95']:6.1f} ms; morning {r['morning']:6.1f} ms/digest; "
            f"peak memory {r['peak'] / 1e6:5.2f} MB"
        )
    print(
        f"  {backend} ratio 10x/1x: p95 {big['p95'] / small['p95']:.2f}x, p50 {big['p50'] / small['p50']:.2f}x, "
        f"morning {big['morning'] / small['morning']:.2f}x, memory {big['peak'] / small['peak']:.2f}x "
        f"(targets: p95 < 50 ms, at most 1.3x, flat memory)"
    )


async def at_1x_and_10x(measure: Measure, report: Callable[[str, dict, dict], None]) -> None:
    """`measure` on the generated data at 1x and 10x, on SQLite and (when its URL is set) PostgreSQL."""
    with tempfile.TemporaryDirectory() as folder:
        small, big = (
            await _sqlite(BASE_PEOPLE, folder, measure),
            await _sqlite(10 * BASE_PEOPLE, folder, measure),
        )
        report("sqlite", small, big)
    url = os.environ.get("RAPPORT_TEST_POSTGRES_URL")
    if url:
        small, big = (
            await _postgres(url, BASE_PEOPLE, measure),
            await _postgres(url, 10 * BASE_PEOPLE, measure),
        )
        report("postgresql", small, big)


def run() -> None:
    asyncio.run(at_1x_and_10x(measure, _report))
