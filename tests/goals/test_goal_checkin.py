"""The weekly check-in gains a short step per open key result, answered like any form."""

from __future__ import annotations

from datetime import UTC, datetime

CHECKIN = ("4", "Shipped the importer", "skip", "no", "skip", "The invoicing flow", "skip")


async def set_goals(chat, who: str = "alice") -> None:
    await chat.send(who, "/goal add Ship billing v2 by 2027-03-31")
    await chat.send(who, "/goal kr 1 Migrate customers 0 -> 40 customers")
    await chat.send(who, "/goal kr 1 Launch the pricing page")
    await chat.send(who, "/goal kr 1 Cut invoice errors 50 -> 10 errors")


async def check_in(chat, who: str = "alice") -> None:
    await chat.send(who, "/checkin")
    for answer in CHECKIN:
        await chat.send(who, answer)


async def test_each_open_key_result_is_asked_after_the_check_in(chat, app):
    await set_goals(chat)
    await chat.send("alice", "/goal update 1.1 12 confidence 7")
    await check_in(chat)
    chat.expect_reply(
        "your check-in is saved",
        "Next: Goals.",
        "Migrate customers: 12 of 40 customers, on track. New value? You may add a confidence 1–10.",
    )
    await chat.send("alice", "lots")
    chat.expect_reply("“lots” is not a number I can read.", "Migrate customers: 12 of 40 customers")
    await chat.send("alice", "help")
    chat.expect_reply("same: the value has not moved")
    await chat.send("alice", "25 6 two big accounts moved")
    chat.expect_reply(
        "Updated: 1.1 Migrate customers ▰▰▰▰▰▰▱▱▱▱ 25/40 customers",
        "confidence 6",
        "Launch the pricing page: not reached yet, on track. Reached it? Type done, or skip.",
    )
    await chat.send("alice", "25")
    chat.expect_reply("That key result is a milestone: type done when it is reached, or skip.")
    await chat.send("alice", "done")
    chat.expect_reply(
        "Key result 1.2 is done: Launch the pricing page.", "Cut invoice errors: 50 of 10 errors"
    )
    await chat.send("alice", "same 5")
    chat.expect_reply(
        "Updated: 1.3 Cut invoice errors", "50/10 errors", "confidence 5", "Your goals are up to date."
    )
    await chat.send("alice", "/goal show 1")
    chat.expect_reply("Tue 24 Nov 2026: 1.1 → 25 (Alice Smith) · confidence 6: two big accounts moved")


async def test_skip_back_and_cancel_work_as_in_every_form(chat):
    await set_goals(chat)
    await check_in(chat)
    await chat.send("alice", "skip")
    chat.expect_reply("Launch the pricing page")
    await chat.send("alice", "back")
    chat.expect_reply("Migrate customers: 0 of 40 customers")
    await chat.send("alice", "cancel")
    chat.expect_reply("Stopped.", "`/goal update`")
    await chat.send("alice", "30")  # no form waits any more: the line is not taken for a value
    assert "Updated" not in chat.replies[-1]
    await chat.send("alice", "/goal show 1")
    assert "Updates" not in chat.replies[-1]


async def test_nothing_is_asked_without_open_key_results(chat):
    await chat.send("bob", "/goal add A goal without key results")
    await check_in(chat, "bob")
    reply = chat.expect_reply("your check-in is saved")
    assert "Goals" not in reply


async def test_in_chinese_with_a_confidence_that_falls_twice_the_manager_hears(chat, clock):
    await set_goals(chat, "wei")
    await chat.send("wei", "/goal update 1.1 10 8")
    await chat.send("wei", "/goal update 1.1 11 6")
    await check_in(chat, "wei")
    chat.expect_reply("Migrate customers：11/40 customers，进展正常。新的数值是多少？")
    await chat.send("wei", "12 4")
    chat.expect_reply("已更新：1.1 Migrate customers", "信心 4")
    chat.expect_dm("carol", "张伟's goal #1 needs a look. Their confidence fell two updates in a row.")
    for answer in ("跳过", "不变"):
        await chat.send("wei", answer)
    chat.expect_reply("你的目标已更新。谢谢。")


async def test_the_goals_step_closes_with_the_check_in_window(chat, clock):
    await set_goals(chat)
    await check_in(chat)
    clock.set(datetime(2027, 1, 10, 9, 0, tzinfo=UTC))
    await chat.send("alice", "30")
    chat.expect_reply("This form has closed")
