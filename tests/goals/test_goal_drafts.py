"""Goals agreed at a review, carried into the next cycle as drafts the employee confirms; the next
digest shows what became of them."""

from __future__ import annotations

from datetime import UTC, datetime


async def test_goals_for_the_next_cycle_are_drafts_until_confirmed(chat):
    await chat.send("carol", "/goal next @alice Lead the Q1 project; Mentor a new hire")
    chat.expect_reply(
        "Drafted 2 goals for Alice Smith's next cycle, from Fri 1 Jan 2027:",
        "#1 Lead the Q1 project\n#2 Mentor a new hire",
        "I've asked them to confirm them.",
    )
    chat.expect_dm(
        "alice", "Carol Jones drafted 2 goals for your next cycle:", "[Confirm #1]", "[Confirm #2]"
    )
    await chat.send("bob", "/goal show 1")
    chat.expect_reply("There is no goal #1 that you can see.")  # a draft: Alice and her managers only
    await chat.send("carol", "/goal confirm 1")
    chat.expect_reply("Only Alice Smith can confirm goal #1.")
    await chat.press("alice", action_id="goal.confirm", value="1")
    chat.expect_reply("Goal #1 is yours: Lead the Q1 project. It starts on Fri 1 Jan 2027")
    await chat.send("alice", "/goal confirm 1")
    chat.expect_reply("Goal #1 is not a draft waiting to be confirmed.")
    await chat.send("alice", "/goal drop 2 the new hire starts in Q2")
    chat.expect_reply("Goal #2 is dropped: Mentor a new hire (reason: the new hire starts in Q2).")
    await chat.send("bob", "/goal show 1")
    chat.expect_reply("Goal #1: Lead the Q1 project")


async def test_for_oneself_in_chinese_and_refusals(chat):
    await chat.send("wei", "/目标 下期 负责第二季度项目")
    chat.expect_reply("已为你的下个周期起草 1 个目标，从 2027年1月1日（周五） 开始", "#1 负责第二季度项目")
    await chat.send("wei", "/目标 确认 1")
    chat.expect_reply("目标 #1 归你了：负责第二季度项目。")
    await chat.send("alice", "/goal next @bob Something for Bob")
    chat.expect_reply("Bob Brown does not report to you")
    await chat.send("alice", "/goal next")
    chat.expect_reply("Which goals for the next cycle?")


async def test_the_next_digest_shows_what_became_of_them(chat, app):
    await chat.send(
        "carol", "/goal next @alice Lead the Q1 project; Mentor a new hire; Write the guild charter"
    )
    await chat.press("alice", action_id="goal.confirm", value="1")
    await chat.send("alice", "/goal drop 2")
    app.clock.set(datetime(2027, 2, 18, 9, 0, tzinfo=UTC))
    await chat.send("carol", "/review schedule @alice 2027-02-26 14:00")
    await chat.tick(datetime(2027, 2, 23, 14, 0, tzinfo=UTC))
    digest = chat.expect_dm("carol", "Review with Alice Smith")
    goals = digest.split("Goals and results\n")[1].split("How the work went")[0]
    for line in (
        "#1 Lead the Q1 project · on track",
        "#2 Mentor a new hire · dropped",
        "#3 Write the guild charter · a draft to confirm",
    ):
        assert line in goals, (line, goals)


async def test_people_named_in_a_drafted_goal_are_written_by_name(chat):
    """Fuzzing found `/goal next <@U…|x>` answering with an internal error: a mention after the first
    was never resolved. Now each is, and reads as the person's name; an unknown one is asked back."""
    await chat.send("carol", "/goal next @alice Pair with @bob on billing; Onboard @wei")
    chat.expect_reply("#1 Pair with @Bob Brown on billing\n#2 Onboard @张伟")
    await chat.send("carol", "/goal next @alice Pair with @nobody on billing")
    chat.expect_reply("I couldn't find @nobody in your organisation.")
    await chat.send("alice", "/goal next Learn from @carol")
    chat.expect_reply("#3 Learn from @Carol Jones")
