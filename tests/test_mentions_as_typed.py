"""Mentions as people type them: lists with commas and punctuation, Chinese display names, a typo in
the command, another platform's mention pasted into the console. What people receive is what they
meant, and nobody is invented."""

from __future__ import annotations

from sqlalchemy import func, select

from store.models import Person


async def people_count(app) -> int:
    async with app.db.read() as session:
        return await session.scalar(select(func.count()).select_from(Person))


async def test_punctuation_between_and_after_mentions_is_not_the_message(chat):
    await chat.send("bob", "/kudos @wei@example.com, @alice: nice")
    chat.expect_reply("Kudos sent to 张伟 and Alice Smith.")
    assert chat.dms("wei")[-1] == "🎉 Bob Brown 给你点赞：nice"
    assert chat.dms("alice")[-1] == "🎉 Bob Brown gave you kudos: nice"
    for typed in ("/kudos @alice! thanks", "/kudos @alice, thanks", "/kudos @alice and @wei thanks"):
        await chat.send("bob", typed)
        assert chat.dms("alice")[-1] == "🎉 Bob Brown gave you kudos: thanks"
    await chat.send("carol", "/kudos @张伟，谢谢你的文档")
    assert chat.dms("wei")[-1] == "🎉 Carol Jones 给你点赞：谢谢你的文档"
    await chat.send("bob", "/kudos @alice :) nice one")  # a smiley is the message, not punctuation
    assert chat.dms("alice")[-1] == "🎉 Bob Brown gave you kudos: :) nice one"


async def test_a_chinese_display_name_after_at_is_a_mention(chat, app):
    await chat.send("bob", "/kudos @张伟 thanks for the docs")
    chat.expect_reply("Kudos sent to 张伟.")
    assert chat.dms("wei")[-1] == "🎉 Bob Brown 给你点赞：thanks for the docs"
    await chat.send("wei", "/kudos @李四 谢谢")
    chat.expect_reply("在你的组织中找不到 @李四。")
    await chat.send("bob", "/feedback @张伟 The rollout notes were clear")
    chat.expect_reply("Feedback sent to 张伟.")
    await chat.send("carol", "/action @张伟 Translate the guide by 2026-12-04")
    chat.expect_reply("Action #1 is on 张伟's list: Translate the guide")


async def test_a_command_typo_is_asked_back(chat):
    await chat.send("bob", "/kudo @alice great demo")
    chat.expect_reply("I don't know `/kudo @alice great demo`. Did you mean `/kudos @alice great demo`?")
    await chat.send("bob", "/feedbak @alice Nice")
    chat.expect_reply("Did you mean `/feedback @alice Nice`?")
    await chat.send("wei", "/kudo @alice 谢谢")
    chat.expect_reply("我不认识 `/kudo @alice 谢谢`。你是想输入 `/kudos @alice 谢谢` 吗？")
    assert chat.dms("alice") == []


async def test_another_platforms_mention_in_the_console_names_nobody_and_creates_nobody(chat, app):
    before = await people_count(app)
    await chat.send("bob", "/kudos <@U0CAROL> thanks")
    chat.expect_reply("I couldn't find @U0CAROL in your organisation.")
    await chat.send("bob", "/feedback <@UFAKE998> secret feedback text")
    chat.expect_reply("I couldn't find @UFAKE998")
    await chat.send("bob", "/action <@UFAKE997> do something by 2026-12-04")
    chat.expect_reply("I couldn't find @UFAKE997")
    assert await people_count(app) == before
    assert [d for d in chat.deliveries if "U0CAROL" in d.label or "UFAKE" in d.label] == []
