"""Every look at someone else's digest, self-review or meeting record is in the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime

from store import audit, people, roles


async def _trail(app, org) -> list[tuple[str, str, str | None]]:
    async with app.db.read() as session:
        rows = await audit.entries(session, org_id=org.id)
    return [(e.actor_label, e.action, name) for e, name in reversed(rows)]


async def test_digest_history_and_hr_views_are_audited_and_own_views_are_not(chat, app, org):
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    await chat.send("carol", "/review digest @alice")
    await chat.send("carol", "/review history @alice")  # no record yet: dates only
    await chat.send("alice", "/review history")  # her own: nothing to record
    async with app.db.transaction() as session:
        dan = await people.by_handle(session, org_id=org.id, handle="dan")
        await roles.grant(session, org_id=org.id, person_id=dan.id, role="hr", now=app.clock.now())
    await chat.send("dan", "/review history @alice")
    await chat.tick(datetime(2026, 12, 7, 16, 0, tzinfo=UTC))  # the digest goes out three days before
    chat.expect_dm("carol", "Alice")
    trail = await _trail(app, org)
    assert trail[:4] == [
        ("Carol Jones", "view_digest", "Alice Smith"),
        ("Carol Jones", "view_history", "Alice Smith"),
        ("Dan Lee", "view_history", "Alice Smith"),
        ("Carol Jones", "view_digest", "Alice Smith"),
    ]
    assert all(actor != "Alice Smith" for actor, _, _ in trail)
