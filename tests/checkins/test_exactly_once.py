"""Two schedulers on one database: every prompt is sent exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.features import build_scheduler
from store import due_work, people, schedules
from store.db import Database
from store.models import OutboxMessage

PEOPLE = 120
DUE = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


async def seed_due_prompts(app, org_id: int) -> None:
    now = app.clock.now()
    async with app.db.transaction() as session:
        for n in range(PEOPLE):
            person = await people.create(
                session,
                org_id=org_id,
                display_name=f"P{n}",
                email=f"p{n}@example.com",
                timezone="UTC",
                now=now,
            )
            await schedules.set_schedule(
                session,
                org_id=org_id,
                person_id=person.id,
                cadence="weekly",
                weekday=2,
                hour=9,
                minute=0,
                anchor=date(2026, 11, 25),
                set_by="person",
                now=now,
            )
            await due_work.add_due(
                session, org_id=org_id, kind="checkin.prompt", subject=person.id, run_at=DUE, now=now
            )


def second_process(db: Database, request) -> Database:
    """Another process's own engine on the same database."""
    if db.is_sqlite:
        return Database(url=db.url)
    schema = request.getfixturevalue("postgres_schema")
    return Database(url=db.url, connect_args={"server_settings": {"search_path": schema}})


async def test_two_schedulers_on_one_database_send_each_prompt_once(app, db, org, chat, request):
    await seed_due_prompts(app, org.id)
    other_db = second_process(db, request)
    try:
        first = build_scheduler(db=db, catalogue=app.catalogue, batch=10)
        second = build_scheduler(db=other_db, catalogue=app.catalogue, batch=10)
        reports = await asyncio.gather(first.run_due(DUE), second.run_due(DUE), first.run_due(DUE))
    finally:
        await other_db.dispose()
    assert sum(r.done for r in reports) == PEOPLE
    assert sum(r.failed for r in reports) == 0
    async with app.db.read() as session:
        recipients = Counter(await session.scalars(select(OutboxMessage.recipient_id)))
    assert len(recipients) == PEOPLE
    assert set(recipients.values()) == {1}
    if not db.is_sqlite:  # with SKIP LOCKED both processes really share the work
        assert reports[0].done + reports[2].done > 0 and reports[1].done > 0
