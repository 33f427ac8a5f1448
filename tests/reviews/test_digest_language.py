"""The digest speaks the manager's language; what people wrote is dated by the writer's own day (as the
employee's self-review dates it), the meeting in the manager's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from store import people


async def test_a_chinese_speaking_manager_in_shanghai(chat, app, org):
    async with app.db.transaction() as session:
        carol = await people.by_handle(session, org_id=org.id, handle="carol")
        carol.locale, carol.timezone = "zh-Hans", "Asia/Shanghai"
    app.clock.set(datetime(2026, 11, 24, 20, 0, tzinfo=UTC))  # 24 Nov in Berlin, already 25 Nov in Shanghai
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
        "与 Alice Smith 的面谈", "建议议程", "11月24日：被“the staging database”阻塞", "▃"
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


async def test_the_manager_and_the_employee_date_the_same_check_in_alike(chat, app):
    """张伟 answers at 00:10 on 25 Nov in Shanghai (16:10 on the 24th in London): Carol's digest and
    张伟's self-review both quote it as of 25 Nov."""
    app.clock.set(datetime(2026, 11, 24, 16, 10, tzinfo=UTC))
    await chat.send("wei", "/签到")
    for answer in ("4", "上线", "跳过", "否", "跳过", "等待基础设施团队", "跳过"):
        await chat.send("wei", answer)
    await chat.send("carol", "/review schedule @wei 2026-12-10 09:00")
    await chat.send("carol", "/review digest @wei")
    chat.expect_reply("• Nov 25: “等待基础设施团队”")
    await chat.send("wei", "/review self")
    chat.expect_reply("你在 11月25日 说过：“等待基础设施团队”")
