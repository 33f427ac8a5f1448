"""One way to send: a job registered on the router sends a DM with `send_dm`, as a turn does, in the
recipient's language, on the platform that reaches them; what a failed job queued is never sent.
No feature writes the outbox itself."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.jobs import JobContext, Outcome
from bot.replies import Reply
from bot.router import Router
from bot.scheduler import Scheduler
from store import due_work, people
from store.checkin_models import DueWork
from store.models import OutboxMessage

KIND = "test.hello"
AT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


async def plan_for(app, org, handle: str) -> None:
    async with app.db.transaction() as session:
        person = await people.by_email(session, org_id=org.id, email=f"{handle}@example.com")
        await due_work.add_due(session, org_id=org.id, kind=KIND, subject=person.id, run_at=AT, now=AT)


def scheduler_with(app, job) -> Scheduler:
    app.clock.set(AT)
    router = Router()
    router.job(KIND)(job)
    return Scheduler(db=app.db, catalogue=app.catalogue, jobs=router.jobs)


async def hello(ctx: JobContext, row: DueWork) -> Outcome:
    person = await people.by_id(ctx.session, org_id=ctx.org.id, person_id=row.subject)
    await ctx.send_dm(to=person, reply=Reply.text(ctx.messages_for(person)("checkins.resume")))
    return Outcome(status="done")


async def test_a_job_sends_a_dm_in_the_persons_language_even_before_they_were_met(chat, app, org):
    await chat.send("alice", "/help")  # Alice has been met on the console; Wei never has
    for handle in ("alice", "wei"):
        await plan_for(app, org, handle)
    report = await scheduler_with(app, hello).run_due(AT)
    chat.deliveries.extend(await chat.console.deliver(viewer=app.catalogue.messages("en")))
    assert (report.done, report.failed) == (2, 0)
    chat.expect_dm("alice", "Let's carry on with your check-in.")
    chat.expect_dm("wei", "我们继续签到吧。")  # on the organisation's workspace, where she will be met
    async with app.db.read() as session:
        platforms = set(await session.scalars(select(OutboxMessage.platform)))
    assert platforms == {"console"}


async def test_what_a_failed_job_queued_is_never_sent_and_the_job_runs_again(chat, app, org):
    async def hello_then_fail(ctx: JobContext, row: DueWork) -> Outcome:
        await hello(ctx, row)
        raise RuntimeError("the job failed after queueing its DM")

    await plan_for(app, org, "alice")
    report = await scheduler_with(app, hello_then_fail).run_due(AT)
    chat.deliveries.extend(await chat.console.deliver(viewer=app.catalogue.messages("en")))
    assert report.failed == 1
    chat.expect_no_dm("alice")
    async with app.db.read() as session:
        row = await session.scalar(select(DueWork).where(DueWork.kind == KIND))
        assert await session.scalar(select(OutboxMessage.id)) is None
    assert (row.status, row.attempts) == ("pending", 1)
    await scheduler_with(app, hello).run_due(row.next_attempt_at)
    app.clock.set(row.next_attempt_at)
    chat.deliveries.extend(await chat.console.deliver(viewer=app.catalogue.messages("en")))
    chat.expect_dm("alice", "Let's carry on with your check-in.")


def test_a_kind_of_due_work_is_registered_once():
    router = Router()
    router.job(KIND)(hello)
    with pytest.raises(ValueError, match="registered twice"):
        router.job(KIND)(hello)


def test_no_feature_writes_the_outbox_itself():
    features = Path(__file__).resolve().parents[1] / "bot" / "features"
    writers = []
    for path in features.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in ("store", "store.outbox"):
                if node.module == "store.outbox" or any(alias.name == "outbox" for alias in node.names):
                    writers.append(str(path.relative_to(features)))
    assert writers == []
