"""Action reminders as owners notice them: the working day before, the day it is overdue, weekly after;
in working hours, never while away, following snoozes, stopping when done. And the manager's overview."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.features.actions.overview import team_overview
from bot.replies import Section
from store import people, presence
from store.checkin_models import DueWork

KIND = "action.remind"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def reminders(app) -> list[DueWork]:
    async with app.db.read() as session:
        rows = await session.scalars(select(DueWork).where(DueWork.kind == KIND).order_by(DueWork.id))
        return list(rows)


async def pending(app) -> list[datetime]:
    return [r.run_at for r in await reminders(app) if r.status == "pending"]


async def test_due_friday_reminded_thursday_then_monday_then_weekly_until_done(chat, app):
    await chat.send("alice", "/action Draft the onboarding doc by 2026-11-27")  # a Friday
    assert await pending(app) == [utc(2026, 11, 26, 9)]  # Thursday 10:00 in Berlin
    await chat.tick(utc(2026, 11, 26, 8, 59))
    chat.expect_no_dm("alice")
    await chat.tick(utc(2026, 11, 26, 9))
    chat.expect_dm(
        "alice", "Action #1 is due Fri 27 Nov 2026: Draft the onboarding doc.", "[Done]", "[Snooze"
    )
    for day in (27, 28, 29):  # Friday (the due day), Saturday, Sunday: nothing
        await chat.tick(utc(2026, 11, day, 9))
    assert len(chat.dms("alice")) == 1
    await chat.tick(utc(2026, 11, 30, 9))  # Saturday is not a working day: overdue on Monday
    chat.expect_dm("alice", "Action #1 is overdue; it was due Fri 27 Nov 2026")
    await chat.tick(utc(2026, 12, 7, 9))
    chat.expect_dm("alice", "Action #1 is overdue")
    assert len(chat.dms("alice")) == 3

    await chat.press("alice", action_id="action.done", value="1")
    chat.expect_reply("Action #1 is done")
    assert await pending(app) == []
    await chat.tick(utc(2026, 12, 14, 9))
    assert len(chat.dms("alice")) == 3
    await chat.press("alice", action_id="action.done", value="1")  # an old button pressed again
    chat.expect_reply("Action #1 is already done.")


async def test_reminders_are_at_ten_in_the_owners_zone_in_both_languages(chat, app):
    await chat.send("wei", "/action 写迁移文档 截止 12月4日")  # Friday, in Shanghai
    await chat.send("dan", "/action Call the client by friday")  # Friday 27 Nov, in Sydney
    runs = {r.subject: r.run_at for r in await reminders(app)}
    assert runs == {1: utc(2026, 12, 3, 2), 2: utc(2026, 11, 25, 23)}  # Thursdays, 10:00 local
    await chat.tick(utc(2026, 11, 25, 23))  # Wednesday evening in UTC, Thursday morning in Sydney
    chat.expect_dm("dan", "Action #2 is due Fri 27 Nov 2026: Call the client.")
    await chat.tick(utc(2026, 12, 3, 2))
    chat.expect_dm("wei", "行动项 #1 将于 2026年12月4日（周五） 到期：写迁移文档。", "[完成]", "[推迟一周]")
    for row in await reminders(app):
        person_zone = "Asia/Shanghai" if row.subject == 1 else "Australia/Sydney"
        assert row.run_at.astimezone(ZoneInfo(person_zone)).hour == 10


async def test_no_reminder_while_away_then_one_the_first_working_day_back(chat, app):
    await chat.send("bob", "/action Review the API draft by 2026-11-27")
    await chat.send("bob", "/rapport away until 2026-12-01")  # back on Tuesday
    await chat.tick(utc(2026, 11, 26, 15))  # Thursday 10:00 in New York
    chat.expect_no_dm("bob")
    await chat.tick(utc(2026, 11, 30, 15))  # Monday, still away
    chat.expect_no_dm("bob")
    skipped = [r for r in await reminders(app) if r.status == "skipped"]
    assert [r.note for r in skipped] == ["away"]
    assert await pending(app) == [utc(2026, 12, 1, 15)]
    await chat.tick(utc(2026, 12, 1, 15))
    chat.expect_dm("bob", "Action #1 is overdue; it was due Fri 27 Nov 2026")


async def test_planned_around_a_known_away_period_and_holidays(chat, app):
    async with app.db.transaction() as session:
        await presence.replace_holidays(session, org_id=1, days=[(date(2026, 12, 3), "Founders' day")])
    await chat.send("alice", "/action Plan the offsite by 2026-12-04")  # Thursday 3rd is a holiday
    assert await pending(app) == [utc(2026, 12, 2, 9)]  # so the Wednesday before
    await chat.send("alice", "/rapport away until 2026-12-08")
    await chat.send("alice", "/action edit 1 by 2026-12-04")  # any change plans again
    assert await pending(app) == [utc(2026, 12, 8, 9)]  # the first working day back


async def test_snooze_button_moves_it_a_week_and_the_reminders_follow(chat, app):
    await chat.send("bob", "/action Review the API draft by 2026-11-27")
    await chat.tick(utc(2026, 11, 26, 15))
    chat.expect_dm("bob", "due Fri 27 Nov 2026", "[Snooze a week]")
    await chat.press("bob", action_id="action.snooze", value="1")
    chat.expect_reply("Action #1 is now due Fri 4 Dec 2026.")
    assert await pending(app) == [utc(2026, 12, 3, 15)]
    await chat.tick(utc(2026, 11, 30, 15))
    assert len(chat.dms("bob")) == 1
    await chat.tick(utc(2026, 12, 3, 15))
    chat.expect_dm("bob", "Action #1 is due Fri 4 Dec 2026")


async def test_only_those_who_may_change_it_can_press_its_buttons(chat, app):
    await chat.send("bob", "/action Review the API draft by 2026-11-27")
    await chat.press("erin", action_id="action.snooze", value="1")
    chat.expect_reply("There is no action #1 that you can see.")
    await chat.press("alice", action_id="action.done", value="1")
    chat.expect_reply("There is no action #1 that you can see.")
    await chat.press("carol", action_id="action.snooze", value="1")  # Bob's manager may
    chat.expect_reply("Action #1 is now due Fri 4 Dec 2026.")


async def test_proposed_dropped_and_undated_actions_are_not_reminded(chat, app):
    await chat.send("alice", "/action @bob Review the API draft by 2026-11-27")  # proposed
    await chat.send("alice", "/action Tidy the wiki")  # no date
    assert await pending(app) == []
    await chat.send("bob", "/action accept 1")
    assert await pending(app) == [utc(2026, 11, 26, 15)]
    await chat.send("alice", "/action drop 1 not needed")
    assert await pending(app) == []
    await chat.tick(utc(2026, 11, 26, 15))
    assert not [dm for dm in chat.dms("bob") if "⏰" in dm]


async def test_a_late_run_outside_working_hours_waits_for_the_next_one(chat, app):
    await chat.send("alice", "/action Draft the doc by 2026-11-27")
    await chat.tick(utc(2026, 11, 26, 19))  # the scheduler was down: now 20:00 in Berlin
    chat.expect_no_dm("alice")
    assert [r.note for r in await reminders(app) if r.status == "skipped"] == ["outside working hours"]
    assert await pending(app) == [utc(2026, 11, 30, 9)]


async def test_the_managers_overview_puts_overdue_first(chat, app, clock):
    await chat.send("carol", "/action @alice Prepare the Q1 plan by 2026-11-25")
    await chat.send("carol", "/action @wei Book the room by 2026-12-10")
    await chat.send("bob", "/action @alice Review my draft")  # proposed to Alice
    await chat.send("dan", "/action @erin Call the client by tomorrow")
    clock.set(utc(2026, 11, 26, 12))
    async with app.db.read() as session:
        carol = await people.by_email(session, org_id=1, email="carol@example.com")
        reply = await team_overview(
            session, org_id=1, manager=carol, t=app.catalogue.messages("en"), now=clock.now()
        )
    overdue, still_open = [p.text for p in reply.parts if isinstance(p, Section)]
    assert overdue.splitlines() == [
        "*Overdue (1)*",
        "• #1 Alice Smith: Prepare the Q1 plan, due Wed 25 Nov 2026 (overdue)",
    ]
    assert still_open.splitlines() == [
        "*Open (2)*",
        "• #2 张伟: Book the room, due Thu 10 Dec 2026",
        "• #3 Alice Smith: Review my draft (proposed, not accepted yet)",
    ]
