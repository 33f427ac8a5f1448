"""`/rapport`: help, mute and away, in English and Chinese dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.dates import parse_day
from bot.errors import UserError


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("until 2026-12-28", "2026-12-28"),
        ("next monday", "2026-11-30"),
        ("12月28日", "2026-12-28"),
        ("2027年1月5日", "2027-01-05"),
        ("两周后", "2026-12-08"),
        ("in 2 weeks", "2026-12-08"),
    ],
)
def test_dates_as_people_type_them(text, expected):
    day = parse_day(text.removeprefix("until "), now=datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    assert day.isoformat() == expected


def test_an_unreadable_date_is_asked_back():
    with pytest.raises(UserError) as error:
        parse_day("blursday", now=datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    assert error.value.key == "date.unreadable"


async def test_rapport_alone_and_rapport_help_show_the_general_help(chat):
    await chat.send("alice", "/rapport")
    chat.expect_reply("I'm Rapport")
    await chat.send("alice", "/rapport help")
    chat.expect_reply("I'm Rapport")


async def test_away_pauses_prompts_until_the_day_back(chat, app):
    await chat.send("alice", "/checkin schedule weekly wednesday 10:00")
    await chat.send("alice", "/rapport away until 2026-12-02")
    chat.expect_reply("No check-ins until you're back on Wed 2 Dec 2026")
    await chat.tick(utc(2026, 11, 25, 9))
    chat.expect_no_dm("alice")
    await chat.tick(utc(2026, 12, 2, 9))
    chat.expect_dm("alice", "Time for your check-in")


async def test_away_in_chinese_and_bad_dates(chat):
    await chat.send("wei", "/rapport away 12月28日")
    chat.expect_reply("在你 2026年12月28日（周一） 回来之前不会有签到")
    await chat.send("alice", "/rapport away until blursday")
    chat.expect_reply("couldn't read “blursday” as a date")
    await chat.send("alice", "/rapport away until next friday")
    chat.expect_reply("could mean Fri 27 Nov 2026 or Fri 4 Dec 2026")
    await chat.send("alice", "/rapport away until 2026-01-01")
    chat.expect_reply("“2026-01-01” is Thu 1 Jan 2026, which has already passed.")
    await chat.send("alice", "/rapport away until today")
    chat.expect_reply("is not in the future")
    await chat.send("alice", "/rapport away")
    chat.expect_reply("When are you back?")


async def test_back_turns_prompts_on_again(chat):
    await chat.send("alice", "/checkin schedule weekly wednesday 10:00")
    await chat.send("alice", "/rapport away until next monday")
    await chat.send("alice", "/rapport back")
    chat.expect_reply("Welcome back")
    await chat.tick(utc(2026, 11, 25, 9))
    chat.expect_dm("alice", "Time for your check-in")


async def test_mute_stops_the_reminder_but_not_the_prompt(chat):
    await chat.send("alice", "/checkin schedule weekly wednesday 10:00")
    await chat.send("alice", "/rapport mute")
    chat.expect_reply("Reminders are muted through Tue 1 Dec 2026")
    await chat.tick(utc(2026, 11, 25, 9))
    await chat.tick(utc(2026, 11, 26, 9))
    assert len(chat.dms("alice")) == 1
    await chat.send("alice", "/rapport unmute")
    chat.expect_reply("Reminders are on again")
