"""`/rapport timezone`: anyone sets their own time zone, by its name or a city, in English or Chinese;
the next check-in moves to the new local time."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.features.checkins.cycle import PROMPT
from store import due_work, people


async def _next_prompt(chat, handle: str) -> datetime:
    async with chat.app.db.read() as session:
        person = await people.by_handle(session, org_id=1, handle=handle)
        upcoming = await due_work.next_pending(session, org_id=1, kind=PROMPT, subjects=[person.id])
        return upcoming[person.id].astimezone(UTC)


async def test_setting_a_zone_moves_the_next_check_in_to_the_new_local_time(chat):
    await chat.send("alice", "/checkin schedule weekly wednesday 10:00")
    assert await _next_prompt(chat, "alice") == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
    await chat.send("alice", "/rapport timezone Asia/Shanghai")
    chat.expect_reply("Your time zone is now Asia/Shanghai", "17:00")
    assert await _next_prompt(chat, "alice") == datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    await chat.send("alice", "/rapport timezone")
    chat.expect_reply("Your time zone is Asia/Shanghai")


async def test_a_city_in_chinese_and_the_chinese_sub_command(chat):
    await chat.send("wei", "/rapport 时区 伦敦")
    chat.expect_reply("你的时区已设为 Europe/London")


async def test_a_city_name_in_any_case(chat):
    await chat.send("bob", "/rapport timezone new york")
    chat.expect_reply("America/New_York")


async def test_an_unknown_zone_is_asked_back_and_nothing_changes(chat):
    await chat.send("bob", "/rapport timezone Mars/Olympus")
    chat.expect_reply("I don't know the time zone “Mars/Olympus”")
    await chat.send("bob", "/rapport timezone Europe/Berln")
    chat.expect_reply("Did you mean `/rapport timezone Europe/Berlin`?")
    await chat.send("bob", "/rapport timezone")
    chat.expect_reply("Your time zone is America/New_York")
