"""A first word that is not a sub-command is asked back, never read as content; `/action show N`."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.subcommands import distance, nearest
from store.action_models import ActionItem


async def titles(app) -> list[str]:
    async with app.db.read() as session:
        return list(await session.scalars(select(ActionItem.title).order_by(ActionItem.id)))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("/action complete 5", "/action done 5"),
        ("/action delete 5", "/action drop 5"),
        ("/action finish #5", "/action done #5"),
        ("/action dnoe 5", "/action done 5"),
        ("/action postpone 5 until friday", "/action snooze 5 until friday"),
        ("/action lsit", "/action list"),
    ],
)
async def test_a_word_close_to_a_sub_command_is_asked_back_not_made_an_action(chat, app, typed, meant):
    await chat.send("alice", typed)
    title = typed.removeprefix("/action ")
    chat.expect_reply(
        f"I don't know `{typed}`. Did you mean `{meant}`?",
        f"To add an action called “{title}”, type `/action add {title}`.",
    )
    assert await titles(app) == []


async def test_in_chinese_too(chat, app):
    await chat.send("wei", "/行动 完毕 5")
    chat.expect_reply("我不认识 `/行动 完毕 5`。你是想输入 `/行动 完成 5` 吗？", "`/行动 添加 完毕 5`")
    await chat.send("wei", "/行动 删除 5")
    chat.expect_reply("你是想输入 `/行动 放弃 5` 吗？")
    assert await titles(app) == []


async def test_a_title_that_starts_like_a_sub_command_is_still_a_title(chat, app):
    await chat.send("alice", "/action Finish the slides by friday")
    chat.expect_reply("Action #1 is on your list: Finish the slides")
    await chat.send("alice", "/action add complete 5")
    chat.expect_reply("Action #2 is on your list: complete 5.")
    assert await titles(app) == ["Finish the slides", "complete 5"]


@pytest.mark.parametrize(
    ("who", "typed", "answer"),
    [
        (
            "carol",
            "/review shedule @alice friday 10:00",
            "Did you mean `/review schedule @alice friday 10:00`?",
        ),
        (
            "carol",
            "/review reschedule @alice friday 10:00",
            "Did you mean `/review move @alice friday 10:00`?",
        ),
        ("alice", "/rapport muet until friday", "Did you mean `/rapport mute until friday`?"),
        ("alice", "/rapport vacation until friday", "Did you mean `/rapport away until friday`?"),
        (
            "alice",
            "/checkin shedule weekly friday 16:00",
            "Did you mean `/checkin schedule weekly friday 16:00`?",
        ),
        ("alice", "/feedback shar 3", "Did you mean `/feedback share 3`?"),
        ("alice", "/feedback thanks 3", "Did you mean `/feedback thank 3`?"),
        ("alice", "/feedback request shwo 3", "Did you mean `/feedback request show 3`?"),
    ],
)
async def test_every_command_with_sub_commands_asks_back(chat, who, typed, answer):
    await chat.send(who, typed)
    chat.expect_reply(f"I don't know `{typed}`.", answer)


@pytest.mark.parametrize(
    ("typed", "help_text"),
    [
        ("/review whatever", "Review meetings start from what was said"),
        ("/rapport whatever", "I'm Rapport"),
        ("/checkin whatever", "Check-ins are a few short questions"),
    ],
)
async def test_an_unknown_word_says_so_before_the_help(chat, typed, help_text):
    await chat.send("alice", typed)
    reply = chat.expect_reply(f"I don't know `{typed}`. Here is what it can do:", help_text)
    assert reply.index("I don't know") < reply.index(help_text)


@pytest.mark.parametrize("typed", ["/rapport", "/rapport help", "/review help", "/checkin help", "/review"])
async def test_help_is_still_help(chat, typed):
    await chat.send("carol", typed)
    assert "I don't know" not in chat.expect_reply()


async def test_show_gives_an_action_and_its_history_to_whoever_may_see_it(chat):
    await chat.send("carol", "/action @alice Draft the plan by 2026-12-04")
    await chat.send("alice", "/action edit 1 Draft the Q1 plan")
    await chat.send("alice", "/action snooze 1 until 2026-12-11")
    await chat.send("alice", "/action done 1")
    await chat.send("alice", "/action show 1")
    reply = chat.expect_reply(
        "Action #1: Draft the Q1 plan",
        "Owner: Alice Smith · created by Carol Jones · done, due Fri 11 Dec 2026",
        "• Tue 24 Nov 2026: created by Carol Jones",
        "• Tue 24 Nov 2026: changed by Alice Smith: title “Draft the plan” → “Draft the Q1 plan”",
        "• Tue 24 Nov 2026: moved by Alice Smith from Fri 4 Dec 2026 to Fri 11 Dec 2026",
        "• Tue 24 Nov 2026: marked done by Alice Smith",
    )
    assert reply.index("created by Carol") < reply.index("marked done")
    await chat.send("carol", "/action show #1")
    chat.expect_reply("Action #1: Draft the Q1 plan")
    await chat.send("bob", "/action show 1")
    chat.expect_reply("There is no action #1 that you can see.")
    await chat.send("wei", "/行动 查看 1")
    chat.expect_reply("没有你能查看的行动项 #1。")


async def test_show_in_chinese_with_a_reason(chat):
    await chat.send("wei", "/action 翻译指南")
    await chat.send("wei", "/action drop 1 不再需要")
    await chat.send("wei", "/action show 1")
    chat.expect_reply(
        "行动项 #1：翻译指南",
        "负责人：张伟 · 创建人：张伟 · 放弃，没有截止日期",
        "：张伟 放弃（原因：不再需要）",
    )


def test_typos_are_one_edit_away_two_for_long_words():
    assert distance("dnoe", "done") == 1
    assert nearest("shedule", ["schedule", "move"]) == "schedule"
    assert nearest("shcedlue", ["schedule"]) == "schedule"
    assert nearest("dome", ["done", "drop"]) == "done"
    assert nearest("draft", ["done", "drop"]) is None
    assert nearest("do", ["done"]) is None
    assert nearest("完毕", ["完成"]) is None
