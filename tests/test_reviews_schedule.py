"""Scheduling review meetings: who may, when it is in each person's time zone, and what they are told."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from store import people, roles
from store.review_models import ReviewMeeting


async def meetings(app) -> list[ReviewMeeting]:
    async with app.db.read() as session:
        return list(await session.scalars(select(ReviewMeeting).order_by(ReviewMeeting.id)))


async def test_the_manager_schedules_and_both_see_it_in_their_own_time_zone(chat, app):
    await chat.send("carol", "/review schedule @wei 2026-12-10 17:00 60m their time")  # in Shanghai
    chat.expect_reply(
        "Review with 张伟 scheduled for Thu 10 Dec 2026, 09:00 (Europe/London), 60 minutes. I've let 张伟 know."
    )
    chat.expect_dm(
        "wei",
        "你与 *Carol Jones*".replace("*", ""),
        "2026年12月10日（周四） 17:00（Asia/Shanghai）",
        "不只是解释一个分数",
    )
    chat.expect_no_dm("carol")
    [meeting] = await meetings(app)
    assert meeting.starts_at == datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    assert (meeting.minutes, meeting.status) == (60, "scheduled")


async def test_default_length_and_a_short_notice_note(chat):
    await chat.send("carol", "/review schedule @alice tomorrow 10:00")
    chat.expect_reply("45 minutes", "less than three days away")
    chat.expect_dm("alice", "Carol Jones", "less than three days away", "not just the explanation of a score")


async def test_hr_schedules_and_tells_both(chat, app, org):
    async with app.db.transaction() as session:
        erin = await people.by_handle(session, org_id=org.id, handle="erin")
        await roles.grant(session, org_id=org.id, person_id=erin.id, role="hr", now=app.clock.now())
    await chat.send("erin", "/review schedule @alice 2026-12-10 10am")
    chat.expect_reply("I've let Alice Smith and Carol Jones know.")
    chat.expect_dm(
        "alice", "Your review with Carol Jones is on Thu 10 Dec 2026, 16:00 (Europe/Berlin)"
    )  # 10am in New York
    chat.expect_dm("carol", "Your review with Alice Smith is on Thu 10 Dec 2026, 15:00 (Europe/London)")
    await chat.send("erin", "/review list")
    chat.expect_reply("#1 Alice Smith with Carol Jones")


@pytest.mark.parametrize(
    ("who", "text", "answer"),
    [
        ("bob", "/review schedule @alice 2026-12-10 15:00", "Only Alice Smith's manager or HR"),
        ("dan", "/review schedule @alice 2026-12-10 15:00", "Only Alice Smith's manager or HR"),
        ("alice", "/review schedule @alice 2026-12-10 15:00", "Only Alice Smith's manager or HR"),
        ("carol", "/review schedule 2026-12-10 15:00", "Whose review?"),
        ("carol", "/review schedule @alice 2026-12-10", "At what time? Like `/review schedule @alice 2026-12-01 15:00`"),
        ("carol", "/review schedule @alice 2026-12-10 15:00 90", "“90” what? Write the length with its unit, like `90m` or `1h`."),
        ("carol", "/review schedule @alice someday 15:00", "couldn't read “someday” as a date"),
        ("carol", "/review schedule @alice today 08:00", "has already passed"),
        ("carol", "/review schedule @alice 2026-12-10 15:00 600m", "between 15 and 240 minutes"),
        ("carol", "/review schedule @zed 2026-12-10 15:00", "couldn't find @zed"),
    ],
)
async def test_refusals_and_mistakes_store_nothing(chat, app, who, text, answer):
    await chat.send(who, text)
    chat.expect_reply(answer)
    assert await meetings(app) == []


async def test_one_scheduled_review_at_a_time_then_move_and_cancel(chat, app):
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    await chat.send("carol", "/review schedule @alice 2026-12-11 15:00")
    chat.expect_reply("Alice Smith already has a review on Thu 10 Dec 2026, 15:00 (Europe/London)")
    await chat.send("carol", "/review move @alice 2026-12-14 9:30")
    chat.expect_reply("moved to Mon 14 Dec 2026, 09:30 (Europe/London), 45 minutes")
    chat.expect_dm("alice", "has moved to Mon 14 Dec 2026, 10:30 (Europe/Berlin)")
    await chat.send("carol", "/review cancel @alice she is on leave")
    chat.expect_reply("is cancelled")
    chat.expect_dm("alice", "is cancelled. Reason: she is on leave")
    await chat.send("carol", "/review cancel @alice")
    chat.expect_reply("Alice Smith has no review scheduled.")
    assert [m.status for m in await meetings(app)] == ["cancelled"]


async def test_lists_show_ones_own_and_ones_reports(chat):
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    await chat.send("dan", "/review schedule @erin 2026-12-11 09:00")
    await chat.send("alice", "/review list")
    reply = chat.expect_reply("#1 Alice Smith with Carol Jones")
    assert "Erin" not in reply
    await chat.send("bob", "/review list")
    chat.expect_reply("No reviews scheduled.")
    await chat.send("wei", "/review list")
    chat.expect_reply("没有已安排的面谈。")


async def test_chinese_times(chat, app):
    await chat.send("carol", "/review schedule @wei 12月10日 下午3点半 1小时 仍然")  # 23:30 for Wei
    [meeting] = await meetings(app)
    assert meeting.starts_at == datetime(2026, 12, 10, 15, 30, tzinfo=UTC)
    assert meeting.minutes == 60
