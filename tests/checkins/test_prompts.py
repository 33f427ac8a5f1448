"""Scheduled prompts and reminders, as people would notice them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from store import presence
from store.checkin_models import DueWork, FormSession


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def remind_times(app) -> dict[int, datetime | None]:
    """Each check-in's reminder time, as it keeps it for HR's figures (answered before it, or not)."""
    async with app.db.read() as session:
        return dict((await session.execute(select(FormSession.id, FormSession.remind_at))).all())


async def due_rows(app, kind: str) -> list[DueWork]:
    async with app.db.read() as session:
        return list(
            await session.scalars(select(DueWork).where(DueWork.kind == kind).order_by(DueWork.run_at))
        )


async def schedule_alice(chat) -> None:
    """Alice (Berlin) is asked on Wednesdays at 10:00: 09:00 UTC in winter."""
    await chat.send("alice", "/checkin schedule weekly wednesday 10:00")
    chat.expect_reply(
        "every Wednesday at 10:00 (Europe/Berlin)", "Next: Wed 25 Nov 2026, 10:00 (Europe/Berlin)"
    )


async def test_the_prompt_arrives_at_the_local_time_and_is_answered_by_typing(chat, app):
    await schedule_alice(chat)
    await chat.tick(utc(2026, 11, 25, 8, 59))
    chat.expect_no_dm("alice")
    report = await chat.tick(utc(2026, 11, 25, 9, 0))
    assert report.done == 1
    chat.expect_dm(
        "alice", "Hi Alice Smith! Time for your check-in", "Thu 26 Nov 2026, 18:00", "(1/7) How was your week"
    )
    await chat.send("alice", "4")
    chat.expect_reply("(2/7) What went well")
    await chat.tick(utc(2026, 11, 25, 9, 1))
    assert len(chat.dms("alice")) == 1  # the same prompt is never sent twice
    prompts = await due_rows(app, "checkin.prompt")
    assert [(p.run_at, p.status) for p in prompts] == [
        (utc(2026, 11, 25, 9), "done"),
        (utc(2026, 12, 2, 9), "pending"),
    ]


async def test_one_reminder_in_working_hours_to_someone_who_has_not_answered(chat, app):
    await schedule_alice(chat)
    await chat.tick(utc(2026, 11, 25, 9))
    (reminder,) = await due_rows(app, "checkin.reminder")
    assert await remind_times(app) == {reminder.subject: utc(2026, 11, 26, 9)}
    await chat.tick(utc(2026, 11, 26, 9))  # Thursday 10:00 in Berlin
    chat.expect_dm(
        "alice", "A gentle reminder", "open until Thu 26 Nov 2026, 18:00", "(1/7) How was your week"
    )
    assert len(chat.dms("alice")) == 2
    await chat.tick(utc(2026, 11, 26, 16))
    assert len(chat.dms("alice")) == 2


async def test_no_reminder_for_someone_who_answered(chat, app):
    await schedule_alice(chat)
    await chat.tick(utc(2026, 11, 25, 9))
    for line in ("4", "a", "skip", "no", "skip", "p", "skip"):
        await chat.send("alice", line)
    chat.expect_reply("saved")
    await chat.tick(utc(2026, 11, 26, 9))
    assert len(chat.dms("alice")) == 1
    assert [r.note for r in await due_rows(app, "checkin.reminder")] == ["answered"]


async def test_an_early_answer_means_no_prompt_for_that_week(chat, app):
    await schedule_alice(chat)
    await chat.send("alice", "/checkin")
    chat.expect_reply("until Thu 26 Nov 2026, 18:00")  # the window of Wednesday's prompt
    for line in ("5", "a", "skip", "no", "skip", "p", "skip"):
        await chat.send("alice", line)
    await chat.tick(utc(2026, 11, 25, 9))
    chat.expect_no_dm("alice")
    assert (await due_rows(app, "checkin.prompt"))[0].note == "answered early"


async def test_muted_people_get_the_prompt_but_no_reminder(chat, app, org):
    await schedule_alice(chat)
    async with app.db.transaction() as session:
        await presence.mute(
            session, org_id=org.id, person_id=await _id(chat, "alice"), until=utc(2026, 12, 1)
        )
    await chat.tick(utc(2026, 11, 25, 9))
    await chat.tick(utc(2026, 11, 26, 9))
    assert len(chat.dms("alice")) == 1
    assert [r.note for r in await due_rows(app, "checkin.reminder")] == ["muted"]


async def test_a_reminder_due_outside_working_hours_is_not_sent(chat, app):
    await schedule_alice(chat)
    await chat.tick(utc(2026, 11, 25, 9))
    await chat.tick(utc(2026, 11, 26, 17, 30))  # down until 18:30 in Berlin: too late to nudge
    assert len(chat.dms("alice")) == 1


async def test_after_downtime_a_prompt_inside_its_window_is_sent_once_and_an_older_one_skipped(chat, app):
    await schedule_alice(chat)
    await chat.tick(utc(2026, 11, 26, 8))  # a day late, still inside the window
    chat.expect_dm("alice", "Time for your check-in")
    await chat.tick(utc(2026, 12, 4, 9))  # the 2 December prompt's window closed on the 3rd
    assert len(chat.dms("alice")) == 1
    prompts = await due_rows(app, "checkin.prompt")
    assert [(p.status, p.note) for p in prompts[:2]] == [
        ("done", None),
        ("skipped", "missed: the answer window closed during downtime"),
    ]
    assert prompts[2].status == "pending" and prompts[2].run_at == utc(2026, 12, 9, 9)


async def test_no_prompt_on_a_holiday(chat, app, org):
    await schedule_alice(chat)
    async with app.db.transaction() as session:
        await presence.replace_holidays(
            session, org_id=org.id, days=[(datetime(2026, 11, 25).date(), "Day off")]
        )
    await chat.tick(utc(2026, 11, 25, 9))
    chat.expect_no_dm("alice")
    assert (await due_rows(app, "checkin.prompt"))[0].note == "holiday"


async def test_a_chinese_speaker_gets_the_prompt_in_chinese_at_their_time(chat):
    await chat.send("wei", "/checkin schedule 每周 周五 16:00")
    chat.expect_reply("每周五 16:00（Asia/Shanghai）", "2026年11月27日（周五） 16:00")
    await chat.tick(utc(2026, 11, 27, 8))
    chat.expect_dm("wei", "张伟，你好！该签到了", "2026年11月30日（周一） 18:00", "(1/7) 这周感觉怎么样")


async def test_schedule_can_be_shown_changed_and_turned_off(chat, app):
    await chat.send("bob", "/checkin schedule")
    chat.expect_reply("no check-in schedule yet")
    await chat.send("bob", "/checkin schedule monthly friday 9:30")
    chat.expect_reply(
        "on the first Friday of each month at 09:30 (America/New_York)", "Fri 4 Dec 2026, 09:30"
    )
    await chat.send("bob", "/checkin schedule")
    chat.expect_reply("You're asked on the first Friday of each month at 09:30")
    await chat.send("bob", "/checkin schedule on blursday")
    chat.expect_reply("I couldn't read “blursday” in that schedule")
    await chat.send("bob", "/checkin schedule off")
    chat.expect_reply("scheduled check-ins are off")
    assert [r.status for r in await due_rows(app, "checkin.prompt")] == ["cancelled"]
    await chat.tick(utc(2026, 12, 4, 15))
    chat.expect_no_dm("bob")


async def _id(chat, handle: str) -> int:
    return (await chat.console.person(chat.email(handle))).id
