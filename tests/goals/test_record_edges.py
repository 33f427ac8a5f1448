"""The meeting record's edges with development goals: a date that has passed by the time the record is
finished sends the form back to the development goals, saying which line, every other answer kept; a
kept answer keeps the words it was typed in (Chinese stays Chinese); the step's help says how to type
several goals where `;` cannot separate them; and the next review's agenda names a development goal the
last review agreed that is past its date."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from store import people
from store.action_models import ActionItem
from store.goal_models import DevelopmentGoal, Objective
from store.review_record_models import ReviewRecord

NOTHING_WRITTEN = (ReviewRecord, Objective, DevelopmentGoal, ActionItem)


async def rows(app, model):
    async with app.db.read() as session:
        return list(await session.scalars(select(model).order_by(model.id)))


async def test_a_date_passed_by_the_end_goes_back_to_the_development_goals(chat, app):
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    app.clock.set(datetime(2026, 12, 10, 16, 0, tzinfo=UTC))
    await chat.send("carol", "/review notes @alice")
    for answer in ("Shipped", "Good pace", "Plan smaller", "Wants to lead", "Lead the Q1 project"):
        await chat.send("carol", answer)
    await chat.send("carol", "Reading: one book a month\nMentoring: pair with the new hire; by tomorrow")
    app.clock.set(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))  # the record is finished days later
    await chat.send("carol", "@alice Draft the plan by 2026-12-20; @carol Book the course by 2026-12-21")
    await chat.send("carol", "A weekly hour together")
    chat.expect_reply(
        "Nothing is saved yet: a date in the development goals has passed since you typed them. "
        "Line 2, “Mentoring: pair with the new hire; by 2026-12-11”: “2026-12-11” is Fri 11 Dec 2026, "
        "which has already passed. Please give a date from today on. Your other answers are kept.",
        "Development goals from “Development and support”?",
        "Your current answer: Reading: one book a month\nMentoring: pair with the new hire; by 2026-12-11",
    )
    for model in NOTHING_WRITTEN:
        assert await rows(app, model) == [], model
    await chat.send("carol", "help")
    chat.expect_reply(
        "`;` already separates a goal's activity, support and date, so it cannot also separate goals.",
        "Shift+Enter starts a new line",
        "`/goal idp add @alice Skill: activity; support: …; by DATE`",
        "Development goals from “Development and support”?",
    )
    await chat.send("carol", "Reading: one book a month\nMentoring: pair with the new hire; by 2027-01-15")
    chat.expect_reply("The agreed actions", "Your current answer: ", "Draft the plan by 2026-12-20")
    await chat.send("carol", "skip")
    chat.expect_reply("The support you commit to give:", "Your current answer: A weekly hour together")
    await chat.send("carol", "skip")
    chat.expect_reply(
        "saved, with 2 agreed actions",
        "#1 Lead the Q1 project",
        "Development goals (2):\n#1 Reading: one book a month\n"
        "#2 Mentoring: pair with the new hire · due Fri 15 Jan 2027",
        "A weekly hour together",
    )
    [record] = await rows(app, ReviewRecord)
    assert record.support == "A weekly hour together" and record.parts["goals"] == "Shipped"


async def test_in_chinese_the_kept_answer_keeps_its_words_and_a_passed_date_is_asked_back(chat, app, org):
    async with app.db.transaction() as session:
        carol = await people.by_handle(session, org_id=org.id, handle="carol")
        carol.locale = "zh-Hans"
    app.clock.set(datetime(2027, 2, 22, 2, 0, tzinfo=UTC))
    await chat.send("carol", "/面谈 安排 @wei 2027-02-26 14:00 仍然")
    app.clock.set(datetime(2027, 2, 26, 7, 0, tzinfo=UTC))  # 15:00 in Shanghai
    await chat.send("carol", "/面谈 记录 @wei")
    for answer in ("迁移按计划进行", "沟通及时", "尽早上报风险", "想多做分享", "skip"):
        await chat.send("carol", answer)
    await chat.send("carol", "公开演讲：两次团队演示；支持：一个演示时段；截止 明天")
    chat.expect_reply("约定的行动")
    await chat.send("carol", "back")
    kept = "公开演讲：两次团队演示；支持：一个演示时段；截止 2027-02-27"
    chat.expect_reply("来自“发展与支持”的发展目标？", f"你目前的回答：{kept}（输入 跳过 保留）")
    await chat.send("carol", "help")
    chat.expect_reply("`；` 已用来分隔一个目标里的活动、支持和截止日期", "Shift+Enter", "/目标 发展计划 添加")
    await chat.send("carol", "skip")
    app.clock.set(datetime(2027, 3, 1, 2, 0, tzinfo=UTC))
    await chat.send("carol", "@wei 起草第二季度计划 截止 2027-03-20；@carol 安排演示时段 截止 2027-03-05")
    await chat.send("carol", "skip")
    chat.expect_reply(
        f"尚未保存任何内容：发展目标中的一个日期在你填写之后已经过去。第 1 行“{kept}”：",
        "已经过去了",
        "其他回答都已保留。",
        "来自“发展与支持”的发展目标？",
    )
    for model in NOTHING_WRITTEN:
        assert await rows(app, model) == [], model
    await chat.send("carol", "公开演讲：两次团队演示；支持：一个演示时段；截止 2027-04-15")
    await chat.send("carol", "skip")
    await chat.send("carol", "skip")
    chat.expect_reply(
        "你与 张伟 的面谈记录已保存，约定了 2 项行动。",
        "发展目标（1 个）：\n#1 公开演讲：两次团队演示 · 支持：一个演示时段 · 截止 2027年4月15日（周四）",
    )

    app.clock.set(datetime(2027, 5, 17, 2, 0, tzinfo=UTC))
    await chat.send("carol", "/面谈 安排 @wei 2027-05-27 14:00 仍然")
    await chat.tick(datetime(2027, 5, 24, 14, 0, tzinfo=UTC))
    digest = chat.expect_dm("carol", "与 张伟 的面谈")
    agenda = digest.split("建议议程\n")[1]
    assert "上次面谈约定的 1 个发展目标已过截止日期：“公开演讲”（2027年4月15日（周四） 到期）" in agenda, (
        agenda
    )


async def test_an_amendment_whose_date_has_passed_goes_back_too_and_changes_nothing_yet(chat, app):
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    app.clock.set(datetime(2026, 12, 10, 16, 0, tzinfo=UTC))
    await chat.send("carol", "/review notes @alice")
    for answer in ("Shipped", "Good pace", "Plan smaller", "Wants to lead", "skip", "skip"):
        await chat.send("carol", answer)
    await chat.send("carol", "@alice Draft the plan by 2026-12-20; reason: the plan is the action")
    await chat.send("carol", "skip")
    chat.expect_reply("saved, with 1 agreed action.")

    await chat.send("carol", "/review amend @alice")
    for answer in ("skip", "skip", "skip", "skip", "skip"):
        await chat.send("carol", answer)
    await chat.send("carol", "Mentoring: pair with the new hire weekly; by tomorrow")
    app.clock.set(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    await chat.send("carol", "skip")
    await chat.send("carol", "skip")
    chat.expect_reply(
        "Line 1, “Mentoring: pair with the new hire weekly; by 2026-12-11”: “2026-12-11” is Fri 11 Dec 2026",
        "Development goals from “Development and support”?",
    )
    [record] = await rows(app, ReviewRecord)
    assert record.amended_at is None and await rows(app, DevelopmentGoal) == []  # nothing changed yet
    await chat.send("carol", "Mentoring: pair with the new hire weekly; by 2027-01-29")
    await chat.send("carol", "skip")
    await chat.send("carol", "skip")
    chat.expect_reply("is amended", "#1 Mentoring: pair with the new hire weekly · due Fri 29 Jan 2027")
