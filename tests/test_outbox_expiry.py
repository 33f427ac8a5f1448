"""How long each kind of message is worth delivering: the code that queues it says, and a message not
delivered by then is dropped (tests/slack/test_delivery_outage.py shows the drop over Slack)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from store.models import OutboxMessage


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def worth_sending_until(app, *fragments: str, since: datetime | None = None) -> list[datetime]:
    """The expiry of each message queued (`since`, when given) whose summary holds all of `fragments`,
    oldest first."""
    async with app.db.read() as session:
        rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [
            r.expires_at
            for r in rows
            if all(f in (r.payload.get("summary") or "") for f in fragments)
            and (since is None or r.created_at >= since)
        ]


async def test_kudos_are_worth_a_day(chat, app, clock):
    await chat.send("bob", "/kudos @alice great demo")
    assert await worth_sending_until(app, "gave you kudos") == [clock.now() + timedelta(hours=24)]


async def test_a_sign_in_link_is_worth_sending_while_it_works(chat, app, clock):
    await chat.send("carol", "/rapport dashboard")
    chat.expect_reply("It works once, for 15 minutes")
    assert await worth_sending_until(app, "sign-in link") == [clock.now() + timedelta(minutes=15)]


async def test_a_check_in_prompt_and_its_reminder_until_the_window_closes(chat, app):
    await chat.send("alice", "/checkin schedule weekly wednesday 10:00")
    await chat.tick(utc(2026, 11, 25, 9, 0))
    chat.expect_dm("alice", "Time for your check-in", "Thu 26 Nov 2026, 18:00")
    await chat.tick(utc(2026, 11, 26, 9, 0))
    chat.expect_dm("alice", "A gentle reminder")
    closes = utc(2026, 11, 26, 17, 0)  # Thursday, 18:00 in Berlin
    assert await worth_sending_until(app, "How was your week") == [closes, closes]


async def test_what_prepares_a_review_until_the_meeting_starts(chat, app):
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    starts = utc(2026, 12, 10, 15, 0)  # Carol is in London
    await chat.tick(utc(2026, 12, 5, 15, 0))  # the self-review, five days before
    chat.expect_dm("alice", "Here is your self-review")
    await chat.tick(utc(2026, 12, 7, 15, 0))  # the digest and Alice's note, three days before
    chat.expect_dm("carol", "Review with Alice Smith")
    await chat.tick(utc(2026, 12, 10, 14, 0))  # the reminder, an hour before
    chat.expect_dm("carol", "Alice Smith")
    prepared = await worth_sending_until(app, since=utc(2026, 12, 5))
    assert len(prepared) == 5 and set(prepared) == {starts}  # and the self-review's reminder

    await chat.tick(utc(2026, 12, 11, 16, 0))  # a day after the meeting: the pulse
    chat.expect_dm("alice")
    pulse = await worth_sending_until(app, since=utc(2026, 12, 11))
    assert pulse == [utc(2026, 12, 11, 15, 45) + timedelta(days=3)]  # its job skips it after that too
