"""Closed batches (`bot.anonymity.batches`): the post-review pulse and anonymous feedback requests move
only by at least three answers at once, survive a restart, and erasure never points at anyone."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.app import build_app
from bot.anonymity import batches
from bot.features.privacy.erase import erase_person
from bot.settings import Settings
from store import feedback_requests, people, roles
from store.review_record_models import ReviewPulse
from tests.support import Chat
from tests.test_feedback_requests import answer, codes_in

REPORTS = ("priya", "omar", "lena", "tom", "ines", "yuki", "ravi")
PULSES = {  # room to speak, agreed next steps, useful: what each of Carol's reports answers
    "priya": ("no", "yes", "2"),
    "omar": ("yes", "yes", "3"),
    "lena": ("yes", "yes", "4"),
    "tom": ("no", "no", "1"),
    "ines": ("yes", "no", "5"),
    "yuki": ("yes", "yes", "5"),
    "ravi": ("yes", "yes", "4"),
}


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def reports_of_carol(app, org, *handles: str) -> None:
    """People in London who report to Carol."""
    async with app.db.transaction() as session:
        carol = await people.by_handle(session, org_id=org.id, handle="carol")
        for handle in handles:
            person = await people.create(
                session,
                org_id=org.id,
                display_name=handle.title(),
                email=f"{handle}@example.com",
                handle=handle,
                timezone="Europe/London",
                locale="en",
                now=app.clock.now(),
            )
            person.manager_id, person.department = carol.id, "Engineering"


async def reviews_then_pulses(chat: Chat, handles) -> None:
    """Carol holds a review with each on Wed 25 Nov; the pulse reaches them a day after."""
    for hour, handle in enumerate(handles, 9):
        await chat.send("carol", f"/review schedule @{handle} 2026-11-25 {hour}:00 30m")
        chat.expect_reply("scheduled")
    await chat.tick(utc(2026, 11, 26, 17))
    for handle in handles:
        chat.expect_dm(handle, "One minute about your review with Carol Jones", "at least 3 new answers")


async def pulse(chat: Chat, handle: str) -> None:
    for word in PULSES[handle]:
        await chat.send(handle, word)
    chat.expect_reply("anonymous total, which changes only once at least 3 new answers are in")


async def test_a_pulse_figure_moves_only_when_three_new_answers_are_in(chat, app, org):
    await reports_of_carol(app, org, *REPORTS)
    await reviews_then_pulses(chat, REPORTS)
    for handle in ("omar", "lena"):
        await pulse(chat, handle)
        await chat.send("carol", "/review pulse")
        chat.expect_reply(
            "No pulse figures about Carol Jones's reviews yet", "once at least 3 answers are in"
        )
    await pulse(chat, "tom")
    await chat.send("carol", "/review pulse")
    three = chat.expect_reply(
        "(3 answers): enough room to speak 67%, concrete next steps 67%, useful for growth 2.7/5.",
        "These figures change only once at least 3 new answers are in, all together",
    )
    # Priya's review: her answers are held, and Carol reads exactly what she read before.
    await pulse(chat, "priya")
    await chat.send("carol", "/review pulse")
    assert chat.replies[-1] == three
    await pulse(chat, "ines")
    await chat.send("carol", "/review pulse")
    assert chat.replies[-1] == three
    await pulse(chat, "yuki")  # the third new answer: the three come in together
    await chat.send("carol", "/review pulse")
    chat.expect_reply(
        "(6 answers): enough room to speak 67%, concrete next steps 67%, useful for growth 3.3/5."
    )
    async with app.db.transaction() as session:
        erin = await people.by_handle(session, org_id=org.id, handle="erin")
        await roles.grant(session, org_id=org.id, person_id=erin.id, role="hr", now=app.clock.now())
    await chat.send("erin", "/review pulse @carol")
    chat.expect_reply("Review pulse for Carol Jones (6 answers)")


async def test_what_was_released_survives_a_restart(chat, app, org, db, clock):
    await reports_of_carol(app, org, *REPORTS[:4])
    await reviews_then_pulses(chat, REPORTS[:4])
    for handle in REPORTS[:4]:
        await pulse(chat, handle)
    await chat.send("carol", "/review pulse")
    before = chat.expect_reply("(3 answers)")

    restarted = build_app(Settings(database_url=db.url, org="acme"), clock=clock, db=db)
    again = Chat(app=restarted, org="acme")
    await again.open()
    await again.send("carol", "/review pulse")
    assert again.replies[-1] == before
    async with restarted.db.read() as session:
        rows = (await session.execute(ReviewPulse.__table__.select())).all()
    assert sorted((row.batch or 0, row.released_week or "held") for row in rows) == [
        (0, "held"),
        (1, "2026-W48"),
        (1, "2026-W48"),
        (1, "2026-W48"),
    ]


def test_the_threshold_is_never_below_three():
    assert not batches.ready(2, threshold=2)
    assert not batches.ready(2, threshold=1)
    assert batches.ready(3, threshold=1)
    assert not batches.ready(4, threshold=5)
    assert batches.ready(5, threshold=5)


def test_a_batch_waits_rather_than_strand_fewer_than_the_threshold():
    assert not batches.ready(3, threshold=3, still_to_come=1)  # the last one would be alone
    assert not batches.ready(3, threshold=3, still_to_come=2)
    assert batches.ready(3, threshold=3, still_to_come=3)  # they can make a batch of their own
    assert batches.ready(3, threshold=3, still_to_come=0)


# Anonymous feedback requests and erasure


async def respondents(app, org, *handles: str) -> None:
    await reports_of_carol(app, org, *handles)


async def erase(app, org, handle: str) -> None:
    async with app.db.transaction() as session:
        person = await people.by_handle(session, org_id=org.id, handle=handle)
        assert await erase_person(
            session, org_id=org.id, person_id=person.id, now=app.clock.now(), actor_label="test"
        )


async def test_erasing_a_respondent_withdraws_their_batch_whole_and_moves_no_number(chat, app, org):
    await respondents(app, org, "p1", "p2", "p3")
    await chat.send("alice", "/feedback request @bob @erin @p1 @p2 @p3 @carol --anonymous")
    for handle in ("bob", "erin", "p1"):  # the first batch: answers 1 to 3
        await answer(chat, handle, f"code-{handle}")
    for handle in ("p2", "p3", "carol"):  # the second: answers 4 to 6
        await answer(chat, handle, f"code-{handle}")
    await chat.send("alice", "/feedback request show 1")
    seen = chat.expect_reply("Answer 1", "Answer 6")
    second = codes_in(seen, ["code-p2", "code-p3", "code-carol"])

    await erase(app, org, "p1")
    await chat.send("alice", "/feedback request show 1")
    reply = chat.expect_reply(
        "Asked 6: 6 answered, 0 declined, 0 didn't answer.",  # the counts she saw stay
        "Answers 1–3 are no longer shown: the data of one of the people who wrote them has been erased",
        "Answer 4",
        "Answer 6",
    )
    assert codes_in(reply, ["code-bob", "code-erin", "code-p1"]) == []  # no blank in p1's place either
    assert codes_in(reply, ["code-p2", "code-p3", "code-carol"]) == second  # the same places as before
    assert not {"Answer 1", "Answer 2", "Answer 3"} & set(reply.splitlines())


async def test_an_erased_answer_never_counts_towards_the_threshold(chat, app, org):
    await respondents(app, org, "p1", "p2", "p3", "p4", "p5")
    await chat.send("alice", "/feedback request @bob @erin @p1 @p2 @p3 @p4 @p5 --anonymous")
    await answer(chat, "bob", "code-bob")
    await answer(chat, "p1", "code-p1")
    await erase(app, org, "p1")
    await answer(chat, "erin", "code-erin")  # three answered, but only two are still there
    chat.expect_no_dm("alice")
    await chat.send("alice", "/feedback request show 1")
    reply = chat.expect_reply("Asked 7. 0 answers shown so far.")  # no "3 answered" and nothing shown
    assert "answered," not in reply
    await answer(chat, "p2", "code-p2")
    [released] = chat.dms("alice")
    assert released.startswith("📝 Feedback request #1: 3 answers are in.")
    assert sorted(codes_in(released, ["code-bob", "code-erin", "code-p2", "code-p1"])) == [
        "code-bob",
        "code-erin",
        "code-p2",
    ]
    async with app.db.read() as session:
        asks = await feedback_requests.asks_of(session, org_id=org.id, request_id=1)
    assert sorted((a.status, a.batch) for a in asks if a.status != "asked") == [
        ("answered", 1),
        ("answered", 1),
        ("answered", 1),
        ("erased", None),
    ]


async def test_a_named_request_says_an_answer_was_erased(chat, app, org):
    await chat.send("alice", "/feedback request @bob @erin")
    await answer(chat, "bob", "code-bob")
    await erase(app, org, "bob")
    await chat.send("alice", "/feedback request show 1")
    reply = chat.expect_reply("answered; the answer has since been erased", "Erin Park: not answered yet")
    assert "code-bob" not in reply
