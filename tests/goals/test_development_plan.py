"""The individual development plan in chat: set by the person or their manager, seen by those two only."""

from __future__ import annotations


async def test_a_manager_adds_a_development_goal_and_the_report_closes_it(chat):
    await chat.send(
        "carol",
        "/goal idp add @alice Public speaking: present at two team demos; support: a slot in the demo schedule; by 2027-03-31",
    )
    chat.expect_reply(
        "Development goal added for Alice Smith: #1 Public speaking: present at two team demos"
        " · support: a slot in the demo schedule · due Wed 31 Mar 2027"
    )
    chat.expect_dm("alice", "Carol Jones added a development goal for you: #1 Public speaking")
    await chat.send("alice", "/goal idp list")
    chat.expect_reply("Your development plan", "#1 Public speaking: present at two team demos")
    for handle in ("bob", "dan"):
        await chat.send(handle, "/goal idp list @alice")
        chat.expect_reply("Development goals are between a person and their manager")
        await chat.send(handle, "/goal idp done 1")
        chat.expect_reply("There is no development goal #1 that you can see.")
    await chat.send("alice", "/goal idp done 1")
    chat.expect_reply("Development goal done: #1 Public speaking", "· done. Well done.")
    chat.expect_dm("carol", "Alice Smith marked a development goal done")
    await chat.send("alice", "/goal idp drop 1")
    chat.expect_reply("Development goal #1 is already done.")


async def test_in_chinese_and_its_refusals(chat):
    await chat.send(
        "wei", "/目标 发展计划 添加 数据分析：完成 SQL 课程；支持：每周两小时学习时间；截止 2027-02-26"
    )
    chat.expect_reply(
        "已为 张伟 添加发展目标：#1 数据分析：完成 SQL 课程 · 支持：每周两小时学习时间 · 截止 2027年2月26日（周五）"
    )
    await chat.send("wei", "/目标 发展计划 添加 数据分析；每周练习")
    chat.expect_reply("我不知道“每周练习”指什么")
    await chat.send("wei", "/目标 发展计划 添加 @bob 数据分析")
    chat.expect_reply("发展目标只属于本人和其上级，而 Bob Brown 不向你汇报。")
    await chat.send("wei", "/goal idp add SQL; by someday")
    chat.expect_reply("someday")
    await chat.send("wei", "/goal idp dnoe 1")
    chat.expect_reply("`/goal idp done 1`")


async def test_people_named_in_a_development_goal_are_written_by_name(chat):
    await chat.send("carol", "/goal idp add @alice Code review: pair with @bob weekly; by 2027-03-31")
    chat.expect_reply("Development goal added for Alice Smith: #1 Code review: pair with @Bob Brown weekly")
    await chat.send("carol", "/goal idp add @alice Code review: pair with @nobody weekly")
    chat.expect_reply("I couldn't find @nobody in your organisation.")
    await chat.send("alice", "/goal idp list")
    chat.expect_reply("#1 Code review: pair with @Bob Brown weekly")
