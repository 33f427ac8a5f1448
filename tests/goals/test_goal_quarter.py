"""A quarter with goals: set at its start, updated through weekly check-ins, one going at risk; the
manager's digest shows them with their pace and dated updates, and ranks the one at risk."""

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
