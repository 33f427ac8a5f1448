"""An organisation's default time zone: people with none of their own (DingTalk gives none, a Feishu
profile may lack one) are prompted and read dates in it; their own zone, once set, wins; changing the
default moves the next check-in of the people without a zone, and only theirs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.features.checkins.cycle import PROMPT
from bot.features.presence.timezone import set_org_default
from store import directory, due_work, orgs, people


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def _without_zone(chat, *handles: str) -> None:
    """These people came from a platform that says nothing of their time zone."""
    async with chat.app.db.transaction() as session:
        found = [await people.by_handle(session, org_id=1, handle=h) for h in handles]
        changes = [{"id": p.id, "timezone": None} for p in found]
        await directory.update_many(session, org_id=1, changes=changes, now=chat.app.clock.now())


async def _org_default(chat, zone: str) -> str:
    """What `rapport org settings --timezone` does."""
    async with chat.app.db.transaction() as session:
        org = await orgs.by_slug(session, "acme")
        return await set_org_default(session, org=org, text=zone, now=chat.app.clock.now())


async def _next_prompt(chat, handle: str) -> datetime:
    async with chat.app.db.read() as session:
        person = await people.by_handle(session, org_id=1, handle=handle)
        upcoming = await due_work.next_pending(session, org_id=1, kind=PROMPT, subjects=[person.id])
        return upcoming[person.id].astimezone(UTC)


async def test_someone_without_a_zone_lives_in_the_organisations_default(chat):
    await _without_zone(chat, "erin")
    assert await _org_default(chat, "Asia/Shanghai") == "Asia/Shanghai"
    await chat.send("erin", "/rapport timezone")
    chat.expect_reply("Your time zone is Asia/Shanghai, your organisation's default", "(it's 17:00 there now)")
    await chat.send("erin", "/checkin schedule weekly wednesday 16:00")
    chat.expect_reply("every Wednesday at 16:00 (Asia/Shanghai)", "Next: Wed 25 Nov 2026, 16:00 (Asia/Shanghai)")
    await chat.tick(utc(2026, 11, 25, 7, 59))
    chat.expect_no_dm("erin")
    await chat.tick(utc(2026, 11, 25, 8, 0))  # 16:00 in Shanghai
    chat.expect_dm("erin", "Time for your check-in", "Thu 26 Nov 2026, 18:00 (Asia/Shanghai)")


async def test_their_own_zone_wins_over_the_default(chat):
    await _without_zone(chat, "erin")
    await _org_default(chat, "Asia/Shanghai")
    await chat.send("erin", "/checkin schedule weekly wednesday 16:00")
    assert await _next_prompt(chat, "erin") == utc(2026, 11, 25, 8)
    await chat.send("erin", "/rapport timezone Europe/London")
    chat.expect_reply("Your time zone is now Europe/London")
    assert await _next_prompt(chat, "erin") == utc(2026, 11, 25, 16)  # 16:00 in London
    await _org_default(chat, "America/Los_Angeles")
    assert await _next_prompt(chat, "erin") == utc(2026, 11, 25, 16)
    await chat.send("erin", "/rapport timezone")
    chat.expect_reply("Your time zone is Europe/London (it's")


async def test_changing_the_default_moves_only_the_prompts_of_people_without_a_zone(chat):
    await _without_zone(chat, "erin", "dan")
    await _org_default(chat, "Asia/Shanghai")
    for handle in ("erin", "dan", "alice"):
        await chat.send(handle, "/checkin schedule weekly wednesday 16:00")
    assert await _next_prompt(chat, "dan") == utc(2026, 11, 25, 8)
    assert await _next_prompt(chat, "alice") == utc(2026, 11, 25, 15)  # her own Berlin
    await _org_default(chat, "America/New_York")
    assert await _next_prompt(chat, "erin") == utc(2026, 11, 25, 21)  # 16:00 in New York
    assert await _next_prompt(chat, "dan") == utc(2026, 11, 25, 21)
    assert await _next_prompt(chat, "alice") == utc(2026, 11, 25, 15)
    await chat.tick(utc(2026, 11, 25, 8))  # when Shanghai's 16:00 was: nothing for them any more
    chat.expect_no_dm("dan")
    await chat.tick(utc(2026, 11, 25, 21))
    chat.expect_dm("dan", "Time for your check-in", "Thu 26 Nov 2026, 18:00 (America/New_York)")


@pytest.mark.parametrize("typed", ["Mars/Olympus", "Asia/Shangai"])
async def test_an_unknown_default_is_refused_and_nothing_changes(chat, typed):
    with pytest.raises(ValueError, match="is not a time zone"):
        await _org_default(chat, typed)
    async with chat.app.db.read() as session:
        assert (await orgs.by_slug(session, "acme")).default_timezone is None


async def test_days_typed_and_read_are_the_defaults_days(chat):
    await _without_zone(chat, "erin")
    await _org_default(chat, "Asia/Shanghai")
    chat.app.clock.set(utc(2026, 11, 24, 20))  # Tuesday 20:00 in UTC, already Wednesday 04:00 in Shanghai
    await chat.send("erin", "/rapport away until tomorrow")
    chat.expect_reply("No check-ins until you're back on Thu 26 Nov 2026")
    await chat.send("bob", "/rapport away until tomorrow")  # his own New York: still Tuesday there
    chat.expect_reply("No check-ins until you're back on Wed 25 Nov 2026")
