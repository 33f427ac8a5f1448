"""An administrator gives a whole department (or organisation) one check-in schedule."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.cli import main
from bot.checkins.schedule_text import parse
from bot.checkins.team import apply_schedule
from store import orgs


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
    assert (applied.set, applied.kept) == (3, 1)  # carol, alice, wei; bob kept his
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
    assert main(["checkin", "schedule", "weekly friday 16:00"]) == 0
    assert main(["checkin", "schedule", "whenever"]) == 1
    out, err = capsys.readouterr()
    assert "Check-in schedule set for 10 people in the organisation; 0 kept their own." in out
    assert "Check-in schedule set for 0 people in the organisation; 10 kept their own." in out
    assert "Cannot read 'whenever' as a schedule" in err
