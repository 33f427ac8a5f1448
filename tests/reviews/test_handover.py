"""A review follows the reporting line: after the org import gives someone a new manager, their open
review is the new manager's (digest, reminders, record), or it is closed; all three are told once."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.orgcheck import Row
from bot.orgimport import import_people
from store.checkin_models import FormSession


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def move_wei_to(app, manager_email: str) -> None:
    """HR's import: 张伟 now reports to someone else (or, with "", to nobody)."""
    row = Row(line=2, values={"email": "wei@example.com", "name": "张伟", "manager_email": manager_email})
    result = await import_people(app.db, slug="acme", rows=[row], now=app.clock.now())
    assert not result.problems and result.updated == 1


async def test_an_open_review_is_handed_to_the_new_manager(chat, app):
    await chat.send("carol", "/review schedule @wei 2026-12-10 09:00 anyway")
    await chat.send("carol", "/review example @wei Led the incident review")
    await chat.send("carol", "/review draft @wei")
    await chat.send("carol", "Calm under pressure")  # her draft evaluation, half written
    await chat.tick(utc(2026, 12, 7, 9, 30))  # three days before: Carol's digest
    chat.expect_dm("carol", "张伟")

    await chat.tick(utc(2026, 12, 8, 9, 0))
    await move_wei_to(app, "dan@example.com")
    await chat.send("dan", "/review list")
    chat.expect_reply("#1 张伟 with Dan Lee")
    chat.expect_dm("wei", "已不再是你的经理", "改由 Dan Lee 进行", "自评将由 Dan Lee 阅读")
    chat.expect_dm(
        "carol", "张伟 now reports to Dan Lee", "handed over to Dan Lee", "notes for it are deleted"
    )
    chat.expect_dm("dan", "张伟 now reports to you", "set up with Carol Jones", "`/review digest @wei`")

    await chat.tick(utc(2026, 12, 8, 9, 1))  # the digest Carol had is now Dan's
    digest = chat.expect_dm("dan", "Review with 张伟")
    assert "Led the incident review" not in digest  # Carol's own notes stay hers (deleted)
    await chat.send("dan", "/review draft @wei")
    assert "Calm under pressure" not in chat.replies[-1]
    async with app.db.read() as session:
        left = await session.scalars(
            select(FormSession.answers).where(FormSession.form_key == "review_draft")
        )
        assert not any("Calm under pressure" in str(answers) for answers in left)
    await chat.send("dan", "/review digest @wei")
    assert "no review scheduled" not in chat.replies[-1]
    await chat.send("carol", "/review digest @wei")
    chat.expect_reply("Only 张伟's manager can prepare")
    await chat.send("wei", "/review list")
    chat.expect_reply("张伟 与 Dan Lee")
    assert "Carol" not in chat.replies[-1]

    carol_before = len(chat.dms("carol"))
    await chat.tick(utc(2026, 12, 10, 8, 0))  # an hour before: the reminder is Dan's, not Carol's
    chat.expect_dm("dan", "⏰ Your review with 张伟")
    assert len(chat.dms("carol")) == carol_before
    await chat.send("dan", "/review move @wei 2026-12-11 09:00 anyway")
    chat.expect_dm("wei", "Dan Lee")


async def test_a_past_unrecorded_review_is_closed_and_does_not_block_the_next(chat, app):
    await chat.send("carol", "/review schedule @wei 2026-12-10 09:00 anyway")
    await chat.tick(utc(2026, 12, 20, 9, 0))  # the meeting passed; Carol never recorded it
    await move_wei_to(app, "dan@example.com")
    await chat.send("dan", "/review schedule @wei 2027-01-12 09:00 anyway")
    chat.expect_reply("Review with 张伟 scheduled for")
    assert any("closed without a record" in dm for dm in chat.dms("carol"))
    assert any("没有记录，所以已关闭" in dm for dm in chat.dms("wei"))


async def test_a_review_with_nobody_to_hold_it_is_cancelled(chat, app):
    await chat.send("carol", "/review schedule @wei 2026-12-10 09:00 anyway")
    await move_wei_to(app, "")
    await chat.send("carol", "/review list")
    chat.expect_reply("No reviews scheduled.")
    chat.expect_dm("carol", "Your review with 张伟", "is cancelled: 张伟 no longer reports to you.")
    chat.expect_dm("wei", "面谈已取消", "你现在没有经理")
    before = len(chat.deliveries)
    await chat.tick(utc(2026, 12, 10, 8, 0))
    assert len(chat.deliveries) == before  # no self-review, digest or reminder for a cancelled review
