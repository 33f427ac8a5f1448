"""A manager who takes over a team reads what is written to them from the day they become the manager:
not the check-ins, "anything for your manager" notes and signals written to the one before."""

from __future__ import annotations

from datetime import timedelta

from bot.access import can_view_checkin
from bot.orgcheck import Row
from bot.orgimport import import_people
from store import people


async def checkin(chat, *, went_well: str, for_manager: str, blocker: str | None = None) -> str:
    """Alice answers her check-in (or, within its window, answers it again)."""
    await chat.send("alice", "/checkin")
    for answer in ("4", went_well, "skip", "yes" if blocker else "no", *([blocker] if blocker else [])):
        await chat.send("alice", answer)
    await chat.send("alice", "skip")
    await chat.send("alice", "The reporting pipeline")
    await chat.send("alice", for_manager)
    return chat.expect_reply("your check-in is saved")


async def mia_takes_over_alice(app) -> None:
    """The org import: Mia (London) joins and becomes Alice's manager."""
    rows = [
        Row(line=2, values={"email": "mia@example.com", "name": "Mia Wong", "timezone": "Europe/London"}),
        Row(
            line=3,
            values={"email": "alice@example.com", "name": "Alice Smith", "manager_email": "mia@example.com"},
        ),
    ]
    result = await import_people(app.db, slug="acme", rows=rows, now=app.clock.now())
    assert not result.problems


async def test_the_new_manager_reads_only_what_was_written_to_them(chat, app, org, clock):
    await checkin(chat, went_well="Shipped the importer", for_manager="Carol, I'd like a mentor")
    clock.set(clock.now() + timedelta(days=8))
    await mia_takes_over_alice(app)
    clock.set(clock.now() + timedelta(hours=1))
    await checkin(chat, went_well="Paired with the data team", for_manager="Mia, can we meet weekly?")

    await chat.send("mia", "/review schedule @alice 2026-12-10 14:00")
    chat.expect_reply("scheduled")
    await chat.send("mia", "/review digest @alice")
    digest = chat.expect_reply("Mia, can we meet weekly?", "Paired with the data team")
    assert "Carol, I'd like a mentor" not in digest and "Shipped the importer" not in digest
    await chat.send("carol", "/review digest @alice")  # no longer hers to read either
    assert "Paired with the data team" not in chat.replies[-1]

    async with app.db.read() as session:
        alice = await people.by_handle(session, org_id=org.id, handle="alice")
        mia = await people.by_handle(session, org_id=org.id, handle="mia")
    assert alice.manager_since == clock.now() - timedelta(hours=1)
    assert can_view_checkin(mia, alice, written_at=clock.now())
    assert not can_view_checkin(mia, alice, written_at=alice.manager_since - timedelta(seconds=1))
    assert can_view_checkin(alice, alice, written_at=alice.manager_since - timedelta(days=30))


async def test_a_blocker_raised_to_the_old_manager_is_not_told_to_the_new_one(chat, app, clock):
    await checkin(
        chat, went_well="Half the migration", for_manager="skip", blocker="waiting on the VPN for Berlin"
    )
    chat.expect_dm("carol", "Alice Smith is blocked: waiting on the VPN for Berlin")
    clock.set(clock.now() + timedelta(hours=1))
    await mia_takes_over_alice(app)
    clock.set(clock.now() + timedelta(hours=1))
    reply = await checkin(chat, went_well="Half the migration", for_manager="skip")  # no longer blocked
    assert "know that you're no longer blocked" not in reply
    assert not [dm for dm in chat.dms("mia") if "VPN" in dm]
    await checkin(chat, went_well="Half the migration", for_manager="skip", blocker="the VPN again")
    chat.expect_dm("mia", "Alice Smith is blocked: the VPN again")  # what is written to Mia, she hears
