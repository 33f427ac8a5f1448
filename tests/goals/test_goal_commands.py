"""Goals in chat, as people use them: set an objective, add key results, update, close, list, show."""

from __future__ import annotations


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
