"""The monthly goal conversation respects the manager's presence like every scheduled DM: away (or a
holiday set after planning) moves it to the first working day back; muted skips the month with its
reason recorded; and a report moved to another manager by the org import is talked about with the new
one."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.orgcheck import Row
from bot.orgimport import import_people
from store import presence
from store.checkin_models import DueWork
from tests.goals.test_goal_talks import DEC_1, JAN_1, set_goals

MONTHLY = "Monthly goal conversation with Alice Smith"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def talk_runs(app) -> list[tuple[str, str | None]]:
    async with app.db.read() as session:
        rows = await session.scalars(
            select(DueWork).where(DueWork.kind == "goal.talk").order_by(DueWork.run_at)
        )
        return [(row.run_at.strftime("%Y-%m-%d %H:%M"), row.status, row.note) for row in rows]


def monthly(chat, handle: str) -> list[str]:
    return [dm for dm in chat.dms(handle) if "Monthly goal conversation" in dm]


async def test_an_away_manager_gets_the_month_s_talk_on_the_first_working_day_back(chat, app):
    await set_goals(chat)
    await chat.send("carol", "/rapport away until 2026-12-03")  # away Tuesday 1 and Wednesday 2
    chat.expect_reply("back on Thu 3 Dec 2026")
    await chat.tick(DEC_1)
    await chat.tick(utc(2026, 12, 2, 10, 0))
    assert not monthly(chat, "carol")
    await chat.tick(utc(2026, 12, 3, 10, 0))  # Thursday, back
    chat.expect_dm("carol", f"{MONTHLY} (December 2026)", "Had the talk?", "[Yes]  [Later]")
    assert len(monthly(chat, "carol")) == 1
    assert await talk_runs(app) == [
        ("2026-12-01 10:00", "skipped", "away: moved to the first working day back"),
        ("2026-12-03 10:00", "done", "1 offered"),
        ("2027-01-01 10:00", "pending", None),
    ]
    await chat.tick(JAN_1)  # back for good: January's comes on time
    chat.expect_dm("carol", f"{MONTHLY} (January 2027)")


async def test_a_holiday_declared_after_planning_moves_the_talk_to_the_next_working_day(chat, app, org):
    await set_goals(chat)  # planned for Tuesday 1 December
    async with app.db.transaction() as session:
        await presence.replace_holidays(session, org_id=org.id, days=[(date(2026, 12, 1), "Founders' day")])
    await chat.tick(DEC_1)
    assert not monthly(chat, "carol")
    await chat.tick(utc(2026, 12, 2, 10, 0))
    chat.expect_dm("carol", f"{MONTHLY} (December 2026)")
    assert [run[1:] for run in await talk_runs(app)][:2] == [
        ("skipped", "holiday: moved to the next working day"),
        ("done", "1 offered"),
    ]


async def test_a_muted_manager_is_not_sent_the_month_s_talk_and_gets_the_next_one(chat, app):
    await set_goals(chat)
    await chat.send("carol", "/rapport mute until 2026-12-02")
    await chat.tick(DEC_1)
    await chat.tick(utc(2026, 12, 3, 10, 0))
    assert not monthly(chat, "carol")
    assert (await talk_runs(app))[0] == ("2026-12-01 10:00", "skipped", "muted")
    await chat.tick(JAN_1)
    chat.expect_dm("carol", f"{MONTHLY} (January 2027)")
    assert len(monthly(chat, "carol")) == 1


async def test_a_report_moved_by_the_org_import_is_talked_about_with_the_new_manager(chat, app):
    await set_goals(chat)  # Carol's monthly run is planned; Dan manages nobody yet
    row = Row(
        line=2,
        values={"email": "alice@example.com", "name": "Alice Smith", "manager_email": "dan@example.com"},
    )
    result = await import_people(app.db, slug="acme", rows=[row], now=app.clock.now())
    assert not result.problems and result.updated == 1
    await chat.tick(DEC_1)
    chat.expect_dm("dan", f"{MONTHLY} (December 2026)", "#1 Ship billing v2")
    assert not monthly(chat, "carol")  # no longer hers to talk about
    await chat.tick(JAN_1)
    assert len(monthly(chat, "dan")) == 2
