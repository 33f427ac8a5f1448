"""An administrator gives a whole department (or organisation) one check-in schedule."""

from __future__ import annotations

import argparse
import contextlib
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text

from adapters.cli import main
from adapters.cli.checkin import team_schedule
from bot.features.checkins.schedule_text import parse
from bot.features.checkins.team import apply_schedule
from store import directory, orgs
from store.checkin_models import CheckinSchedule
from store.migrate import differences, downgrade, upgrade
from tests.conftest import BACKENDS
from tests.migrating import database_at


async def test_a_department_schedule_prompts_each_person_at_their_own_local_time(chat, app):
    await chat.send("bob", "/checkin schedule weekly monday 09:30")  # Bob chose his own
    async with app.db.transaction() as session:
        org = await orgs.by_slug(session, "acme")
        applied = await apply_schedule(
            session,
            org_id=org.id,
            wanted=parse(app.catalogue, "weekly wednesday 10:00"),
            now=app.clock.now(),
            department="engineering",
        )
    assert (applied.set, len(applied.kept)) == (3, 1)  # carol, alice, wei; bob kept his
    await chat.tick(datetime(2026, 11, 25, 2, 0, tzinfo=UTC))  # 10:00 in Shanghai
    chat.expect_dm("wei", "签到")
    chat.expect_no_dm("alice")
    await chat.tick(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # 10:00 in Berlin
    chat.expect_dm("alice", "Time for your check-in")
    chat.expect_no_dm("erin")  # Sales was not given a schedule
    await chat.send("bob", "/checkin schedule")
    chat.expect_reply("every Monday at 09:30")


def test_the_command_line_sets_the_organisation_schedule(demo_cli, capsys):
    assert main(["checkin", "schedule", "every two weeks monday 9:30", "--replace"]) == 0
    assert main(["checkin", "schedule", "weekly friday 16:00"]) == 0  # nobody chose their own
    assert main(["checkin", "schedule", "weekly friday 16:00"]) == 0
    assert main(["checkin", "schedule", "whenever"]) == 1
    out, err = capsys.readouterr()
    assert (
        "Check-in schedule 'every two weeks monday 9:30' set for 10 people in the organisation, at that"
        in out
    )
    assert "Check-in schedule 'weekly friday 16:00' set for 10 people in the organisation, at that" in out
    assert "set for 0 people in the organisation (10 people had it already)" in out
    assert "kept their own" not in out
    assert "Cannot read 'whenever' as a schedule" in err


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("weekly funday 16:00", "Cannot read 'weekly funday 16:00' as a schedule ('funday' is not"),
        ("daily 9:00", "Check-ins come at most once a week"),
        ("weekdays 9:00", "Check-ins come at most once a week"),
    ],
)
def test_the_command_line_refuses_what_it_cannot_read_and_changes_nothing(demo_cli, capsys, typed, problem):
    assert main(["checkin", "schedule", typed]) == 1
    assert problem in capsys.readouterr().err


async def schedule_everyone(app, text: str, *, replace: bool = False) -> str:
    """`rapport checkin schedule TEXT [--replace]` on the chat's organisation; what it printed."""
    args = argparse.Namespace(schedule=text, department=None, replace=replace, org="acme")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert await team_schedule(app, args) == 0
    return out.getvalue()


async def test_a_team_schedule_changes_everyone_who_did_not_choose_and_says_who_kept_theirs(chat, app):
    await schedule_everyone(app, "weekly wednesday 10:00")
    await chat.send("bob", "/checkin schedule weekly monday 09:30")  # Bob chose his own rhythm
    await chat.send("wei", "/checkin schedule 关闭")  # and Wei chose none
    out = await schedule_everyone(app, "weekly thursday 15:00")
    assert "Check-in schedule 'weekly thursday 15:00' set for 4 people in the organisation" in out
    assert "2 people kept their own (add --replace to change theirs too):" in out
    assert "  Bob Brown (bob@example.com): every Monday at 09:30, chosen with /checkin schedule" in out
    assert "  张伟 (wei@example.com): check-ins off, chosen with /checkin schedule" in out
    await chat.send("alice", "/checkin schedule")
    chat.expect_reply("every Thursday at 15:00")
    await chat.send("bob", "/checkin schedule")
    chat.expect_reply("every Monday at 09:30")
    await chat.tick(datetime(2026, 11, 26, 7, 0, tzinfo=UTC))  # Thursday 15:00 in Shanghai: Wei chose none
    chat.expect_no_dm("wei")

    out = await schedule_everyone(app, "weekly thursday 15:00", replace=True)
    assert "set for 2 people in the organisation (4 people had it already)" in out
    await chat.send("bob", "/checkin schedule")
    chat.expect_reply("every Thursday at 15:00")


async def test_off_works_on_the_command_line_as_in_chat(chat, app):
    await schedule_everyone(app, "weekly wednesday 10:00")
    await chat.send("bob", "/checkin schedule weekly monday 09:30")
    out = await schedule_everyone(app, "off")
    assert "Scheduled check-ins turned off for 5 people in the organisation." in out
    assert "1 person kept their own" in out
    await chat.tick(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # Wednesday 10:00 in Berlin
    chat.expect_no_dm("alice")
    await chat.send("alice", "/checkin schedule")
    chat.expect_reply("no check-in schedule yet")
    await chat.send("bob", "/checkin schedule")
    chat.expect_reply("every Monday at 09:30")


async def test_only_what_is_said_changes(chat):
    await chat.send("alice", "/checkin schedule every two weeks monday 9:30")
    await chat.send("alice", "/checkin schedule 16:00")
    chat.expect_reply("every other Monday at 16:00")
    await chat.send("alice", "/checkin schedule friday")
    chat.expect_reply("every other Friday at 16:00")
    await chat.send("wei", "/checkin schedule 每月第一个周五 下午4点")
    chat.expect_reply("每月第一个周五 16:00")


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("weekly funday 16:00", "I couldn't read “funday” in that schedule."),
        ("daily 9:00", "they come at most once a week"),
        ("weekdays 9:00", "they come at most once a week"),
        ("every day at 9:00", "they come at most once a week"),
        ("weekly monday tuesday", "I couldn't read that schedule."),
        ("weekly friday 25:00", "I couldn't read “25:00” in that schedule."),
    ],
)
async def test_a_schedule_is_read_strictly(chat, typed, answer):
    await chat.send("alice", "/checkin schedule weekly wednesday 10:00")
    await chat.send("alice", f"/checkin schedule {typed}")
    chat.expect_reply(answer)
    await chat.send("alice", "/checkin schedule")
    chat.expect_reply("every Wednesday at 10:00")


@pytest.fixture(params=BACKENDS)
async def at_0017(request, tmp_path):
    """A database migrated to 0017 only, on each backend."""
    async with database_at(request.param, "0017", tmp_path) as database:
        yield database


async def test_migration_0020_marks_earlier_schedules_as_set_by_nobody_known_and_goes_back(at_0017):
    db, now = at_0017, datetime(2026, 11, 24, 9, tzinfo=UTC)
    async with db.transaction() as session:
        org = await orgs.create(session, slug="acme", name="Acme", now=now)
        ids = await directory.insert_many(
            session, org_id=org.id, people=[{"email": "p1@acme.example", "display_name": "P1"}], now=now
        )
        await session.execute(
            text(
                "INSERT INTO checkin_schedule (org_id, person_id, cadence, weekday, hour, minute, anchor,"
                " created_at, updated_at) VALUES (:o, :p, 'weekly', 4, 16, 0, :d, :t, :t)"
            ),
            {"o": org.id, "p": ids["p1@acme.example"], "d": date(2026, 11, 24), "t": now},
        )
    await upgrade(db)
    assert await differences(db) == []
    async with db.transaction() as session:
        [row] = await session.scalars(select(CheckinSchedule))
        assert (row.cadence, row.set_by) == ("weekly", "unknown")
        row.cadence, row.set_by = "off", "person"
    await downgrade(db, "0017")
    async with db.read() as session:
        assert (await session.execute(text("SELECT count(*) FROM checkin_schedule"))).scalar() == 0
