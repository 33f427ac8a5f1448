"""Action items as people would use them: create, accept, list, change, and who may do what."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.events import Action, Actor, Channel
from store.action_models import ActionEvent, ActionItem


async def actions_in_db(app) -> list[ActionItem]:
    async with app.db.read() as session:
        return list(await session.scalars(select(ActionItem).order_by(ActionItem.id)))


async def history(app, action_id: int) -> list[str]:
    async with app.db.read() as session:
        return list(
            await session.scalars(
                select(ActionEvent.kind).where(ActionEvent.action_id == action_id).order_by(ActionEvent.id)
            )
        )


async def test_your_own_action_with_a_date(chat, app):
    await chat.send("alice", "/action Draft the onboarding doc by 2026-12-05")
    chat.expect_reply("Action #1 is on your list: Draft the onboarding doc, due Sat 5 Dec 2026.")
    [action] = await actions_in_db(app)
    assert (action.status, action.owner_id, action.creator_id, action.source) == ("open", 2, 2, "command")


async def test_an_action_without_a_date_suggests_adding_one(chat):
    await chat.send("alice", "/action Tidy the wiki")
    chat.expect_reply("Action #1 is on your list: Tidy the wiki.", "/action edit 1 by friday")


async def test_an_action_for_a_peer_is_proposed_until_accepted(chat, app):
    await chat.send("alice", "/action @bob Review the API draft by friday")
    chat.expect_reply("I've proposed action #1 to Bob Brown: Review the API draft, due Fri 27 Nov 2026.")
    chat.expect_dm("bob", "Alice Smith proposes an action for you: Review the API draft", "[Accept]")
    await chat.send("bob", "/action list")
    chat.expect_reply("#1 Review the API draft, due Fri 27 Nov 2026 (proposed, not accepted yet)")

    await chat.send("bob", "/action accept 1")
    chat.expect_reply("Action #1 is on your list now")
    chat.expect_dm("alice", "Bob Brown accepted action #1")
    assert [a.status for a in await actions_in_db(app)] == ["open"]
    assert await history(app, 1) == ["created", "accepted"]


async def test_the_accept_button_works_once(chat, app):
    await chat.send("alice", "/action @bob Review the API draft by friday")
    actor = Actor(platform="console", org="acme", user_id="bob@example.com", email="bob@example.com")
    press = Action(
        actor=actor, channel=Channel(id="dm"), action_id="action.accept", value="1", event_id="click-1"
    )
    reply = await app.core.handle(press)
    assert "on your list now" in reply.plain_text()
    assert await app.core.handle(press) is None  # the double click
    again = Action(
        actor=actor, channel=Channel(id="dm"), action_id="action.accept", value="1", event_id="click-2"
    )
    assert "already on Bob Brown's list" in (await app.core.handle(again)).plain_text()


async def test_only_the_owner_accepts(chat):
    await chat.send("alice", "/action @bob Review the API draft by friday")
    await chat.send("alice", "/action accept 1")
    chat.expect_reply("Only Bob Brown can accept action #1.")


async def test_a_manager_assigns_to_a_report_at_once(chat, app):
    await chat.send("carol", "/action @alice Prepare the Q1 plan by end of month")
    chat.expect_reply("Action #1 is on Alice Smith's list: Prepare the Q1 plan, due Mon 30 Nov 2026.")
    chat.expect_dm("alice", "Carol Jones added an action to your list: Prepare the Q1 plan")
    assert [a.status for a in await actions_in_db(app)] == ["open"]


async def test_chinese_dates_and_messages(chat, app):
    await chat.send("wei", "/action 起草入职文档 截止 下周五")
    chat.expect_reply("行动项 #1 已加入你的清单：起草入职文档，截止 2026年12月4日（周五）。")
    await chat.send("carol", "/action @wei Translate the guide by 12月5日")
    chat.expect_dm(
        "wei", "Carol Jones 给你的清单添加了一个行动项：Translate the guide，截止 2026年12月5日（周六）。"
    )


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("someday", "I couldn't read “someday” as a date."),
        ("yesterday", "“yesterday” is Mon 23 Nov 2026, which has already passed."),
        ("next friday", "“next friday” could mean Fri 27 Nov 2026 or Fri 4 Dec 2026. Which one?"),
        ("05/12", "“05/12” could mean Sat 5 Dec 2026 or Wed 12 May 2027. Which one?"),
    ],
)
async def test_a_date_that_is_unreadable_past_or_ambiguous_is_a_question_not_a_guess(
    chat, app, typed, answer
):
    await chat.send("alice", f"/action Draft the doc by {typed}")
    chat.expect_reply(answer)
    assert await actions_in_db(app) == []


async def test_due_dates_are_read_in_the_owners_time_zone(chat, app, clock):
    clock.set(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))  # Wed 01:00 in Sydney, Tue 09:00 in New York
    await chat.send("dan", "/action Call the reseller by tomorrow")
    chat.expect_reply("due Thu 26 Nov 2026")
    await chat.send("dan", "/action @erin Call the customer by tomorrow")
    chat.expect_reply("due Wed 25 Nov 2026")


async def test_title_and_owner_mistakes(chat, app):
    await chat.send("alice", "/action @bob @wei Share the notes")
    chat.expect_reply("An action has one owner.")
    await chat.send("alice", "/action ok")
    chat.expect_reply("at least 3 characters")
    await chat.send("alice", "/action " + "x" * 301)
    chat.expect_reply("301 characters long", "at most 300")
    await chat.send("alice", "/action @zed Share the notes")
    chat.expect_reply("couldn't find @zed")
    assert await actions_in_db(app) == []


async def test_owner_creator_and_owners_manager_may_change_others_may_not(chat, app):
    await chat.send("carol", "/action @alice Prepare the Q1 plan by end of month")
    await chat.send("bob", "/action done 1")
    chat.expect_reply("There is no action #1 that you can see.")
    await chat.send("dan", "/action drop 1")
    chat.expect_reply("There is no action #1 that you can see.")
    await chat.send("carol", "/action snooze 1 until 2026-12-10")
    chat.expect_reply("Action #1 is now due Thu 10 Dec 2026.")
    chat.expect_dm("alice", "Carol Jones moved action #1 to Thu 10 Dec 2026")
    await chat.send("alice", "/action edit 1 Prepare the Q1 plan with numbers")
    chat.expect_reply("Action #1 now reads: Prepare the Q1 plan with numbers, due Thu 10 Dec 2026.")
    await chat.send("alice", "/action done 1")
    chat.expect_reply("Action #1 is done")
    chat.expect_dm("carol", "Alice Smith marked action #1 as done")
    await chat.send("alice", "/action drop 1")
    chat.expect_reply("Action #1 is already done.")
    assert await history(app, 1) == ["created", "snoozed", "edited", "done"]


async def test_a_peer_who_created_it_may_change_it(chat, app):
    await chat.send("alice", "/action @bob Review the API draft by friday")
    await chat.send("alice", "/action drop 1 not needed after all")
    chat.expect_reply("Action #1 is dropped: Review the API draft (reason: not needed after all).")
    chat.expect_dm("bob", "Alice Smith dropped action #1")
    async with app.db.read() as session:
        detail = await session.scalar(select(ActionEvent.detail).where(ActionEvent.kind == "dropped"))
    assert detail == {"reason": "not needed after all"}


async def test_lists_show_only_what_the_viewer_may_see(chat, clock):
    await chat.send("carol", "/action @alice Prepare the Q1 plan by 2026-11-25")
    await chat.send("alice", "/action Book the offsite by 2026-12-01")
    await chat.send("bob", "/action @alice Review my draft by 2026-11-30")
    clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))

    await chat.send("alice", "/action list")
    reply = chat.expect_reply("Your open actions", "#1 Prepare the Q1 plan, due Wed 25 Nov 2026 (overdue)")
    assert reply.index("#1") < reply.index("#3") < reply.index("#2")  # soonest due first

    await chat.send("bob", "/action list @alice")
    reply = chat.expect_reply("Open actions of Alice Smith that you can see", "#3 Review my draft")
    assert "#1" not in reply and "#2" not in reply

    await chat.send("carol", "/action list team")
    chat.expect_reply(
        "Your team's open actions", "#1 Alice Smith: Prepare the Q1 plan", "(overdue)", "#2 Alice Smith"
    )

    await chat.send("bob", "/action list team")
    chat.expect_reply("Nobody reports to you in Rapport")


async def test_numbers_that_do_not_exist_or_are_not_numbers(chat, app):
    await chat.send("alice", "/action done 99")
    chat.expect_reply("There is no action #99 that you can see.")
    await chat.send("alice", "/action done soon")
    chat.expect_reply("Please give the action's number")
    await chat.send("alice", "/action edit")
    chat.expect_reply("Please give the action's number")
    async with app.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(ActionEvent)) == 0


async def test_help(chat):
    await chat.send("alice", "/action")
    chat.expect_reply("Action items", "/action list team")
    await chat.send("wei", "/action help")
    chat.expect_reply("行动项")
