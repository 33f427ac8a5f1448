"""When the work around a review happens: moved meetings, downtime, and reminders that respect people."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from store.checkin_models import DueWork


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def notes(app, kind: str) -> list[tuple[str, str | None]]:
    async with app.db.read() as session:
        rows = await session.scalars(select(DueWork).where(DueWork.kind == kind).order_by(DueWork.id))
        return [(row.status, row.note) for row in rows]


async def test_a_meeting_moved_away_and_back_is_prepared_again(chat, app):
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    await chat.send("carol", "/review move @alice 2026-12-11 15:00")
    await chat.send("carol", "/review move @alice 2026-12-10 15:00")
    await chat.tick(utc(2026, 12, 7, 15, 0))  # three days before
    chat.expect_dm("carol", "Review with Alice Smith")


async def test_after_downtime_nothing_is_sent_for_a_meeting_that_has_started(chat, app):
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    await chat.tick(utc(2026, 12, 10, 16, 0))  # the server was down until after the meeting began
    assert not [dm for dm in chat.dms("carol") if "Review with Alice Smith" in dm]
    assert not [dm for dm in chat.dms("alice") if "self-review" in dm]
    assert ("skipped", "missed: the meeting had started (downtime)") in await notes(app, "review.digest")
    assert ("skipped", "missed: the meeting had started (downtime)") in await notes(app, "review.self_review")


async def test_the_self_review_reminder_waits_for_working_hours_and_respects_away(chat, app):
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    await chat.tick(utc(2026, 12, 5, 15, 0))  # Saturday: the self-review arrives
    chat.expect_dm("alice", "Here is your self-review")
    await chat.send("alice", "/rapport away until 2026-12-09")
    sent = len(chat.dms("alice"))
    await chat.tick(utc(2026, 12, 7, 9, 0))  # Monday 10:00 in Berlin, but she is away
    assert len(chat.dms("alice")) == sent
    assert ("skipped", "away") in await notes(app, "review.self_reminder")
