"""A scripted quarter: a review with agreed actions, twelve weekly check-ins with a falling mood, kudos,
a repeated blocker and shared feedback; then the next review from digest to pulse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from store.action_models import ActionItem
from store.checkin_models import FormSession
from store.review_models import ReviewMeeting
from store.review_record_models import ReviewPulse, ReviewRecord

MOODS = [4, 4, 5, 4, 4, 4, 3, 4, 4, 4, 3, 2]
BLOCKED = {
    5: "waiting for API access from the data team",
    9: "still waiting on API access from the data team",
}
FIRST_WEEK = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # a Tuesday


async def rows(app, model, *where):
    async with app.db.read() as session:
        return list(await session.scalars(select(model).where(*where).order_by(model.id)))


async def hold_first_review(chat, app) -> None:
    """The previous review: held on Nov 26 with two actions for Alice, which she confirms."""
    await chat.send("carol", "/review schedule @alice 2026-11-26 14:00")
    app.clock.set(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))
    await chat.send("carol", "/review notes @alice")
    assert "1/4" not in chat.expect_reply(
        "Goals and results: what did you conclude together?"
    )  # numbered once, by the form
    for answer in (
        "Shipped the importer",
        "Good pace",
        "Plan smaller",
        "Wants to lead a project",
        "skip",
        "skip",
    ):
        await chat.send("carol", answer)
    await chat.send(
        "carol",
        "@alice Write the onboarding guide by 2026-12-15; @alice Pair with the data team by 2027-03-31",
    )
    await chat.send("carol", "skip")
    chat.expect_reply("2 agreed actions")
    await chat.send("alice", "/review confirm")
    chat.expect_reply("your confirmation is stored")


async def checkin(chat, week: int) -> None:
    """One check-in through the real form, in Alice's DMs."""
    await chat.send("alice", "/checkin")
    chat.expect_reply("How was your week")
    await chat.send("alice", str(MOODS[week]))
    await chat.send("alice", f"Finished part {week} of the migration")
    await chat.send("alice", "skip")
    blocker = BLOCKED.get(week)
    await chat.send("alice", "yes" if blocker else "no")
    if blocker:
        await chat.send("alice", blocker)
    await chat.send("alice", "skip")
    await chat.send("alice", f"Priority {week}: the reporting pipeline")
    await chat.send("alice", "I need more time with the design team" if week == 10 else "skip")
    chat.expect_reply("your check-in is saved")


async def the_quarter(chat, app) -> None:
    await hold_first_review(chat, app)
    [_guide, pairing] = await rows(app, ActionItem, ActionItem.source == "review")
    for week in range(12):
        app.clock.set(FIRST_WEEK + timedelta(weeks=week))
        await checkin(chat, week)
        if week in (2, 6, 8):
            giver = "bob" if week != 6 else "wei"
            await chat.send(giver, f"/kudos @alice took the incident end to end #ownership week {week}")
        if week == 3:
            await chat.send("alice", f"/action done {pairing.id}")
            chat.expect_reply("is done")
        if week == 4:
            await chat.send("bob", "/feedback @alice your design doc was hard to follow --share-with-manager")
        if week == 5:
            await peer_feedback_request(chat)


async def peer_feedback_request(chat) -> None:
    """Alice asks Bob for feedback after the migration: hers to read, not her manager's (bot.access)."""
    await chat.send("alice", '/feedback request @bob about "the invoicing migration"')
    await chat.send("bob", "/feedback answer 1")
    for answer in (
        "Migration week",
        "She paired with everyone",
        "Nobody was blocked",
        "Write the runbook first",
    ):
        await chat.send("bob", answer)
    assert any("She paired with everyone" in dm for dm in chat.dms("alice"))  # named: she reads it


async def test_a_quarter_then_a_review(chat, app):
    await the_quarter(chat, app)
    # Feb 18: the next review is set eight days ahead.
    app.clock.set(datetime(2027, 2, 18, 9, 0, tzinfo=UTC))
    await chat.send("carol", "/review schedule @alice 2027-02-26 14:00")
    [_, meeting] = await rows(app, ReviewMeeting)

    # Five days before: the self-review, with her check-in answers as reminders.
    await chat.tick(datetime(2027, 2, 21, 14, 0, tzinfo=UTC))
    chat.expect_dm(
        "alice",
        "against your goals and priorities",
        "You said on Feb 16: “Priority 11: the reporting pipeline”",
    )
    for answer in (
        "Shipped the pipeline",
        "Waiting on the data team",
        "Ask early",
        "Lead the next project",
        "More time with design",
        "The API access",
        "I waited",
        "Too patient",
        "Escalate after a week",
    ):
        await chat.send("alice", answer)
    chat.expect_reply("your self-review is saved")
    chat.expect_dm("carol", "Alice Smith has sent a self-review")

    # Three days before: the digest, with each piece of evidence and its date.
    await chat.tick(datetime(2027, 2, 23, 14, 0, tzinfo=UTC))
    digest = chat.expect_dm("carol", "Review with Alice Smith")
    for evidence in (
        "Priority 11: the reporting pipeline",
        "Feb 16: “Finished part 11 of the migration”",
        "▇▇█▇▇▇▅▇▇▇▅▃",
        "2 (Feb 16)",
        "Jan 5: blocked by “waiting for API access from the data team”",
        "Feb 2: blocked by “still waiting on API access from the data team”",
        "Dec 15: kudos from Bob Brown: “took the incident end to end #ownership week 2” #ownership",
        "Jan 12: kudos from 张伟",
        "Dec 29: feedback from Bob Brown (shared with you): “your design doc was hard to follow”",
        "Actions agreed at the last review (Nov 26)",
        "✅ done Dec 22: Pair with the data team",
        "⚠️ overdue since Dec 15: Write the onboarding guide",
        "I need more time with the design team",
        "The self-review arrived on Feb 21",
        "Expectations: “Lead the next project”",
    ):
        assert evidence in digest, f"{evidence!r} not in digest:\n{digest}"
    for private in ("invoicing migration", "She paired with everyone", "Write the runbook first"):
        assert private not in digest, (
            f"the requester's peer feedback leaked into her manager's digest: {private!r}"
        )
    agenda = digest.split("Suggested agenda\n")[1].split("Open questions to ask\n")[0]
    lines = [line for line in agenda.strip().splitlines()]
    assert lines[0].startswith("1. Mood fell from 4 to 2 over the last 3 check-ins (Feb 2, Feb 9 and Feb 16)")
    assert lines[1].startswith(
        "2. 1 action from the last review is overdue: “Write the onboarding guide” (due Dec 15)"
    )
    assert "Blocked 2 times on the same dependency" in lines[2]
    assert "3 kudos for #ownership, from Bob Brown and 张伟" in agenda
    questions = digest.split("Open questions to ask\n")[1].split("Your preparation\n")[0]
    for step in (
        "_Background_: Your check-ins went from 4 to 2",
        "_Event_: “Write the onboarding guide”",
        "_Self-assessment_",
        "_Target_: You asked for",
    ):
        assert step in questions, questions
    assert "⬜ Self-review read: `/review read @alice`" in digest
    assert "✅ Meeting set at least three days ahead" in digest
    assert "⬜ Three to five concrete examples noted (0 so far" in digest
    chat.expect_dm(
        "alice", "Your review with *Carol Jones*".replace("*", ""), "Your self-review arrived on Feb 21"
    )
    assert "Bob Brown" not in chat.dms("alice")[-1]

    # Carol prepares; the checklist follows.
    await chat.send("carol", "/review read @alice")
    chat.expect_reply("Alice Smith's self-review", "Escalate after a week")
    for example in ("Led the incident on Dec 15", "Pipeline shipped early", "Waited a month for API access"):
        await chat.send("carol", f"/review example @alice {example}")
    await chat.send("carol", "/review questions @alice")
    chat.expect_reply("4 open questions prepared")
    await chat.send("carol", "/review digest @alice")
    chat.expect_reply(
        "✅ Self-review read",
        "✅ Three to five concrete examples noted (3 so far",
        "✅ Three open questions prepared",
    )

    # An hour before, the reminder; then the record, its actions, her comment.
    await chat.tick(datetime(2027, 2, 26, 13, 0, tzinfo=UTC))
    chat.expect_dm("carol", "starts at Fri 26 Feb 2027, 14:00", "Your preparation is complete")
    app.clock.set(datetime(2027, 2, 26, 15, 0, tzinfo=UTC))
    await chat.send("carol", "/review notes @alice")
    for answer in (
        "Pipeline shipped",
        "Blocked too long",
        "Escalate sooner",
        "Leads the Q2 project",
        "skip",
        "skip",
    ):
        await chat.send("carol", answer)
    await chat.send("carol", "@alice Draft the Q2 plan")
    chat.expect_reply("Please agree on 2 to 3 actions (I read 1)")
    await chat.send("carol", "@alice Draft the Q2 plan by 2027-03-20; @bob Review it")
    chat.expect_reply("needs an owner first")
    await chat.send(
        "carol",
        "@alice Draft the Q2 plan by 2027-03-20; @carol Set up a weekly sync with the data team by 2027-03-05",
    )
    chat.expect_reply("The support you commit to give")
    await chat.send("carol", "A course budget")
    chat.expect_reply("2 agreed actions")
    record_dm = chat.expect_dm(
        "alice",
        "Carol Jones* has recorded your review".replace("*", ""),
        "Draft the Q2 plan (due Sat 20 Mar 2027)",
        "A course budget",
    )
    assert "[Confirm]" in record_dm or "Confirm" in record_dm
    new_actions = await rows(app, ActionItem, ActionItem.source_ref == str(meeting.id))
    assert [(a.title, a.status, a.source) for a in new_actions] == [
        ("Draft the Q2 plan", "open", "review"),
        ("Set up a weekly sync with the data team", "open", "review"),
    ]
    [meeting] = await rows(app, ReviewMeeting, ReviewMeeting.id == meeting.id)
    assert meeting.status == "held"
    await chat.send("alice", "/review comment I'd add the onboarding guide")
    chat.expect_dm("carol", "commented on the record", "I'd add the onboarding guide")
    [_, record] = await rows(app, ReviewRecord)
    assert (record.response, record.comment) == ("commented", "I'd add the onboarding guide")

    # A day after: the pulse, kept anonymous and shown to nobody below three answers.
    await chat.tick(datetime(2027, 2, 27, 15, 0, tzinfo=UTC))
    chat.expect_dm("alice", "enough room to speak")
    for answer in ("yes", "no", "4"):
        await chat.send("alice", answer)
    chat.expect_reply("anonymous total")
    [pulse] = await rows(app, ReviewPulse)
    assert (pulse.room_to_speak, pulse.next_steps, pulse.useful) == (1, 0, 4)
    assert not hasattr(pulse, "employee_id") and not hasattr(pulse, "meeting_id")
    [answered] = await rows(app, FormSession, FormSession.form_key == "review_pulse")
    assert answered.answers == {}
    await chat.send("carol", "/review pulse")
    chat.expect_reply("No pulse figures about Carol Jones's reviews yet", "once at least 3 answers are in")
    assert "4" not in chat.replies[-1]

    # History: content for the two of them, dates and completeness for HR.
    await chat.send("alice", "/review history")
    chat.expect_reply("held; self-review yes; notes yes; confirmation commented", "Leads the Q2 project")
