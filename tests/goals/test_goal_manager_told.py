"""The manager hears once, like a blocker, when a key result falls behind or its confidence falls two
updates in a row; again only after it recovered."""

from __future__ import annotations

from datetime import UTC, datetime


async def test_falling_confidence_is_told_once(chat):
    await chat.send("alice", "/goal add Ship billing v2 by 2027-03-31")
    await chat.send("alice", "/goal kr 1 Migrate customers 0 -> 40 customers")
    await chat.send("alice", "/goal update 1.1 2 confidence 8")
    await chat.send("alice", "/goal update 1.1 3 confidence 6")
    chat.expect_no_dm("carol")  # one fall is not a trend
    await chat.send("alice", "/goal update 1.1 4 confidence 4 the API is late")
    chat.expect_dm(
        "carol",
        "Alice Smith's goal #1 needs a look. Their confidence fell two updates in a row.",
        "1.1 Migrate customers ▰▱▱▱▱▱▱▱▱▱ 4/40 customers",
        "confidence 4",
    )
    await chat.send("alice", "/goal update 1.1 5 confidence 3")
    await chat.send("alice", "/goal update 1.1 6")  # no confidence given: nothing changes
    assert len(chat.dms("carol")) == 1
    await chat.send("alice", "/goal update 1.1 7 confidence 5")  # it rose: the next fall counts again
    await chat.send("alice", "/goal update 1.1 8 confidence 4")
    await chat.send("alice", "/goal update 1.1 9 confidence 2")
    assert len(chat.dms("carol")) == 2


async def test_falling_behind_is_told_once_in_the_managers_language(chat, clock):
    await chat.send("wei", "/goal add Ship billing v2 by 2027-03-31")
    await chat.send("wei", "/goal kr 1 Migrate customers 0 -> 40 customers")
    clock.set(datetime(2027, 2, 10, 9, 0, tzinfo=UTC))  # 24.6 of 40 expected by now
    await chat.send("wei", "/goal update 1.1 14")
    chat.expect_dm(
        "carol", "张伟's goal #1 needs a look. A key result has fallen behind its pace.", "· behind"
    )
    await chat.send("wei", "/goal update 1.1 15")
    assert len(chat.dms("carol")) == 1
    await chat.send("wei", "/goal update 1.1 23")  # back on track
    chat.expect_reply("进展正常")
    await chat.send("wei", "/goal update 1.1 12")
    assert len(chat.dms("carol")) == 2


async def test_the_manager_is_not_told_of_their_own_update(chat):
    await chat.send("alice", "/goal add Ship billing v2 by 2027-03-31")
    await chat.send("alice", "/goal kr 1 Migrate customers 0 -> 40 customers")
    for confidence in (8, 6, 4):
        await chat.send("carol", f"/goal update 1.1 1 confidence {confidence}")
    chat.expect_no_dm("carol")
