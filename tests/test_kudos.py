"""Kudos, as people would type them."""

from __future__ import annotations

from sqlalchemy import func, select

from store.models import Kudos, KudosRecipient, OutboxMessage


async def count(app, model) -> int:
    async with app.db.read() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_kudos_reach_each_recipient_in_their_language(chat, app):
    await chat.send("bob", "/kudos @alice @wei great demo #ownership")
    chat.expect_reply("Kudos sent to Alice Smith and 张伟")
    chat.expect_dm("alice", "Bob Brown gave you kudos: great demo", "#ownership")
    chat.expect_dm("wei", "Bob Brown 给你点赞：great demo", "价值观")
    async with app.db.read() as session:
        kudos = (await session.scalars(select(Kudos))).one()
        assert kudos.message == "great demo"
        assert kudos.company_values == ["ownership"]
        assert len(kudos.recipients) == 2


async def test_kudos_in_a_channel_are_posted_there(chat):
    await chat.send("alice", "/kudos @bob thanks for the #customer call", channel="#general")
    chat.expect_reply("posted them here")
    assert chat.posts("#general") == [
        "🎉 Alice Smith gave kudos to Bob Brown: thanks for the #customer call\nValues: #customer"
    ]


async def test_mentions_inside_the_message_read_as_names(chat):
    await chat.send("carol", "/kudos thanks @alice and @bob for the release")
    chat.expect_dm("alice", "thanks @Alice Smith and @Bob Brown for the release")


async def test_kudos_alone_shows_help_with_an_example(chat, app):
    await chat.send("alice", "/kudos")
    chat.expect_reply("/kudos @ann @bob shipped the migration on time #ownership", "#ownership, #teamwork")
    assert await count(app, Kudos) == 0


async def test_chinese_speaker_gets_help_in_chinese(chat):
    await chat.send("wei", "/kudos")
    chat.expect_reply("感谢同事")


async def test_no_recipient(chat, app):
    await chat.send("alice", "/kudos great demo")
    chat.expect_reply("Who are the kudos for?")
    assert await count(app, Kudos) == 0


async def test_only_yourself(chat, app):
    await chat.send("alice", "/kudos @alice great work me")
    chat.expect_reply("Kudos are for other people")
    assert await count(app, Kudos) == 0


async def test_yourself_among_others_is_left_out(chat, app):
    await chat.send("alice", "/kudos @alice @bob we did it")
    chat.expect_reply("Kudos sent to Bob Brown", "I left you out")
    chat.expect_no_dm("alice")
    async with app.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(KudosRecipient)) == 1


async def test_unknown_person_is_named_and_nothing_is_stored(chat, app):
    await chat.send("alice", "/kudos @bob @zed @nobody@example.com great demo")
    chat.expect_reply("couldn't find @zed and @nobody@example.com")
    assert await count(app, Kudos) == 0
    assert await count(app, OutboxMessage) == 0
    chat.expect_no_dm("bob")


async def test_message_too_short(chat, app):
    await chat.send("alice", "/kudos @bob ok #teamwork")
    chat.expect_reply("at least 3 characters")
    assert await count(app, Kudos) == 0


async def test_message_too_long(chat, app):
    await chat.send("alice", "/kudos @bob " + "x" * 1001)
    chat.expect_reply("1001 characters long", "at most 1000")
    assert await count(app, Kudos) == 0


async def test_message_of_exactly_the_limit_is_accepted(chat, app):
    await chat.send("alice", "/kudos @bob " + "y" * 1000)
    chat.expect_reply("Kudos sent to Bob Brown")
    assert await count(app, Kudos) == 1


async def test_unknown_value_lists_the_valid_ones(chat, app):
    await chat.send("alice", "/kudos @bob great demo #speed #ownership")
    chat.expect_reply("#speed is not one of your company values", "#ownership, #teamwork, #customer")
    assert await count(app, Kudos) == 0


async def test_values_are_case_insensitive(chat, app):
    await chat.send("alice", "/kudos @bob great demo #Ownership")
    chat.expect_dm("bob", "#ownership")


async def test_two_or_three_chinese_characters_are_a_whole_message(chat, app):
    await chat.send("wei", "/kudos @bob 谢谢")
    chat.expect_reply("已给 Bob Brown 点赞")
    await chat.send("wei", "/kudos @alice 辛苦了")
    chat.expect_reply("已给 Alice Smith 点赞")
    chat.expect_dm("bob", "张伟 gave you kudos: 谢谢")
    await chat.send("wei", "/kudos @bob 谢")
    chat.expect_reply("至少两个汉字（或 3 个字母）")
    await chat.send("alice", "/kudos @bob 🙏")
    chat.expect_reply("at least 3 characters")
    assert await count(app, Kudos) == 2
