"""Prompts run as a batch: mixed outcomes in one tick, a person due twice, and a batch that fails."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.features.checkins import cycle
from bot.features.checkins.jobs import prompt
from bot.jobs import Batched
from bot.scheduler import Scheduler
from store import due_work, presence

from .test_prompts import due_rows, remind_times


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def schedule_everyone_on_wednesday(chat) -> None:
    for handle in ("alice", "bob", "carol", "dan"):
        await chat.send(handle, "/checkin schedule weekly wednesday 09:00")
        chat.expect_reply("every Wednesday at 09:00")


async def person_id(chat, handle: str) -> int:
    return (await chat.console.person(chat.email(handle))).id


async def test_one_tick_prompts_some_and_skips_others_for_their_own_reasons(chat, app, org):
    await schedule_everyone_on_wednesday(chat)
    async with app.db.transaction() as session:
        await presence.set_away(
            session, org_id=org.id, person_id=await person_id(chat, "bob"), last_day=date(2026, 11, 27)
        )
    await chat.send("carol", "/checkin")  # answers Wednesday's check-in early
    for line in ("5", "a", "skip", "no", "skip", "p", "skip"):
        await chat.send("carol", line)
    report = await chat.tick(utc(2026, 11, 25, 17))  # past 09:00 Wednesday everywhere
    assert (report.done, report.skipped, report.failed) == (3, 1, 0)
    chat.expect_dm("alice", "Time for your check-in", "(1/7) How was your week")
    chat.expect_dm("dan", "Time for your check-in")
    chat.expect_no_dm("bob")
    chat.expect_no_dm("carol")
    notes = {r.subject: r.note for r in await due_rows(app, cycle.PROMPT) if r.status != "pending"}
    assert notes[await person_id(chat, "bob")] == "away"
    assert notes[await person_id(chat, "carol")] == "answered early"
    pending = [r for r in await due_rows(app, cycle.PROMPT) if r.status == "pending"]
    assert len(pending) == 4  # everyone's next Wednesday, whatever happened to this one


async def test_a_person_due_twice_after_downtime_gets_one_prompt(chat, app, org):
    await chat.send("alice", "/checkin schedule weekly wednesday 10:00")
    async with app.db.transaction() as session:  # the next one was planned too, then the server went down
        await due_work.add_due(
            session,
            org_id=org.id,
            kind=cycle.PROMPT,
            subject=await person_id(chat, "alice"),
            run_at=utc(2026, 12, 2, 9),
            now=app.clock.now(),
        )
    report = await chat.tick(utc(2026, 12, 2, 9, 30))
    assert (report.done, report.skipped) == (1, 1)
    assert len(chat.dms("alice")) == 1
    chat.expect_dm("alice", "Time for your check-in", "Thu 3 Dec 2026, 18:00")
    prompts = await due_rows(app, cycle.PROMPT)
    assert [(p.run_at, p.status) for p in prompts] == [
        (utc(2026, 11, 25, 9), "skipped"),
        (utc(2026, 12, 2, 9), "done"),
        (utc(2026, 12, 9, 9), "pending"),
    ]


async def test_when_a_batch_fails_each_row_runs_alone_and_only_the_bad_one_waits(chat, app):
    await schedule_everyone_on_wednesday(chat)
    bad = await person_id(chat, "bob")

    async def broken_batch(ctx, rows):
        raise RuntimeError("the batch write failed")

    async def one_bad_row(ctx, row):
        if row.subject == bad:
            raise RuntimeError("bob's row is bad")
        return await prompt(ctx, row)

    jobs = {cycle.PROMPT: Batched(each=one_bad_row, many=broken_batch)}
    scheduler = Scheduler(db=app.db, catalogue=app.catalogue, jobs=jobs)
    app.clock.set(utc(2026, 11, 25, 17))
    report = await scheduler.run_due(utc(2026, 11, 25, 17))
    chat.deliveries.extend(await chat.console.deliver(viewer=app.catalogue.messages("en")))
    assert (report.done, report.failed) == (3, 1)
    for handle in ("alice", "carol", "dan"):
        chat.expect_dm(handle, "Time for your check-in")
    chat.expect_no_dm("bob")
    reminders = await due_rows(app, cycle.REMINDER)  # each check-in opened alone keeps its reminder's time
    assert len(reminders) == 3
    assert await remind_times(app) == {r.subject: r.run_at for r in reminders}
    bobs = [r for r in await due_rows(app, cycle.PROMPT) if r.subject == bad]
    assert [(r.status, r.attempts) for r in bobs] == [("pending", 1)]  # tried again later
    assert "bob's row is bad" in bobs[0].note
