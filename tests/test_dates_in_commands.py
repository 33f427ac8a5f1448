"""Every command that takes a day asks back a day typed without a year that has passed, and reads the
relative days people say ("两周后", "下下周一", "月初", "monday after next")."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from adapters.cli import main
from store.action_models import ActionItem
from store.checkin_models import Availability
from store.feedback_request_models import FeedbackRequest
from store.review_models import ReviewMeeting

DEC_8 = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)  # a Tuesday
ASKED = "“Dec 5” has already passed this year. Did you mean Sun 5 Dec 2027? If so, please type the year too"
ASKED_ZH = "今年的“12月5日”已经过去了。你是指 2027年12月5日（周日） 吗？"


@pytest.fixture
async def december(chat, clock):
    clock.set(DEC_8)
    return chat


async def rows(app, model) -> list:
    async with app.db.read() as session:
        return list(await session.scalars(select(model)))


async def test_an_action_due_dec_5_on_dec_8_is_asked_back(december, app):
    await december.send("alice", "/action Draft the doc by Dec 5")
    december.expect_reply(ASKED)
    await december.send("wei", "/action 起草文档 截止 12月5日")
    december.expect_reply(ASKED_ZH)
    assert await rows(app, ActionItem) == []
    await december.send("alice", "/action Draft the doc by Dec 5 2027")
    december.expect_reply("due Sun 5 Dec 2027")


async def test_edit_and_snooze_ask_back_too(december, app):
    await december.send("alice", "/action Draft the doc by friday")
    await december.send("alice", "/action snooze 1 until Dec 5")
    december.expect_reply(ASKED)
    await december.send("alice", "/action edit 1 by Dec 5")
    december.expect_reply(ASKED)
    [action] = await rows(app, ActionItem)
    assert action.due_on.isoformat() == "2026-12-11"
    await december.send("alice", "/action snooze 1 until 下下周一")
    december.expect_reply("Action #1 is now due Mon 21 Dec 2026.")


async def test_away_and_mute_ask_back(december, app):
    await december.send("alice", "/rapport away until Dec 5")
    december.expect_reply(ASKED)
    await december.send("alice", "/rapport mute until Dec 5")
    december.expect_reply(ASKED)
    assert await rows(app, Availability) == []
    await december.send("wei", "/rapport away 月初")
    december.expect_reply("在你 2027年1月1日（周五） 回来之前不会有签到")
    await december.send("alice", "/rapport mute until monday after next")
    december.expect_reply("Reminders are muted through Mon 21 Dec 2026.")


async def test_a_feedback_request_deadline_asks_back(december, app):
    await december.send("alice", "/feedback request @bob by Dec 5")
    december.expect_reply(ASKED)
    assert await rows(app, FeedbackRequest) == []
    await december.send("alice", "/feedback request @bob by in two weeks")
    december.expect_reply("until Tue 22 Dec 2026, 18:00")


async def test_a_review_on_dec_5_asks_back(december, app):
    await december.send("carol", "/review schedule @alice Dec 5 10:00")
    december.expect_reply(ASKED)
    assert await rows(app, ReviewMeeting) == []


@pytest.mark.parametrize(
    "command",
    [
        "/feedback share ²",
        "/feedback thank ²",
        "/feedback request show ²",
        "/action done ²",
    ],
)
async def test_a_number_that_is_not_ascii_digits_is_refused_politely(chat, command):
    await chat.send("alice", command)
    chat.expect_reply("Please give the")


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/action done 99999999999999999999999", "There is no action #99999999999999999999999"),
        ("/feedback share 99999999999999999999999", "There is no feedback #99999999999999999999999"),
        ("/feedback answer 99999999999999999999999", "There is no feedback request #99999999999999999999999"),
    ],
)
async def test_a_number_too_large_for_any_item_is_not_found(chat, command, answer):
    await chat.send("alice", command)
    chat.expect_reply(answer)


async def test_muting_until_the_end_of_time_is_refused_politely(chat, app):
    await chat.send("alice", "/rapport mute until 9999-12-31")
    chat.expect_reply("“9999-12-31” is Fri 31 Dec 9999, more than five years away.")
    assert await rows(app, Availability) == []


@pytest.mark.parametrize("months", ["abc", "²", "0", "99999999999999999999", "1.5"])
def test_the_retention_command_line_refuses_what_is_not_a_number_of_months(demo_cli, capsys, months):
    assert main(["retention", "--months", months]) == 1
    assert "Give a number of months from 1 to 999, or off." in capsys.readouterr().err


FRIDAY = datetime(2026, 12, 11, 8, 0, tzinfo=UTC)  # a Friday morning in London, Berlin and Shanghai


async def test_friday_typed_on_a_friday_is_asked_back_by_every_command(chat, clock, app):
    """ "by friday" on a Friday most often means today; it could mean next week: it is asked, never
    silently read as a week away (actions, reviews, requests, away), in both languages."""
    clock.set(FRIDAY)
    question = "“friday” could mean Fri 11 Dec 2026 or Fri 18 Dec 2026. Which one?"
    for command in (
        "/action Task A by friday",
        "/feedback request @bob by friday",
        "/rapport away until friday",
    ):
        await chat.send("alice", command)
        chat.expect_reply(question)
    await chat.send("carol", "/review schedule @alice friday 15:00")
    chat.expect_reply(question)
    await chat.send("wei", "/action 写文档 截止 周五")
    chat.expect_reply("“周五”可能是 2026年12月11日（周五），也可能是 2026年12月18日（周五）。是哪一天？")
    assert await rows(app, ActionItem) == [] and await rows(app, ReviewMeeting) == []
    await chat.send("alice", "/action Task A by today")
    chat.expect_reply("due Fri 11 Dec 2026")
    await chat.send("carol", "/review schedule @alice 2026-12-18 15:00")
    chat.expect_reply("Fri 18 Dec 2026, 15:00")


async def test_a_title_with_by_in_it_is_kept_whole_in_quotes(chat, app):
    await chat.send("carol", "/action add Meet the people by the lake")
    chat.expect_reply(
        "I couldn't read “the lake” as a date. If it is part of what is to be done, put it all in quotes: "
        '`/action "Meet the people by the lake"`.'
    )
    await chat.send("carol", '/action "Meet the people by the lake" by 2026-12-04')
    chat.expect_reply("Action #1 is on your list: Meet the people by the lake, due Fri 4 Dec 2026.")
    await chat.send("carol", "/action “Walk by the river”")
    chat.expect_reply("Action #2 is on your list: Walk by the river.")
    assert [a.title for a in await rows(app, ActionItem)] == ["Meet the people by the lake", "Walk by the river"]
