"""Who may see a check-in (a matrix), and the low-mood signal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.access import can_view_checkin
from store import people
from store.checkin_models import Signal

# viewer → whose check-ins they may see, in the seeded org (Carol manages Alice, Bob and Wei;
# Dan manages Erin).
EVERYONE = ["carol", "alice", "bob", "wei", "dan", "erin"]
VISIBLE = {
    "carol": {"carol", "alice", "bob", "wei"},
    "alice": {"alice"},
    "bob": {"bob"},
    "wei": {"wei"},
    "dan": {"dan", "erin"},
    "erin": {"erin"},
}


@pytest.mark.parametrize("viewer", EVERYONE)
async def test_a_check_in_is_seen_by_its_author_and_their_manager_only(app, org, viewer):
    async with app.db.read() as session:
        by_handle = {h: await people.by_handle(session, org_id=org.id, handle=h) for h in EVERYONE}
    seen = {
        owner
        for owner in EVERYONE
        if can_view_checkin(by_handle[viewer], by_handle[owner], written_at=app.clock.now())
    }
    assert seen == VISIBLE[viewer]


async def test_the_same_ids_in_another_organisation_see_nothing(app, org):
    from tests.support import seed_org

    other = await seed_org(app, slug="globex", values=[], domain="globex.example")
    async with app.db.read() as session:
        carol = await people.by_handle(session, org_id=other.id, handle="carol")
        alice = await people.by_handle(session, org_id=org.id, handle="alice")
    assert not can_view_checkin(carol, alice, written_at=app.clock.now())


async def test_a_mood_of_two_or_less_twice_in_a_row_is_recorded(chat, app, clock):
    from datetime import timedelta

    async def check_in(mood: str) -> None:
        await chat.send("bob", "/checkin")
        for line in (mood, "a", "skip", "no", "skip", "p", "skip"):
            await chat.send("bob", line)
        chat.expect_reply("saved")

    await check_in("2")
    clock.advance(timedelta(days=7))
    await check_in("4")
    clock.advance(timedelta(days=7))
    await check_in("1")
    async with app.db.read() as session:
        assert list(await session.scalars(select(Signal))) == []
    clock.advance(timedelta(days=7))
    await check_in("2")
    async with app.db.read() as session:
        signals = list(await session.scalars(select(Signal)))
    assert [(s.kind, s.detail) for s in signals] == [("low_mood", {"moods": [2, 1]})]
