"""A pulse left half-answered is never kept by name: when it closes, what was given is discarded and
the person is told, in their language; the pulse says from the start until when it is open."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.test_export import exports


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def pulse_sent(chat, handle: str) -> str:
    """Carol holds a review with them on Wed 25 Nov; the pulse comes a day after."""
    await chat.send("carol", f"/review schedule @{handle} 2026-11-25 10:00 30m anyway")
    chat.expect_reply("scheduled")
    await chat.tick(utc(2026, 11, 26, 17))
    return chat.dms(handle)[-1]


async def test_a_half_answered_pulse_is_discarded_when_it_closes(chat, app, org):
    intro = await pulse_sent(chat, "bob")
    assert "It is open until Thu 3 Dec 2026, 12:00 (America/New_York)" in intro
    await chat.send("bob", "yes")
    await chat.send("bob", "no")
    await chat.send("bob", "yes")  # not a number from 1 to 5: the third answer never comes
    chat.expect_reply("Please answer with a number from 1 to 5")

    await chat.tick(utc(2026, 12, 3, 17, 1))  # a week later, it closes
    chat.expect_dm(
        "bob",
        "Review pulse closed at Thu 3 Dec 2026, 12:00 (America/New_York) before it was finished.",
        "The 2 answers you gave are discarded: unfinished, they are neither kept nor counted.",
    )
    await chat.send("bob", "4")  # too late: nothing takes it
    assert "Thank you" not in chat.replies[-1]
    [kept] = (await exports(app, org, "bob"))["bob"]["pulse_answers"]
    assert kept["answers"] == {} and not kept["kept_only_as_an_anonymous_count"]
    await chat.send("carol", "/review pulse")
    chat.expect_reply("No pulse figures")


async def test_a_pulse_stopped_with_cancel_is_discarded_too_in_chinese(chat, app, org):
    intro = await pulse_sent(chat, "wei")
    assert "这份反馈开放至" in intro
    await chat.send("wei", "是")
    await chat.send("wei", "取消")
    await chat.tick(utc(2026, 12, 3, 17, 1))
    chat.expect_dm("wei", "你已回答的 1 题已丢弃")
    [kept] = (await exports(app, org, "wei"))["wei"]["pulse_answers"]
    assert kept["answers"] == {}


async def test_an_unanswered_pulse_closes_without_a_word(chat, app, org):
    await pulse_sent(chat, "alice")
    before = len(chat.dms("alice"))
    await chat.tick(utc(2026, 12, 3, 17, 1))
    assert len(chat.dms("alice")) == before  # nothing was given, so nothing to say


async def test_review_pulse_for_someone_without_reports_says_why_and_points_at_their_own(chat, app, org):
    await pulse_sent(chat, "alice")
    await chat.send("alice", "/review pulse")
    reply = chat.expect_reply(
        "nobody reports to you in Rapport, so there are no figures about you.",
        "Your own pulse about your last review is open until",
        "type `switch` to answer it",
    )
    assert "Alice Smith's reviews" not in reply
    await chat.send("alice", "switch")
    chat.expect_reply("Did you have enough room to speak")
    await chat.send("wei", "/review pulse")
    chat.expect_reply("在 Rapport 中没有人向你汇报")
    await chat.send("carol", "/review pulse")  # a manager: too few answers yet, as before
    chat.expect_reply("No pulse figures about Carol Jones's reviews yet")
