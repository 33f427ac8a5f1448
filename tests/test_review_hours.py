"""A review outside either person's working hours, on a weekend or a holiday is asked back with both
local times; it can be kept (`anyway`) or typed in the employee's time zone (`their time`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from store import people, presence
from store.review_models import ReviewMeeting


async def meetings(app) -> list[ReviewMeeting]:
    async with app.db.read() as session:
        return list(await session.scalars(select(ReviewMeeting).order_by(ReviewMeeting.id)))


async def test_an_evening_for_the_employee_is_asked_back_with_both_local_times(chat, app):
    await chat.send("carol", "/review schedule @wei 2026-12-10 15:00")
    chat.expect_reply(
        "That time is outside working hours (09:00 to 18:00, Monday to Friday, not on holidays)",
        "• 张伟: Thu 10 Dec 2026, 23:00 (Asia/Shanghai) ⚠️ after 18:00\n"
        "• Carol Jones: Thu 10 Dec 2026, 15:00 (Europe/London)\n",
        "type it in 张伟's time zone by adding `their time` (`/review schedule @wei 2026-12-10 15:00 their time`)",
        "keep this one by adding `anyway`: `/review schedule @wei 2026-12-10 15:00 anyway`",
    )
    chat.expect_no_dm("wei")
    assert await meetings(app) == []


async def test_typed_in_the_employees_time_zone(chat, app):
    await chat.send("carol", "/review schedule @wei 2026-12-10 17:00 their time")
    chat.expect_reply("scheduled for Thu 10 Dec 2026, 09:00 (Europe/London)")
    chat.expect_dm("wei", "2026年12月10日（周四） 17:00（Asia/Shanghai）")
    [meeting] = await meetings(app)
    assert meeting.starts_at == datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


async def test_in_the_employees_zone_too_early_for_the_manager_is_asked_back_without_offering_it_again(chat):
    await chat.send("carol", "/review schedule @wei 2026-12-10 15:00 their time")
    reply = chat.expect_reply(
        "• 张伟: Thu 10 Dec 2026, 15:00 (Asia/Shanghai)\n",
        "• Carol Jones: Thu 10 Dec 2026, 07:00 (Europe/London) ⚠️ before 09:00",
    )
    assert "by adding `their time`" not in reply


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("2026-11-28 10:00", "• Alice Smith: Sat 28 Nov 2026, 11:00 (Europe/Berlin) ⚠️ a weekend"),
        ("2026-12-10 17:30", "• Alice Smith: Thu 10 Dec 2026, 18:30 (Europe/Berlin) ⚠️ after 18:00"),
        ("2026-12-10 16:30", "• Alice Smith: Thu 10 Dec 2026, 17:30 (Europe/Berlin) ⚠️ ends after 18:00"),
        ("2026-12-10 16:30 30m", None),
        ("2026-12-24 10:00", "• Carol Jones: Thu 24 Dec 2026, 10:00 (Europe/London) ⚠️ a holiday"),
    ],
)
async def test_weekends_holidays_and_the_ends_of_the_day(chat, app, org, typed, problem):
    async with app.db.transaction() as session:
        await presence.replace_holidays(session, org_id=org.id, days=[(date(2026, 12, 24), "Christmas Eve")])
    await chat.send("carol", f"/review schedule @alice {typed}")
    if problem is None:
        chat.expect_reply("Review with Alice Smith scheduled")
    else:
        chat.expect_reply("That time is outside working hours", problem)
        assert await meetings(app) == []


async def test_anyway_keeps_it_and_moving_asks_too(chat, app):
    await chat.send("carol", "/review schedule @alice 2026-12-10 20:00 anyway")
    chat.expect_reply("Review with Alice Smith scheduled for Thu 10 Dec 2026, 20:00 (Europe/London)")
    chat.expect_dm("alice", "Thu 10 Dec 2026, 21:00 (Europe/Berlin)")
    await chat.send("carol", "/review move @alice 2026-12-12 10:00")
    chat.expect_reply("⚠️ a weekend", "`/review move @alice 2026-12-12 10:00 anyway`")
    [meeting] = await meetings(app)
    assert meeting.starts_at == datetime(2026, 12, 10, 20, 0, tzinfo=UTC)
    await chat.send("carol", "/面谈 改期 @alice 2026-12-12 10:00 仍然")
    chat.expect_reply("moved to Sat 12 Dec 2026, 10:00")


async def test_asked_back_in_the_schedulers_language(chat, app, org):
    async with app.db.transaction() as session:
        carol = await people.by_handle(session, org_id=org.id, handle="carol")
        carol.locale = "zh-Hans"
    await chat.send("carol", "/面谈 安排 @alice 2026-12-10 20:00")
    chat.expect_reply(
        "这个时间不在工作时间内（周一至周五 09:00 到 18:00，节假日除外），所以还没有安排：",
        "• Alice Smith：2026年12月10日（周四） 21:00（Europe/Berlin） ⚠️ 晚于 18:00",
        "或加上 `对方时间`，按 Alice Smith 的时区填写时间（`/面谈 安排 @alice 2026-12-10 20:00 对方时间`）",
        "或加上 `仍然`，保留这个时间：`/面谈 安排 @alice 2026-12-10 20:00 仍然`。",
    )
    await chat.send("carol", "/面谈 安排 @alice 2026-12-10 15:00 对方时间")
    chat.expect_reply("2026年12月10日（周四） 14:00（Europe/London）")
