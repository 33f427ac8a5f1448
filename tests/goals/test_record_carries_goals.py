"""The meeting's record carries goals into the next period, in Chinese: a manager who reads Chinese
records 张伟's review, her goals and development plan shown under their questions; the goals for the
next cycle and the development goals are checked on their step (a bad title, an unplaced part, a date
that has passed are asked back), written with the record, listed in her copy, and the next digest says
what became of them. An amended record adds what is new and keeps what is there."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from store import people
from store.goal_models import DevelopmentGoal, Objective
from store.review_record_models import ReviewRecord


async def rows(app, model):
    async with app.db.read() as session:
        return list(await session.scalars(select(model).order_by(model.id)))


async def carol_reads_chinese(app, org) -> None:
    async with app.db.transaction() as session:
        carol = await people.by_handle(session, org_id=org.id, handle="carol")
        carol.locale = "zh-Hans"


async def test_in_chinese_from_the_record_to_the_next_digest(chat, app, org):
    await carol_reads_chinese(app, org)
    app.clock.set(datetime(2027, 1, 4, 2, 0, tzinfo=UTC))
    await chat.send("wei", "/目标 添加 上线计费 2.0 截止 2027-03-31")
    await chat.send("wei", "/目标 关键结果 1 迁移客户 0 -> 40 个客户")
    await chat.send("carol", "/目标 发展计划 添加 @wei 数据分析：完成 SQL 课程；截止 2027-03-20")
    app.clock.set(datetime(2027, 2, 22, 2, 0, tzinfo=UTC))
    await chat.send("carol", "/面谈 安排 @wei 2027-02-26 14:00 仍然")
    app.clock.set(datetime(2027, 2, 26, 15, 0, tzinfo=UTC))
    await chat.send("carol", "/面谈 记录 @wei")
    chat.expect_reply(
        "目标与成果：你们一起得出了什么结论？", "张伟 本期的目标：\n#1 上线计费 2.0 · ", "1.1 迁移客户"
    )
    for answer in ("迁移按计划进行", "沟通及时", "尽早上报风险"):
        await chat.send("carol", answer)
    chat.expect_reply(
        "发展与支持", "张伟 进行中的发展目标：\n#1 数据分析：完成 SQL 课程 · 截止 2027年3月20日（周六）"
    )
    await chat.send("carol", "想多做分享")
    chat.expect_reply("下一周期的目标？")
    await chat.send("carol", "一；二")
    chat.expect_reply("至少")  # a title too short to be a goal: asked again, nothing written
    await chat.send("carol", "上线定价页面；指导一位新同事")
    chat.expect_reply("来自“发展与支持”的发展目标？")
    await chat.send("carol", "公开演讲：两次团队演示；每周练习")
    chat.expect_reply("我不知道“每周练习”指什么")
    await chat.send("carol", "公开演讲：两次团队演示；截止 2027-02-01")
    chat.expect_reply("已经过去了")
    await chat.send("carol", "back")
    chat.expect_reply("下一周期的目标？", "你目前的回答：上线定价页面；指导一位新同事")  # kept as typed
    await chat.send("carol", "skip")
    await chat.send("carol", "公开演讲：两次团队演示；支持：一个演示时段；截止 2027-06-14")
    chat.expect_reply("约定的行动")
    assert await rows(app, Objective) != [] and len(await rows(app, DevelopmentGoal)) == 1  # nothing yet
    await chat.send("carol", "@wei 起草第二季度计划 截止 2027-03-20；@carol 安排演示时段 截止 2027-03-05")
    await chat.send("carol", "skip")
    chat.expect_reply(
        "你与 张伟 的面谈记录已保存，约定了 2 项行动。",
        "下个周期的 2 个目标，从 2027年4月1日（周四） 开始（确认前为草稿）：\n#2 上线定价页面\n#3 指导一位新同事",
        "发展目标（1 个）：\n#2 公开演讲：两次团队演示 · 支持：一个演示时段 · 截止 2027年6月14日（周一）",
    )
    chat.expect_dm(
        "wei",
        "#2 上线定价页面\n#3 指导一位新同事\n用按钮或 `/goal confirm 编号` 确认这 2 个目标",
        "[确认 #2]",
        "[确认 #3]",
    )
    await chat.send("wei", "/目标 确认 2")
    chat.expect_reply("目标 #2 归你了：上线定价页面。")

    app.clock.set(datetime(2027, 5, 17, 2, 0, tzinfo=UTC))
    await chat.send("carol", "/面谈 安排 @wei 2027-05-27 14:00 仍然")
    await chat.tick(datetime(2027, 5, 24, 14, 0, tzinfo=UTC))
    digest = chat.expect_dm("carol", "与 张伟 的面谈")
    goals = digest.split("目标与成果\n")[1].split("过程与行为")[0]
    assert (
        "2月26日面谈时起草的目标：\n    #2 上线定价页面 · 已确认\n    #3 指导一位新同事 · 仍是草稿，未确认"
        in goals
    ), goals
    development = digest.split("发展与支持\n")[1].split("建议议程")[0]
    assert (
        "2月26日面谈时约定的发展目标：\n"
        "    #2 公开演讲：两次团队演示 · 支持：一个演示时段 · 截止 2027年6月14日（周一） · 进行中\n"
        "进行中的发展目标（1 个）：\n"
        "    #1 数据分析：完成 SQL 课程 · 截止 2027年3月20日（周六） · 已逾期"
    ) in development, development


async def test_an_amended_record_adds_new_goals_and_keeps_those_there(chat, app):
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    app.clock.set(datetime(2026, 12, 10, 16, 0, tzinfo=UTC))
    await chat.send("carol", "/review notes @alice")
    for answer in ("Shipped", "Good pace", "Plan smaller", "Wants to lead", "Lead the Q1 project", "none"):
        await chat.send("carol", answer)
    await chat.send("carol", "@alice Draft the plan by 2026-12-20; reason: the plan is the action")
    await chat.send("carol", "skip")
    chat.expect_reply("saved, with 1 agreed action.", "#1 Lead the Q1 project")
    assert await rows(app, DevelopmentGoal) == []  # "none" says nothing: no development goal
    await chat.press("alice", action_id="goal.confirm", value="1")

    await chat.send("carol", "/review amend @alice")
    for answer in ("skip", "skip", "skip", "skip"):
        await chat.send("carol", answer)
    chat.expect_reply("Your current answer: Lead the Q1 project")
    await chat.send("carol", "Lead the Q1 project; Mentor a new hire")
    await chat.send("carol", "Mentoring: pair with the new hire weekly; by 2027-02-26")
    for answer in ("skip", "skip"):
        await chat.send("carol", answer)
    chat.expect_reply(
        "is amended",
        "#1 Lead the Q1 project · open\n#2 Mentor a new hire",
        "#1 Mentoring: pair with the new hire weekly · due Fri 26 Feb 2027",
    )
    copy = chat.expect_dm("alice", "has amended the record", "[Confirm #2]")
    assert "[Confirm #1]" not in copy  # confirmed already
    objectives = await rows(app, Objective)
    assert [(o.title, o.status, o.source) for o in objectives] == [
        ("Lead the Q1 project", "open", "review"),
        ("Mentor a new hire", "draft", "review"),
    ]
    [record] = await rows(app, ReviewRecord)
    assert {o.source_ref for o in objectives} == {str(record.meeting_id)}


async def test_the_development_question_stays_on_its_step_when_there_are_too_many(chat, app):
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    app.clock.set(datetime(2026, 12, 10, 16, 0, tzinfo=UTC))
    await chat.send("carol", "/review notes @alice")
    for answer in ("Shipped", "Good pace", "Plan smaller", "Wants to lead", "skip"):
        await chat.send("carol", answer)
    await chat.send("carol", "\n".join(f"Skill {n}: practise" for n in range(4)))
    chat.expect_reply("At most 3 development goals at once, please, one a line.")
    await chat.send("carol", "help")
    chat.expect_reply("Development goals from")
    await chat.send("carol", "cancel")
    assert await rows(app, DevelopmentGoal) == [] and await rows(app, Objective) == []
