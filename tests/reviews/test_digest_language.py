"""The digest speaks the manager's language and shows days in the manager's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from store import people


async def test_a_chinese_speaking_manager_in_shanghai(chat, app, org):
    async with app.db.transaction() as session:
        carol = await people.by_handle(session, org_id=org.id, handle="carol")
        carol.locale, carol.timezone = "zh-Hans", "Asia/Shanghai"
    app.clock.set(datetime(2026, 11, 24, 20, 0, tzinfo=UTC))  # already 25 Nov in Shanghai
    await chat.send("alice", "/checkin")
    for answer in (
        "2",
        "Fixed the flaky tests",
        "skip",
        "yes",
        "the staging database",
        "skip",
        "Release",
        "skip",
    ):
        await chat.send("alice", answer)
    await chat.send("carol", "/review schedule @alice 2026-12-10 16:00")  # 09:00 in Berlin
    await chat.send("carol", "/review digest @alice")
    reply = chat.expect_reply(
        "与 Alice Smith 的面谈", "建议议程", "11月25日：被“the staging database”阻塞", "▃"
    )
    assert "自评还没有提交。" in reply
    assert "⬜ 阅读自评（还没有提交）" in reply
    assert "⬜ 面谈安排不足三天" not in reply  # set more than three days ahead
    assert "Suggested agenda" not in reply


async def test_without_anything_recorded_the_digest_still_asks_three_questions(chat):
    await chat.send("carol", "/review schedule @bob tomorrow 15:00")
    await chat.send("carol", "/review digest @bob")
    reply = chat.expect_reply(
        "Nothing recorded.", "No earlier review in Rapport", "The self-review has not arrived yet"
    )
    questions = reply.split("Open questions to ask\n")[1].split("Your preparation")[0]
    assert questions.count("• _") == 4
    assert "⬜ Meeting set less than three days ahead" in reply
