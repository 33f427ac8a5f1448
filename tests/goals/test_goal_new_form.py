"""`/goal new`: a goal set up one question at a time, in both languages, wrong answers asked again."""

from __future__ import annotations


async def test_a_goal_one_question_at_a_time(chat):
    await chat.send("carol", "/goal add Modernise billing for team")
    await chat.send("alice", "/goal new")
    chat.expect_reply("Let's set a goal for this cycle", "What do you want to achieve?")
    await chat.send("alice", "ok")
    chat.expect_reply("Please say what the goal is", "What do you want to achieve?")
    await chat.send("alice", "Ship billing v2")
    chat.expect_reply("By when?")
    await chat.send("alice", "someday")
    chat.expect_reply("someday", "By when?")
    await chat.send("alice", "2027-03-31")
    chat.expect_reply("Does it sit under a team or company goal?")
    await chat.send("alice", "99")
    chat.expect_reply("There is no goal #99 that you can see.", "Does it sit under")
    await chat.send("alice", "1")
    chat.expect_reply("Key result 1 (up to 5)")
    await chat.send("alice", "done")
    chat.expect_reply("A goal needs at least one key result")
    await chat.send("alice", "Migrate customers 0 -> 40 customers")
    chat.expect_reply("Key result 2 (up to 5)")
    await chat.send("alice", "Migrate invoices 5 -> 5")
    chat.expect_reply("The start and the target are both 5", "Key result 2")
    await chat.send("alice", "Oops a wrong one")
    await chat.send("alice", "back")
    chat.expect_reply("Key result 2 (up to 5)")
    await chat.send("alice", "Launch the pricing page")
    await chat.send("alice", "done")
    chat.expect_reply(
        "New goal: Goal #2 is set: Ship billing v2. It runs to Wed 31 Mar 2027.",
        "It sits under goal #1: Modernise billing.",
        "With 2 key results: `/goal show 2`.",
    )
    await chat.send("alice", "/goal show 2")
    chat.expect_reply("2.1 Migrate customers", "2.2 Launch the pricing page")
    assert "Oops" not in chat.replies[-1]


async def test_in_chinese_and_cancelled(chat):
    await chat.send("wei", "/目标 新建")
    chat.expect_reply("你想达成什么？")
    await chat.send("wei", "提升客户满意度")
    await chat.send("wei", "跳过")
    await chat.send("wei", "跳过")
    await chat.send("wei", "新增收入 0 到 500000 元")
    chat.expect_reply("关键结果 2（最多 5 个）")
    await chat.send("wei", "取消")
    chat.expect_reply("`/goal new`")
    await chat.send("wei", "/goal list")
    chat.expect_reply("这里没有进行中的目标")


async def test_a_second_goal_new_carries_on_and_another_follows(chat):
    await chat.send("alice", "/goal new")
    await chat.send("alice", "Ship billing v2")
    await chat.send("alice", "/goal new")
    chat.expect_reply("Carrying on with the goal you started:", "By when?")
    for answer in ("skip", "skip", "Launch the pricing page", "done"):
        await chat.send("alice", answer)
    chat.expect_reply("Goal #1 is set: Ship billing v2.")
    await chat.send("alice", "/goal new")  # at the same moment: a new one all the same
    chat.expect_reply("What do you want to achieve?")
