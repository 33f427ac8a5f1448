"""Peer-feedback requests as people would use them: asking, answering, declining, reminders, deadlines,
and anonymous requests that never let the requester tell who said what."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.access import (
    can_view_anonymous_answers,
    can_view_answer_with_name,
    can_view_feedback_request,
)
from bot.anonymity import batches, set_threshold
from store import feedback_requests, people
from store.checkin_models import DueWork
from store.feedback_request_models import FeedbackAsk, FeedbackRequest
from store.models import Person
from tests.test_export import exports

RESPONDENT_NAMES = ("Bob Brown", "Carol Jones", "Erin Park", "张伟", "Dan Lee")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def answer(chat, handle: str, code: str) -> None:
    """Answer the four questions; every answer carries `code`, so that it can be traced in a test."""
    for part in ("situation", "behaviour", "effect", "suggestion"):
        await chat.send(handle, f"{part} {code}")


async def due(app, kind: str) -> list[DueWork]:
    async with app.db.read() as session:
        return list(await session.scalars(select(DueWork).where(DueWork.kind == kind).order_by(DueWork.id)))


# Named requests


async def test_a_named_request_shows_each_answer_with_its_giver(chat):
    await chat.send("alice", '/feedback request @bob @wei about "Billing migration" by 2026-12-04')
    chat.expect_reply(
        "Feedback request #1 about “Billing migration” sent to Bob Brown and 张伟.",
        "until Fri 4 Dec 2026, 18:00 (Europe/Berlin)",
        "you will see each answer with the name",
    )
    chat.expect_dm(
        "bob",
        "Alice Smith would like your feedback about “Billing migration”",
        "until Fri 4 Dec 2026, 12:00 (America/New_York)",
        "Alice Smith will see your answers with your name.",
        "(1/4) What situation are you thinking of?",
        "[Decline]",
    )
    chat.expect_dm(
        "wei", "Alice Smith 想听听你的反馈（关于“Billing migration”）", "(1/4) 你想到的是什么情境？", "[拒绝]"
    )

    await chat.send("bob", "The sprint review on Monday")
    chat.expect_reply("(2/4) What did they do there? Describe one concrete behaviour, with an example.")
    await chat.send("bob", "She walked us through the rollback plan step by step")
    chat.expect_reply("(3/4) What effect did it have")
    await chat.send("bob", "Nobody was surprised on cut-over day")
    chat.expect_reply("(4/4) One suggestion")
    await chat.send("bob", "Share the plan a day earlier")
    chat.expect_reply(
        "Thank you! Your feedback:", "→ Share the plan a day earlier", "Alice Smith can see it now"
    )
    chat.expect_dm(
        "alice",
        "Bob Brown answered your feedback request #1 about “Billing migration”:",
        "What did they do there? Describe one concrete behaviour, with an example. → She walked us through",
    )

    await chat.send("alice", "/feedback request show 1")
    chat.expect_reply(
        "Feedback request #1 by Alice Smith about “Billing migration” (named, open until Fri 4 Dec 2026",
        "Bob Brown:\n• What situation",
        "→ The sprint review on Monday",
        "张伟: not answered yet",
    )
    await chat.send("alice", "/feedback requests")
    chat.expect_reply("#1 about “Billing migration” (named): 1 of 2 answered, open until")


async def test_respondents_see_their_own_answer_and_nobody_else_sees_anything(chat):
    await chat.send("alice", "/feedback request @bob @wei")
    await answer(chat, "bob", "bob-words")
    await chat.send("bob", "/feedback request show 1")
    reply = chat.expect_reply("Bob Brown:", "bob-words")
    assert "张伟" not in reply  # not even whether the other one answered
    await chat.send("wei", "/feedback request show 1")
    assert "bob-words" not in chat.expect_reply("张伟：尚未回答")
    for outsider in ("carol", "dan", "erin"):  # Alice's manager included
        await chat.send(outsider, "/feedback request show 1")
        chat.expect_reply("There is no feedback request #1 that you can see.")
    await chat.send("bob", "/feedback requests")
    chat.expect_reply("Feedback you were asked for", "#1 from Alice Smith: you answered")
    await chat.send("wei", "/feedback requests")
    # Its form is the one open in her DM (shown when it came): the list says her next line answers it.
    chat.expect_reply("#1，来自 Alice Smith：你正在回答（你发的下一句会作为回答）", "反馈请求还没填完：(1/4)")


async def test_every_refusal_is_polite_and_writes_nothing(chat, app):
    cases = [
        ("/feedback request", "Ask peers for feedback"),
        ("/feedback request about the launch", "Whom would you like to ask?"),
        ("/feedback request @alice @bob", "You can't ask yourself for feedback."),
        ("/feedback request @nobody", "nobody"),
        ("/feedback request @bob @wei --anonymous", "An anonymous request needs at least 3 people"),
        ("/feedback request @bob by 2026-11-20", "2026-11-20"),
        ("/feedback request @bob by next friday", "could mean Fri 27 Nov 2026 or Fri 4 Dec 2026"),
        ("/feedback request @bob by someday maybe", "someday maybe"),
        ("/feedback request @bob please", "I didn't understand “please”"),
        (f'/feedback request @bob about "{"x" * 201}"', "at most 200"),
        ("/feedback request show", "Please give the request's number"),
        ("/feedback request show 99", "There is no feedback request #99 that you can see."),
        ("/feedback answer 99", "There is no feedback request #99"),
        ("/feedback decline 99", "There is no feedback request #99"),
    ]
    for command, fragment in cases:
        await chat.send("alice", command)
        chat.expect_reply(fragment)
    async with app.db.read() as session:
        assert list(await session.scalars(select(FeedbackRequest))) == []
    chat.expect_no_dm("bob")


async def test_the_requester_cannot_answer_or_decline_their_own_request(chat):
    await chat.send("alice", "/feedback request @bob")
    await chat.send("alice", "/feedback answer 1")
    chat.expect_reply("You weren't asked for feedback in request #1.")
    await chat.press("alice", action_id="feedback.request.decline", value="1")
    chat.expect_reply("You weren't asked for feedback in request #1.")


# Declining, pausing, closing


async def test_declining_by_button_word_or_command(chat):
    await chat.send("alice", "/feedback request @bob @wei @carol")
    await chat.press("bob", action_id="feedback.request.decline", value="1")
    chat.expect_reply("No problem: I've let Alice Smith know you won't answer.")
    chat.expect_dm("alice", "Bob Brown declined your feedback request #1.")
    await chat.press("bob", action_id="feedback.request.decline", value="1")
    chat.expect_reply("You declined request #1.")

    await chat.send("wei", "情境是上周的评审")
    chat.expect_reply("(2/4)")
    await chat.send("wei", "拒绝")  # typed in the middle of the form
    chat.expect_reply("没问题：我已告诉 Alice Smith 你不回答了。")
    await chat.send("wei", "还有话说")
    assert "(3/4)" not in chat.replies[-1]

    await chat.send("carol", "/feedback decline 1")
    chat.expect_dm("alice", "has closed: 0 of 3 answered")  # nobody is left to answer


async def test_pausing_and_carrying_on(chat):
    await chat.send("alice", "/feedback request @bob")
    await chat.send("bob", "The launch")
    await chat.send("bob", "cancel")
    chat.expect_reply("Paused. Type `/feedback answer 1` to carry on")
    await chat.send("bob", "/feedback answer 1")
    chat.expect_reply("Carrying on with Alice Smith's request.", "(2/4)")
    await chat.send("bob", "Clear notes")
    chat.expect_reply("(3/4)")


async def test_the_deadline_closes_the_request(chat, app):
    await chat.send("dan", "/feedback request @erin @bob by friday")  # Friday in Sydney
    chat.expect_reply("until Fri 27 Nov 2026, 18:00 (Australia/Sydney)")
    chat.expect_dm("erin", "until Fri 27 Nov 2026, 02:00 (America/New_York)")
    await answer(chat, "erin", "erin-words")
    [close] = await due(app, "feedback_request.close")
    assert close.run_at == utc(2026, 11, 27, 7)
    await chat.tick(utc(2026, 11, 27, 7))
    chat.expect_dm("dan", "Feedback request #1 has closed: 1 of 2 answered.")
    await chat.send("bob", "Something late")
    assert "(2/4)" not in chat.replies[-1]
    await chat.send("bob", "/feedback answer 1")
    chat.expect_reply("Feedback request #1 has closed, so it takes no more answers.")
    await chat.send("dan", "/feedback request show 1")
    chat.expect_reply("(named, closed)", "erin-words", "Bob Brown: not answered yet")


async def test_a_deadline_typed_in_chinese_in_shanghai(chat):
    await chat.send("wei", '/feedback request @bob @carol 关于 "账单迁移" 截止 12月4日')
    chat.expect_reply(
        "反馈请求 #1（关于“账单迁移”） 已发给 Bob Brown和Carol Jones",
        "2026年12月4日（周五） 18:00（Asia/Shanghai）",
    )
    chat.expect_dm("bob", "about “账单迁移”", "until Fri 4 Dec 2026, 05:00 (America/New_York)")


# Reminders


async def test_one_reminder_in_working_hours_only_to_those_who_have_not_responded(chat, app):
    await chat.send("alice", "/feedback request @bob @wei @carol")  # closes Tue 1 Dec, 18:00 Berlin
    reminders = {r.subject: r.run_at for r in await due(app, "feedback_request.remind")}
    assert sorted(reminders.values()) == [
        utc(2026, 11, 30, 10),  # Carol: Monday 10:00 in London
        utc(2026, 11, 30, 15),  # Bob: Monday 10:00 in New York
        utc(2026, 12, 1, 2),  # Wei: Tuesday 10:00 in Shanghai (the deadline is Wednesday 01:00 there)
    ]
    await answer(chat, "bob", "bob-words")
    await chat.send("carol", "/feedback decline 1")
    await chat.send("wei", "评审会上")
    for moment in (utc(2026, 11, 30, 10), utc(2026, 11, 30, 15), utc(2026, 12, 1, 2), utc(2026, 12, 1, 9)):
        await chat.tick(moment)
    assert [dm for dm in chat.dms("wei") if "提醒" in dm] == [chat.dms("wei")[-1]]
    chat.expect_dm("wei", "⏰ 提醒一下：Alice Smith 想听听你的反馈", "(2/4)")
    assert not [dm for dm in chat.dms("bob") + chat.dms("carol") if "reminder" in dm]
    notes = {r.subject: (r.status, r.note) for r in await due(app, "feedback_request.remind")}
    assert sorted(notes.values()) == [
        ("done", None),
        ("skipped", "already answered"),
        ("skipped", "already declined"),
    ]


async def test_no_reminder_while_away(chat, app):
    await chat.send("alice", "/feedback request @bob")
    await chat.send("bob", "/rapport away until 2026-12-02")
    await chat.tick(utc(2026, 11, 30, 15))
    assert len(chat.dms("bob")) == 1  # only the request itself
    [row] = await due(app, "feedback_request.remind")
    assert (row.status, row.note) == ("skipped", "away")


# Anonymous requests


async def add_people(app, org, *handles: str) -> None:
    async with app.db.transaction() as session:
        for handle in handles:
            await people.create(
                session,
                org_id=org.id,
                display_name=f"Person {handle}",
                email=f"{handle}@example.com",
                handle=handle,
                timezone="Europe/London",
                locale="en",
                now=app.clock.now(),
            )


def seeded(monkeypatch, seed: int) -> None:
    """Make the release's shuffle reproducible, so that a test can say what order it shows."""
    monkeypatch.setattr(batches, "SystemRandom", lambda: random.Random(seed))


def codes_in(text: str, codes) -> list[str]:
    return sorted((c for c in codes if c in text), key=text.index)


async def test_anonymous_below_the_threshold_shows_no_count_that_moves_per_person(chat, app, org):
    await chat.send("alice", "/feedback request @bob @carol @erin @wei --anonymous")
    chat.expect_reply(
        "It is anonymous: while it is open you will see neither what anyone answered nor how many"
    )
    chat.expect_dm(
        "bob", "sees answers only in batches of at least 3, without names", "shown exactly as you write"
    )
    await answer(chat, "erin", "code-erin")
    chat.expect_reply("It is held: Alice Smith will see it without your name, only once at least 3 answers")
    await answer(chat, "carol", "code-carol")
    await chat.send("wei", "拒绝")
    chat.expect_reply("只能看到有多少人拒绝，看不到是谁")
    chat.expect_no_dm("alice")  # no message per answer, nor per decline
    await chat.send("alice", "/feedback request show 1")
    reply = chat.expect_reply(
        "(anonymous, open",
        "Asked 4. 0 answers shown so far.",
        "how many have answered or declined is not shown",
    )
    assert "code-" not in reply and "2 answered" not in reply and "declined," not in reply
    assert not [name for name in RESPONDENT_NAMES if name in reply]
    await chat.send("alice", "/feedback requests")
    chat.expect_reply("#1 (anonymous): 0 answers shown so far, of 4 asked")
    [made] = (await exports(app, org, "alice"))["alice"]["feedback_requests"]
    assert made["answers"] == [] and "answers_held_back" not in made  # her export moves no count either


async def test_anonymous_at_the_threshold_all_together_in_random_order(chat, app, org, monkeypatch):
    seeded(monkeypatch, 0)
    await add_people(app, org, "p1", "p2")
    await chat.send("alice", "/feedback request @bob @carol @erin @wei @p1 @p2 --anonymous")
    for handle in ("erin", "carol", "bob"):  # answered in this order; three more may still answer
        await answer(chat, handle, f"code-{handle}")
    chat.expect_reply("Alice Smith can see it now, without your name, only together with other answers")
    [released] = chat.dms("alice")
    assert released.startswith("📝 Feedback request #1: 3 answers are in.")
    # The shuffle gives places to the answers in the order the people were named (bob, carol, erin).
    codes = ["code-bob", "code-carol", "code-erin"]
    places = [1, 2, 3]
    random.Random(0).shuffle(places)
    expected = [code for _, code in sorted(zip(places, codes, strict=True))]
    shown = codes_in(released, codes)
    assert shown == expected
    assert shown != ["code-erin", "code-carol", "code-bob"]  # not the order they came in
    assert shown != sorted(codes)  # nor alphabetical by giver
    assert not [name for name in RESPONDENT_NAMES if name in released]

    await chat.send("alice", "/feedback request show 1")
    reply = chat.expect_reply("Asked 6. 3 answers shown so far.", "Answer 1", "Answer 3")
    assert codes_in(reply, codes) == expected  # the same order every time
    assert not [name for name in RESPONDENT_NAMES if name in reply]
    await chat.send("alice", "/feedback requests")
    assert not [name for name in RESPONDENT_NAMES if name in chat.replies[-1]]
    await chat.send("alice", "/feedback list")  # private feedback is another thing: nothing there
    assert "code-" not in chat.replies[-1]


async def test_a_batch_that_would_strand_the_last_answers_waits_for_them(chat):
    """Four asked: three answers would leave the fourth alone, and everyone would know whose it was."""
    await chat.send("alice", "/feedback request @bob @carol @erin @wei --anonymous")
    for handle in ("bob", "carol", "erin"):
        await answer(chat, handle, f"code-{handle}")
    chat.expect_reply("It is held")
    chat.expect_no_dm("alice")  # the batch waits for 张伟 (or the deadline)
    await answer(chat, "wei", "code-wei")
    chat.expect_reply("Alice Smith 现在可以看到它")  # not a promise that would not hold
    released, closed = chat.dms("alice")
    assert released.startswith("📝 Feedback request #1: 4 answers are in.")
    assert len(codes_in(released, ["code-bob", "code-carol", "code-erin", "code-wei"])) == 4
    assert "has closed: 4 of 4 answered." in closed and "after the last batch" not in closed


async def test_at_the_deadline_the_waiting_batch_is_released(chat, app, org):
    await add_people(app, org, "p1", "p2")
    await chat.send("alice", "/feedback request @bob @carol @erin @p1 @p2 --anonymous by 2026-12-04")
    for handle in ("bob", "carol", "erin", "p1"):
        await answer(chat, handle, f"code-{handle}")
    chat.expect_no_dm("alice")
    await chat.tick(utc(2026, 12, 4, 17))  # the deadline: the four held answers go out together
    released, closed = chat.dms("alice")
    assert released.startswith("📝 Feedback request #1: 4 answers are in.")
    assert "has closed: 4 of 5 answered." in closed and "after the last batch" not in closed


async def test_a_late_answer_after_a_release_is_never_shown_alone(chat, app, org):
    await add_people(app, org, "p1", "p2", "p3")
    await chat.send("alice", "/feedback request @bob @carol @erin @p1 @p2 @p3 --anonymous by 2026-12-04")
    for handle in ("bob", "carol", "erin"):
        await answer(chat, handle, f"code-{handle}")
    assert len(chat.dms("alice")) == 1
    await answer(chat, "p1", "code-p1")
    chat.expect_reply("It is held", "If that doesn't happen before the request closes, it is never shown.")
    assert len(chat.dms("alice")) == 1  # no message for it
    await chat.send("alice", "/feedback request show 1")
    reply = chat.expect_reply("Asked 6. 3 answers shown so far.")
    assert "code-p1" not in reply and "4" not in reply.splitlines()[1]

    await chat.tick(utc(2026, 12, 4, 17))  # the deadline: one held answer stays hidden
    closed = chat.expect_dm("alice", "has closed: 4 of 6 answered.", "1 answer came after the last batch")
    assert "code-p1" not in closed
    await chat.send("alice", "/feedback request show 1")
    assert "code-p1" not in chat.expect_reply(
        "(anonymous, closed)", "Asked 6: 4 answered, 0 declined, 2 didn't"
    )
    await chat.send("p1", "/feedback request show 1")  # the giver still sees their own
    chat.expect_reply("Person p1:", "code-p1")


async def test_later_answers_come_in_a_batch_of_at_least_the_threshold(chat, app, org):
    await add_people(app, org, "p1", "p2", "p3")
    await chat.send("alice", "/feedback request @bob @carol @erin @p1 @p2 @p3 --anonymous")
    for handle in ("bob", "carol", "erin", "p1", "p2"):
        await answer(chat, handle, f"code-{handle}")
    assert len(chat.dms("alice")) == 1
    await answer(chat, "p3", "code-p3")  # everyone has answered: a second batch, then it closes
    _, second, closed = chat.dms("alice")
    assert second.startswith("📝 Feedback request #1: 3 more answers")
    assert codes_in(second, ["code-bob", "code-carol", "code-erin"]) == []
    assert sorted(codes_in(second, ["code-p1", "code-p2", "code-p3"])) == ["code-p1", "code-p2", "code-p3"]
    assert closed.startswith("Feedback request #1 has closed: 6 of 6 answered.")
    async with app.db.read() as session:
        asks = await feedback_requests.asks_of(session, org_id=org.id, request_id=1)
    assert sorted(a.batch for a in asks) == [1, 1, 1, 2, 2, 2]


async def test_the_organisation_can_raise_the_threshold_but_not_below_three(chat, app, org):
    async with app.db.transaction() as session:
        with pytest.raises(ValueError, match="at least 3"):
            await set_threshold(session, org_id=org.id, threshold=2)
        await set_threshold(session, org_id=org.id, threshold=4)
    await chat.send("alice", "/feedback request @bob @carol @erin --anonymous")
    chat.expect_reply("An anonymous request needs at least 4 people")
    await chat.send("alice", "/feedback request @bob @carol @erin @wei --anonymous")
    for handle in ("bob", "carol", "erin"):
        await answer(chat, handle, f"code-{handle}")
    chat.expect_no_dm("alice")
    await answer(chat, "wei", "code-wei")
    released, closed = chat.dms("alice")
    assert "4 answers are in" in released and "has closed: 4 of 4 answered" in closed


# Who sees what


ROLES = ("requester", "respondent", "other_respondent", "requesters_manager", "another_manager", "peer")


@pytest.mark.parametrize("anonymous", [False, True])
async def test_visibility_matrix(app, org, anonymous):
    """Alice asks Bob and Erin; Carol manages Alice; Dan manages Erin; Wei is a peer not asked."""
    async with app.db.read() as session:
        everyone = {p.handle: p for p in await people.all_in_org(session, org_id=org.id)}
    request = FeedbackRequest(id=1, org_id=org.id, requester_id=everyone["alice"].id, anonymous=anonymous)
    ask = FeedbackAsk(id=1, org_id=org.id, request_id=1, respondent_id=everyone["bob"].id)
    respondents = [everyone["bob"].id, everyone["erin"].id]
    viewers = {
        "requester": everyone["alice"],
        "respondent": everyone["bob"],
        "other_respondent": everyone["erin"],
        "requesters_manager": everyone["carol"],
        "another_manager": everyone["dan"],
        "peer": everyone["wei"],
    }
    sees_request = {role: can_view_feedback_request(viewers[role], request, respondents) for role in ROLES}
    assert sees_request == {
        "requester": True,
        "respondent": True,
        "other_respondent": True,
        "requesters_manager": False,
        "another_manager": False,
        "peer": False,
    }
    sees_bobs_answer_named = {role: can_view_answer_with_name(viewers[role], request, ask) for role in ROLES}
    assert sees_bobs_answer_named == {
        "requester": not anonymous,
        "respondent": True,
        "other_respondent": False,
        "requesters_manager": False,
        "another_manager": False,
        "peer": False,
    }
    sees_combined = {role: can_view_anonymous_answers(viewers[role], request) for role in ROLES}
    assert sees_combined == {role: anonymous and role == "requester" for role in ROLES}
    outsider = Person(id=everyone["alice"].id, org_id=org.id + 1)
    assert not can_view_feedback_request(outsider, request, respondents)
    assert not can_view_answer_with_name(outsider, request, ask)
    assert not can_view_anonymous_answers(outsider, request)


async def test_the_only_respondent_in_a_language_is_told_before_answering(chat):
    """An answer in a language only one respondent uses says who wrote it; no batch can hide that."""
    await chat.send("alice", "/feedback request @bob @carol @wei --anonymous")
    wei = chat.expect_dm(
        "wei", "你的回答会按原文显示", "被邀请的人中只有你使用中文版 Rapport：用中文写的回答会指向你。"
    )
    assert "(1/4)" in wei  # said with the first question, before any answer
    bob = chat.expect_dm("bob", "Your words are shown exactly as you write them")
    assert "only you use Rapport" not in bob  # Bob and Carol share English
