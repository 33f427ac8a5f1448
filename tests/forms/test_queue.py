"""One conversation at a time (issue 15 §2), beyond the pairs: forms due together, what comes next,
`later` and `switch`, forms that close while they wait, reminders, commands, Chinese, the batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.features.checkins import cycle
from bot.features.reviews import timing
from bot.forms import queue
from store import due_work, forms
from store.checkin_models import DueWork, FormSession
from tests.forms.conftest import KINDS, Inbox


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def due_together(inbox: Inbox, *work: tuple[str, int]) -> None:
    now = inbox.app.clock.now()
    async with inbox.app.db.transaction() as session:
        for kind, subject in work:
            await due_work.add_due(
                session, org_id=inbox.org_id, kind=kind, subject=subject, run_at=now, now=now
            )
    await inbox.chat.tick(now)


@pytest.mark.parametrize("first", ["review_pulse", "self_review"])
async def test_forms_due_at_the_same_moment_show_one_question(inbox, first):
    """The issue's case: her pulse (or self-review) and her check-in prompt arrived together, each
    showing its first question, and her "yes" met "Please answer with a number from 1 to 5"."""
    kind = timing.PULSE if first == "review_pulse" else timing.SELF_REVIEW
    subject = inbox.pulse_meeting if first == "review_pulse" else inbox.own_meeting
    await due_together(inbox, (kind, subject), (cycle.PROMPT, inbox.alice_id))
    shown, waiting = inbox.chat.dms("alice")
    assert "(1/" in shown and "(1/" not in waiting
    assert waiting.startswith(
        "Check-in is waiting for you (open until Wed 25 Nov 2026, 18:00 (Europe/Berlin))"
    )
    reply = await inbox.chat.send("alice", "yes" if first == "review_pulse" else "She listened well")
    assert "Please answer with a number" not in reply
    assert (await inbox.session("checkin")).answers == {}
    assert (await inbox.session(first)).answers  # her answer is in the form she was shown


@pytest.mark.parametrize("how", ["finished", "cancelled"])
async def test_when_the_open_form_ends_the_waiting_one_is_shown(inbox, how):
    await inbox.arrive("review_pulse")
    await inbox.arrive("checkin")
    for line in ("yes", "no", "4") if how == "finished" else ("yes", "cancel"):
        reply = await inbox.chat.send("alice", line)
    ended = "Thank you. Your answers are kept" if how == "finished" else "Stopped. What you answered"
    assert reply.startswith(f"Review pulse: {ended}")
    assert "Next: Check-in.\n(1/7) How was your week" in reply
    await inbox.chat.send("alice", "4")
    assert (await inbox.session("checkin")).answers == {"mood": 4}


async def test_a_cancelled_form_says_how_to_carry_on_with_that_form(inbox):
    await inbox.arrive("self_review")
    reply = await inbox.chat.send("alice", "cancel")
    assert (
        reply
        == "Self-review: Stopped. What you answered so far is kept. Type `/review self` to carry on later."
    )


async def test_later_puts_the_only_form_aside_until_switch(inbox):
    await inbox.arrive("checkin")
    await inbox.chat.send("alice", "3")
    reply = await inbox.chat.send("alice", "help")
    assert "• later: put this form aside" in reply and "• switch: go to the next form waiting" in reply
    reply = await inbox.chat.send("alice", "later")
    assert reply == (
        "Check-in is put aside; it stays open until Wed 25 Nov 2026, 18:00 (Europe/Berlin). "
        "Type `switch` when you want to carry on."
    )
    reply = await inbox.chat.send("alice", "shipped it")  # nothing was asked: it is not taken as an answer
    assert reply == (
        "You're not answering a form right now. Waiting for you: Check-in. Type `switch` to go on with Check-in."
    )
    assert (await inbox.session("checkin")).answers == {"mood": 3}
    reply = await inbox.chat.send("alice", "switch")
    assert reply.startswith("Now: Check-in.\n(2/7) What went well?")
    await inbox.chat.send("alice", "shipped it")
    assert (await inbox.session("checkin")).answers == {"mood": 3, "went_well": "shipped it"}


async def test_switch_with_nothing_else_waiting_carries_on_here(inbox):
    await inbox.arrive("review_pulse")
    reply = await inbox.chat.send("alice", "switch")
    assert reply.startswith("Nothing else is waiting for you, so let's carry on here.\n(1/3) Did you have")


async def test_switch_opens_the_form_last_mentioned_and_later_visits_every_one(inbox):
    await inbox.arrive("review_pulse")
    await inbox.arrive("checkin")
    await inbox.arrive("feedback_request")  # the last one she was told about
    assert (await inbox.chat.send("alice", "switch")).startswith("Now: Feedback request.")
    assert (await inbox.chat.send("alice", "switch")).startswith("Now: Review pulse.")  # back where she was
    visited = [(await inbox.chat.send("alice", "later")).split("\n")[0] for _ in range(3)]
    assert visited == ["Now: Check-in.", "Now: Feedback request.", "Now: Review pulse."]


async def test_a_waiting_form_that_closes_is_not_lost_silently(inbox):
    await inbox.arrive("self_review")
    await inbox.arrive("checkin")  # waits; its window closes on Wednesday at 18:00 in Berlin
    await inbox.chat.tick(utc(2026, 11, 25, 17, 5))
    assert inbox.chat.dms("alice")[-1] == (
        "Check-in closed at Wed 25 Nov 2026, 18:00 (Europe/Berlin) while it was waiting. "
        "Your next check-in comes as usual; `/checkin` starts it early."
    )
    assert (await inbox.session("checkin")).status == "expired"
    reply = await inbox.chat.send("alice", "Shipped the importer")
    assert reply.startswith("Self-review:")


async def test_when_the_open_form_closes_the_waiting_one_comes_forward(inbox):
    await inbox.arrive("checkin")
    await inbox.arrive("review_pulse")  # open for a week
    await inbox.chat.send("alice", "4")
    await inbox.chat.tick(utc(2026, 11, 25, 17, 5))
    dm = inbox.chat.dms("alice")[-1]
    assert dm.startswith(
        "Check-in closed at Wed 25 Nov 2026, 18:00 (Europe/Berlin) before it was finished. "
        "Your next check-in comes as usual; `/checkin` starts it early.\nNext: Review pulse.\n"
        "(1/3) Did you have enough room to speak"
    )
    await inbox.chat.send("alice", "yes")
    assert (await inbox.session("review_pulse")).answers == {"room": "yes"}


async def test_a_reminder_for_a_waiting_check_in_says_it_waits_instead_of_asking(inbox):
    await inbox.arrive("self_review")
    await inbox.arrive("checkin")
    await inbox.chat.tick(utc(2026, 11, 25, 9))  # the check-in's reminder: 10:00 on its last day in Berlin
    reminded = inbox.chat.dms("alice")[-1]
    assert reminded.startswith("Check-in is waiting for you (open until Wed 25 Nov 2026, 18:00")
    assert "(1/7)" not in reminded
    assert (await inbox.session("checkin")).status == "waiting"


@pytest.mark.parametrize(
    ("command", "key", "first"),
    [
        ("/checkin", "checkin", "(1/7) How was your week"),
        ("/review self", "self_review", "(1/9) What did you achieve"),
        ("/feedback answer 1", "feedback_request", "(1/4) What situation"),
    ],
)
async def test_a_form_asked_for_comes_forward_and_the_open_one_waits(inbox, command, key, first):
    await inbox.arrive("review_pulse")
    if key == "feedback_request":
        await inbox.arrive(key)  # waits, until she asks for it
    reply = await inbox.chat.send("alice", command)
    assert first in reply and "Review pulse is waiting for you: type `switch` to go back to it." in reply
    assert (await inbox.session("review_pulse")).status == "waiting"
    reply = await inbox.chat.send("alice", "4" if key == "checkin" else "An answer")
    assert reply.startswith(f"{KINDS[key].label}:")
    assert (await inbox.session("review_pulse")).answers == {}


async def test_in_chinese(chat):
    await chat.send("wei", "/签到")
    await chat.send("bob", "/feedback request @wei")
    chat.expect_dm("wei", "反馈请求在等你（截至 ", "请先完成手上的表单，或输入 `切换` 马上回答。")
    reply = await chat.send("wei", "切换")
    assert reply.startswith("现在：反馈请求。") and "(1/4)" in reply
    assert "签到在等你：输入 `切换` 即可回去继续。" in reply
    assert (await chat.send("wei", "上周的评审会")).startswith("反馈请求：")
    reply = await chat.send("wei", "稍后")
    assert reply.startswith("现在：签到。\n(1/7) 这周感觉怎么样")
    assert (await chat.send("wei", "５")).startswith("签到：")


async def test_the_check_in_batch_gives_each_person_their_turn(chat, app, org):
    for handle in ("alice", "bob", "dan"):
        await chat.send(handle, "/checkin schedule weekly wednesday 09:00")
    await chat.send("carol", "/feedback request @alice")  # Alice is answering it when the prompts come
    await chat.send("alice", "The sprint review")
    bob = (await chat.console.person(chat.email("bob"))).id
    async with app.db.transaction() as session:  # left open past its window, never answered
        stale = await forms.create_session(
            session,
            org_id=org.id,
            person_id=bob,
            form_key="feedback_request",
            version=0,
            subject="99",
            step=0,
            answers={},
            expires_at=app.clock.now() - timedelta(hours=1),
            now=app.clock.now() - timedelta(days=8),
            status="open",
        )
    report = await chat.tick(utc(2026, 11, 25, 17))
    assert (report.done, report.failed) == (3, 0)
    assert chat.dms("alice")[-1].startswith("Check-in is waiting for you (open until Thu 26 Nov 2026, 18:00")
    chat.expect_dm("bob", "Time for your check-in", "(1/7) How was your week")
    chat.expect_dm("dan", "Time for your check-in", "(1/7) How was your week")
    async with app.db.read() as session:
        statuses = dict(
            (
                await session.execute(
                    select(FormSession.person_id, FormSession.status).where(FormSession.id == stale.id)
                )
            ).all()
        )
        watched = set(await session.scalars(select(DueWork.subject).where(DueWork.kind == queue.EXPIRY)))
        alices = set(
            await session.scalars(
                select(FormSession.id).where(
                    FormSession.person_id == (await chat.console.person(chat.email("alice"))).id
                )
            )
        )
    assert statuses == {bob: "expired"}
    assert watched == alices  # her feedback form and her check-in: whichever closes, she hears of it
    assert (await chat.send("alice", "They paired")).startswith("Feedback request:")


async def test_a_waiting_form_says_who_asks_and_about_what(chat):
    """Alice is in her check-in when Bob's anonymous request comes: she is told who asks, about what and
    that it is anonymous, not only that "Feedback request is waiting"."""
    await chat.send("alice", "/checkin")
    await chat.send("wei", "/签到")
    await chat.send("bob", '/feedback request @alice @wei @carol about "Billing migration" --anonymous')
    line = chat.expect_dm(
        "alice",
        "Feedback request is waiting for you (open until ",
        "📝 Bob Brown would like your feedback about “Billing migration”",
        "It is anonymous: Bob Brown sees answers only in batches of at least 3",
        "Finish the form you're answering first, or type `switch` to answer it now.",
    )
    assert "(1/4)" not in line
    chat.expect_dm("wei", "反馈请求在等你（截至 ", "Bob Brown 想听听你的反馈（关于“Billing migration”）", "这是匿名请求")
    chat.expect_dm("carol", "(1/4) What situation are you thinking of?")  # nothing open: the form itself
