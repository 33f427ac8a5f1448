"""A quarter with goals: set at its start, updated through weekly check-ins, one going at risk; the
manager's digest shows them with their pace and dated updates, and ranks the one at risk. The meeting's
record shows them again and carries goals and development goals into the next cycle; the next digest
says what became of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

QUARTER_START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # a Monday
# Week by week: customers migrated (target 40, on pace) and invoices automated (target 40, lagging).
MIGRATED = [3, 6, 9, 12, 15, 18, 21]
AUTOMATED = [4, 6, 8, 10, 12, 15, 18]
CONFIDENCE = [8, 8, 7, 7, 7, 6, 5]


async def weekly_checkin(chat, week: int) -> None:
    await chat.send("alice", "/checkin")
    for answer in (
        "4",
        f"Finished part {week} of the migration",
        "skip",
        "no",
        "skip",
        "The pipeline",
        "skip",
    ):
        await chat.send("alice", answer)
    chat.expect_reply("your check-in is saved", "Next: Goals.")
    await chat.send("alice", f"{MIGRATED[week]} {CONFIDENCE[week]}")
    await chat.send(
        "alice",
        f"{AUTOMATED[week]} {CONFIDENCE[week]} vendor API is slow" if week == 6 else str(AUTOMATED[week]),
    )
    chat.expect_reply("Your goals are up to date.")


async def test_goals_through_a_quarter_into_the_digest(chat, app):
    app.clock.set(QUARTER_START)
    await chat.send("carol", "/goal add Modernise billing for team by 2027-03-31")
    await chat.send("alice", "/goal add Ship billing v2 under 1 by 2027-03-31")
    await chat.send("alice", "/goal kr 2 Migrate customers 0 -> 40 customers")
    await chat.send("alice", "/goal kr 2 Automate invoices 0 -> 40 invoices")
    await chat.send("carol", "/goal idp add @alice SQL: finish the course; by 2027-02-12")
    for week in range(7):
        app.clock.set(QUARTER_START + timedelta(weeks=week, days=1))
        await weekly_checkin(chat, week)
    # Confidence 7, 6, 5 in the last weeks: Carol heard it once, like a blocker.
    [told] = chat.dms("carol")
    assert told.startswith("Alice Smith's goal #2 needs a look. Their confidence fell two updates in a row.")

    app.clock.set(datetime(2027, 2, 18, 9, 0, tzinfo=UTC))
    await chat.send("carol", "/review schedule @alice 2027-02-26 14:00")
    await chat.tick(datetime(2027, 2, 21, 14, 0, tzinfo=UTC))  # her self-review: her goals come first
    chat.expect_dm(
        "alice",
        "What did you achieve against your goals and priorities",
        "Your goals this period:\n#2 Ship billing v2 · at risk",
        "2.2 Automate invoices ▰▰▰▰▱▱▱▱▱▱ 18/40 invoices",
    )
    await chat.tick(datetime(2027, 2, 23, 14, 0, tzinfo=UTC))
    digest = chat.expect_dm("carol", "Review with Alice Smith")
    goals = digest.split("Goals and results\n")[1].split("How the work went")[0]
    for evidence in (
        "#2 Ship billing v2 · at risk",
        "2.1 Migrate customers ▰▰▰▰▰▱▱▱▱▱ 21/40 customers · pace 23.3 · on track · confidence 5",
        "2.2 Automate invoices ▰▰▰▰▱▱▱▱▱▱ 18/40 invoices · pace 23.3 · at risk · confidence 5",
        "Feb 16: 18 · confidence 5: “vendor API is slow”",
        "Feb 9: 15",
    ):
        assert evidence in goals, f"{evidence!r} not in the goals part:\n{goals}"
    assert "Jan 26: 9" not in goals  # the latest three updates of each, not every week's
    agenda = digest.split("Suggested agenda\n")[1].split("Open questions to ask\n")[0]
    assert agenda.strip().startswith("1. 1 key result is at risk: “Automate invoices” (18/40)"), agenda
    questions = digest.split("Open questions to ask\n")[1]
    assert "How confident are you about “Automate invoices” (18/40), and what would change that?" in questions

    await record_the_review(chat, app)
    await what_became_of_them(chat, app)


async def record_the_review(chat, app) -> None:
    """Carol writes the record against Alice's goals and carries two goals and two development goals."""
    app.clock.set(datetime(2027, 2, 26, 15, 0, tzinfo=UTC))
    await chat.send("carol", "/review notes @alice")
    chat.expect_reply(
        "Goals and results: what did you conclude together?",
        "Alice Smith's goals this period:\n#2 Ship billing v2 · at risk",
        "2.2 Automate invoices ▰▰▰▰▱▱▱▱▱▱ 18/40 invoices · pace 24.7 · at risk · confidence 5",
    )
    for answer in ("Migration on pace, invoices lag", "Steady", "Escalate the vendor sooner"):
        await chat.send("carol", answer)
    chat.expect_reply(
        "Development and support",
        "Alice Smith's open development goals:\n#1 SQL: finish the course · due Fri 12 Feb 2027",
    )
    await chat.send("carol", "Wants to present her work")
    chat.expect_reply("Goals for the next period?")
    await chat.send("carol", "Launch the pricing page; Automate invoices end to end")
    chat.expect_reply("Development goals from “Development and support”?")
    await chat.send("carol", "Public speaking: two team demos; support: a demo slot; by 2027-04-31")
    chat.expect_reply("There is no “2027-04-31”: that month ends on Fri 30 Apr 2027. Please check the day.")
    await chat.send(
        "carol",
        "Public speaking: two team demos; support: a demo slot; by 2027-05-14\n"
        "Negotiation: shadow two vendor calls; by april 30",
    )
    chat.expect_reply("The agreed actions")
    await chat.send(
        "carol", "@alice Draft the Q2 plan by 2027-03-20; @carol Set up a vendor escalation by 2027-03-05"
    )
    await chat.send("carol", "skip")
    chat.expect_reply(
        "saved, with 2 agreed actions",
        "2 goals for the next cycle, from Thu 1 Apr 2027 (drafts until confirmed):\n"
        "#3 Launch the pricing page\n#4 Automate invoices end to end",
        "Development goals (2):\n#2 Public speaking: two team demos · support: a demo slot · due Fri 14 May 2027\n"
        "#3 Negotiation: shadow two vendor calls · due Fri 30 Apr 2027",
    )
    chat.expect_dm(
        "alice",
        "#3 Launch the pricing page\n#4 Automate invoices end to end\nMake these 2 yours with their buttons",
        "#2 Public speaking: two team demos",
        "[Confirm #3]",
        "[Confirm #4]",
    )
    await chat.press("alice", action_id="goal.confirm", value="3")
    chat.expect_reply("Goal #3 is yours: Launch the pricing page. It starts on Thu 1 Apr 2027")
    await chat.send("alice", "/goal drop 4 folded into billing v2")
    await chat.send("alice", "/review confirm")
    chat.expect_reply("your confirmation is stored")


async def what_became_of_them(chat, app) -> None:
    """In May one development goal is done, one overdue; the next digest says so, and what became of
    the drafts."""
    app.clock.set(datetime(2027, 5, 10, 9, 0, tzinfo=UTC))
    await chat.send("alice", "/goal idp done 2")
    app.clock.set(datetime(2027, 5, 18, 9, 0, tzinfo=UTC))
    await chat.send("carol", "/review schedule @alice 2027-05-27 14:00")
    await chat.tick(datetime(2027, 5, 24, 14, 0, tzinfo=UTC))
    digest = chat.expect_dm("carol", "Review with Alice Smith")
    goals = digest.split("Goals and results\n")[1].split("How the work went")[0]
    assert (
        "Goals drafted at the review of Feb 26:\n"
        "    #3 Launch the pricing page · confirmed\n"
        "    #4 Automate invoices end to end · dropped: “folded into billing v2”"
    ) in goals, goals
    development = digest.split("Development and support\n")[1].split("Suggested agenda")[0]
    assert (
        "Development goals agreed at the review of Feb 26:\n"
        "    #3 Negotiation: shadow two vendor calls · due Fri 30 Apr 2027 · overdue\n"
        "    #2 Public speaking: two team demos · support: a demo slot · due Fri 14 May 2027 · done on May 10\n"
        "Open development goal:\n"
        "    #1 SQL: finish the course · due Fri 12 Feb 2027 · overdue"
    ) in development, development
    agenda = digest.split("Suggested agenda\n")[1].split("Open questions to ask\n")[0]
    # only the overdue one the review agreed is a topic (#1 was added by a command, before it)
    assert (
        "1 development goal from the last review is past its date: “Negotiation” (due Fri 30 Apr 2027)"
        in agenda
    )
    assert "SQL" not in agenda, agenda
