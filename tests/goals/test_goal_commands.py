"""Goals in chat, as people use them: set an objective, add key results, update, close, list, show."""

from __future__ import annotations

from datetime import timedelta


async def test_a_quarter_goal_with_two_key_results(chat):
    await chat.send("alice", "/goal add Ship billing v2 by 2027-03-31")
    chat.expect_reply("Goal #1 is set: Ship billing v2. It runs to Wed 31 Mar 2027.", "/goal kr 1 Migrate")
    await chat.send("alice", "/goal kr 1 Migrate customers 0 -> 40 customers")
    chat.expect_reply("Key result 1.1 is added: Migrate customers, from 0 to 40 customers.")
    await chat.send("alice", "/goal kr 1 Launch the pricing page")
    chat.expect_reply("Key result 1.2 is added: Launch the pricing page (a milestone: `/goal done 1.2`")
    await chat.send("alice", "/goal update 1.1 12 confidence 7 two more signed")
    chat.expect_reply("Updated: 1.1 Migrate customers ▰▰▰▱▱▱▱▱▱▱ 12/40 customers", "· confidence 7")
    await chat.send("alice", "/goal done 1.2")
    chat.expect_reply("Key result 1.2 is done: Launch the pricing page. Well done.")
    await chat.send("alice", "/goal show 1")
    chat.expect_reply(
        "Goal #1: Ship billing v2",
        "#1 Ship billing v2 · on track",
        "1.1 Migrate customers ▰▰▰▱▱▱▱▱▱▱ 12/40 customers · pace 0 · on track · confidence 7",
        "Alice Smith · personal goal · runs to Wed 31 Mar 2027",
        "1.2 Launch the pricing page · reached",
        "Updates",
        "Tue 24 Nov 2026: 1.1 → 12 (Alice Smith) · confidence 7: two more signed",
        "Tue 24 Nov 2026: 1.2 done (Alice Smith)",
    )


async def test_the_same_in_chinese_with_amounts_in_yuan_and_customers(chat):
    await chat.send("wei", "/目标 添加 上线计费 v2 截止 2027-03-31")
    chat.expect_reply("目标 #1 已设定：上线计费 v2。周期到 2027年3月31日（周三）。")
    await chat.send("wei", "/目标 关键结果 1 新增客户 0 -> 40 个客户")
    chat.expect_reply("已添加关键结果 1.1：新增客户，从 0 到 40 个客户。")
    await chat.send("wei", "/目标 关键结果 1 新增收入 0 到 500000 元")
    chat.expect_reply("已添加关键结果 1.2：新增收入，从 0 到 500,000 元。")
    await chat.send("wei", "/目标 更新 1.2 １２００００ 信心 6 两个大单")
    chat.expect_reply("已更新：1.2 新增收入 ▰▰▱▱▱▱▱▱▱▱ 120,000/500,000 元 · 应达 0 · 进展正常 · 信心 6")
    await chat.send("wei", "/目标 完成 1.1")
    chat.expect_reply("关键结果 1.1 已完成：新增客户。干得好。")
    await chat.send("wei", "/目标 列表")
    chat.expect_reply(
        "你的目标", "#1 上线计费 v2 · 进展正常", "1.1 新增客户 ▰▰▰▰▰▰▰▰▰▰ 40/40 个客户 · 已完成"
    )
    await chat.send("wei", "/目标 放弃 1 合并到公司目标")
    chat.expect_reply("目标 #1 已放弃：上线计费 v2（原因：合并到公司目标）。")
    await chat.send("wei", "/目标 更新 1.2 5")
    chat.expect_reply("目标 #1 已经放弃。")


async def test_a_decreasing_target(chat):
    await chat.send("alice", "/goal add Keep customers")
    chat.expect_reply("Goal #1 is set: Keep customers. It runs to Thu 31 Dec 2026.")
    await chat.send("alice", "/goal kr 1 Monthly churn 8 -> 3 %")
    chat.expect_reply("Key result 1.1 is added: Monthly churn, from 8 to 3 %.")
    await chat.send("alice", "/goal update 1.1 5.5")
    chat.expect_reply("Updated: 1.1 Monthly churn ▰▰▰▰▰▱▱▱▱▱ 5.5/3 % · pace 8 · on track")


async def test_wrong_input_gets_a_polite_answer(chat):
    await chat.send("alice", "/goal add Ship billing v2")
    await chat.send("alice", "/goal kr 1 Migrate customers 0 -> 40 customers")
    await chat.send("alice", "/goal kr 1 Launch the pricing page")
    refusals = {
        "/goal show 99": "There is no goal #99 that you can see.",
        "/goal show 1.x": "Please give the goal's number",
        "/goal update 1 25": "Which key result of goal #1? Give its number, like `/goal update 1.1 25`.",
        "/goal update 1.7 25": "Goal #1 has no key result 1.7.",
        "/goal update 1.1": "What is the new value?",
        "/goal update 1.1 lots": "“lots” is not a number I can read.",
        "/goal update 1.1 1e999": "“1e999” is not a number I can read.",
        "/goal update 1.1 99999999999999999": "too large a number",
        "/goal update 1.1 25 confidence 11": "A confidence is a whole number from 1 (it won't happen) to 10",
        "/goal update 1.1 25 0": "not “0”",
        "/goal update 1.2 25": "Key result 1.2 is a milestone: it is done or not.",
        "/goal add Ship it by someday": "someday",
        "/goal add Ship it by 2026-11-01": "which has already passed",
        "/goal add Ship it for @bob": "Bob Brown does not report to you",
        "/goal add Ship it for @nobody": "nobody",
        "/goal add Ship it for company": "Company goals are set by HR.",
        "/goal add Ship it for team": "Nobody reports to you in Rapport",
        "/goal add Ship it under 42": "There is no goal #42 that you can see.",
        "/goal add @bob Ship it": "Put the person after `for`",
        "/goal add ok": "Please say what the goal is",
        "/goal kr 1 Same 5 -> 5": "The start and the target are both 5",
        "/goal kr 1": "Say what the key result is",
        "/goal kr": "Say what the key result is",
        "/goal edit 1": "What should change?",
        "/goal edit 1 status sideways": "Which status?",
        "/goal edit 1 status at risk": "Please say why",
        "/goal list @bob @carol": "Whose goals?",
        "/goal updte 1.1 5": "Did you mean `/goal update 1.1 5`?",
        "/goal complete 1.1": "Did you mean `/goal done 1.1`?",
        "/goal frobnicate": "I don't know `/goal frobnicate`",
    }
    for line, answer in refusals.items():
        await chat.send("alice", line)
        chat.expect_reply(answer)


async def test_someone_elses_goal_is_seen_but_not_changed(chat):
    await chat.send("alice", "/goal add Ship billing v2")
    await chat.send("alice", "/goal kr 1 Migrate customers 0 -> 40 customers")
    await chat.send("bob", "/goal update 1.1 30")
    chat.expect_reply("Only Alice Smith, whoever created goal #1, or Alice Smith's managers can change it.")
    await chat.send("bob", "/goal show 1")
    chat.expect_reply("Goal #1: Ship billing v2", "0/40 customers")
    await chat.send("carol", "/goal update 1.1 5 confidence 6 a slow start")  # her manager may
    chat.expect_reply("Updated: 1.1 Migrate customers", "5/40 customers", "confidence 6")
    await chat.send("bob", "/goal show 1")
    reply = chat.expect_reply("5/40 customers")
    assert "confidence" not in reply and "slow start" not in reply  # for Alice and her managers


async def test_at_most_five_key_results(chat):
    await chat.send("alice", "/goal add Ship billing v2")
    for n in range(1, 6):
        await chat.send("alice", f"/goal kr 1 Step number {n}")
    await chat.send("alice", "/goal kr 1 One too many")
    chat.expect_reply("Goal #1 already has 5 key results, the most a goal can have.")
    await chat.send("alice", "/goal drop 1.5")
    chat.expect_reply("Key result 1.5 is dropped: Step number 5.")
    await chat.send("alice", "/goal kr 1 Now it fits")
    chat.expect_reply("Key result 1.6 is added: Now it fits")


async def test_a_manager_sets_goals_for_a_report_and_the_team(chat):
    await chat.send("carol", "/goal add Grow the platform team for team")
    chat.expect_reply("Goal #1 is set for your team: Grow the platform team. It runs to Thu 31 Dec 2026.")
    await chat.send("carol", "/goal add Lead the on-call rota for @alice under 1")
    chat.expect_reply(
        "Goal #2 is set for Alice Smith: Lead the on-call rota. I've let them know.",
        "It sits under goal #1: Grow the platform team.",
    )
    chat.expect_dm("alice", "Carol Jones set a goal for you: #2 Lead the on-call rota.")
    await chat.send("alice", "/goal show 2")
    chat.expect_reply("Alice Smith · personal goal", "It sits under goal #1: Grow the platform team.")
    await chat.send("carol", "/goal list team")
    chat.expect_reply(
        "Your team's goals", "#1 Carol Jones: Grow the platform team", "#2 Alice Smith: Lead the on-call rota"
    )
    await chat.send("bob", "/goal list team")
    chat.expect_reply("Nobody reports to you in Rapport")


async def test_the_status_by_hand_and_back_to_the_pace(chat):
    await chat.send("alice", "/goal add Ship billing v2")
    await chat.send("alice", "/goal edit 1 status at risk the supplier is late")
    chat.expect_reply("Goal #1 is marked at risk: the supplier is late.")
    await chat.send("alice", "/goal show 1")
    chat.expect_reply("#1 Ship billing v2 · at risk", "Marked by hand: the supplier is late")
    await chat.send("alice", "/goal edit 1 status auto")
    chat.expect_reply("Goal #1 follows its pace again.")
    await chat.send("alice", "/goal edit 1 Ship billing v3 by 2027-01-15")
    chat.expect_reply("Goal #1 now reads: Ship billing v3.")
    await chat.send("alice", "/goal show 1")
    chat.expect_reply("runs to Fri 15 Jan 2027")
    await chat.send("alice", "/goal done 1")
    chat.expect_reply("Goal #1 is done: Ship billing v3. Well done.")
    await chat.send("alice", "/goal done 1")
    chat.expect_reply("Goal #1 is already done.")


async def test_an_update_is_dated_by_each_readers_calendar(chat, clock):
    """23:30 UTC on Tuesday is already Wednesday morning in Shanghai and Berlin, still Tuesday evening
    in New York: each reader sees the update on the day it was where they are."""
    await chat.send("wei", "/目标 添加 上线计费 v2 截止 2027-03-31")
    await chat.send("wei", "/目标 关键结果 1 新增客户 0 -> 40 个客户")
    clock.advance(timedelta(hours=14, minutes=30))  # Tue 24 Nov 23:30 UTC
    await chat.send("wei", "/目标 更新 1.1 12")
    await chat.send("wei", "/目标 查看 1")
    chat.expect_reply("更新记录", "2026年11月25日（周三）：1.1 → 12（张伟）")
    await chat.send("alice", "/goal show 1")
    chat.expect_reply("Updates", "Wed 25 Nov 2026: 1.1 → 12 (张伟)")
    await chat.send("bob", "/goal show 1")
    chat.expect_reply("Updates", "Tue 24 Nov 2026: 1.1 → 12 (张伟)")
