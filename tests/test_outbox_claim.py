"""A delivery worker claims the oldest due messages of its platform, and only those, without reading the
rest of a long outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event, insert, select

from store import outbox, outbox_marks
from store.db import Database
from store.migrate import upgrade
from store.models import Organisation, OutboxMessage

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)


async def _outbox(db) -> dict[str, list[int]]:
    """1,200 messages: due Slack DMs, Teams DMs, sent ones, ones waiting for a retry, failed ones."""
    async with db.transaction() as session:
        org_id = await session.scalar(
            insert(Organisation)
            .values(slug="big", name="Big", default_locale="en", company_values=[], created_at=NOW)
            .returning(Organisation.id)
        )
        kinds = ["slack", "teams", "sent", "later", "failed", "leased"]
        rows = []
        for i in range(1200):
            kind = kinds[i % len(kinds)]
            status = {"sent": "sent", "failed": "failed", "leased": "sending"}.get(kind, "pending")
            when = NOW + timedelta(minutes=5) if kind == "later" else NOW - timedelta(minutes=1)
            rows.append(
                {
                    "org_id": org_id,
                    "kind": "dm",
                    "platform": "teams" if kind == "teams" else "slack",
                    "payload": {"summary": f"m{i}", "parts": []},
                    "status": status,
                    "attempts": 1 if kind == "leased" else 0,
                    "next_attempt_at": when,
                    "created_at": NOW - timedelta(minutes=10),
                    "expires_at": NOW + timedelta(hours=1),
                }
            )
        await session.execute(insert(OutboxMessage.__table__), rows)
    async with db.read() as session:
        found = (await session.execute(select(OutboxMessage.id, OutboxMessage.payload))).all()
    by_kind: dict[str, list[int]] = {kind: [] for kind in kinds}
    for message_id, payload in found:
        by_kind[kinds[int(payload["summary"][1:]) % len(kinds)]].append(message_id)
    return by_kind


async def test_the_oldest_due_messages_of_the_platform_are_claimed_and_counted(db):
    by_kind = await _outbox(db)
    due_for_slack = sorted(by_kind["slack"] + by_kind["leased"])  # a lease that ran out comes back

    async with db.transaction() as session:
        first = await outbox.claim_due(session, platform="slack", now=NOW, limit=150)
    assert [row.id for row in first] == due_for_slack[:150]
    async with db.read() as session:
        statuses = await session.scalars(
            select(OutboxMessage.status).where(OutboxMessage.id.in_([row.id for row in first]))
        )
        assert set(statuses) == {"sending"}
    assert {row.id: row.attempts for row in first} == {
        i: 2 if i in by_kind["leased"] else 1 for i in due_for_slack[:150]
    }

    async with db.transaction() as session:
        rest = await outbox.claim_due(session, platform="slack", now=NOW, limit=1000)
    assert [row.id for row in rest] == due_for_slack[150:]  # never what is claimed, sent or not yet due


async def test_the_claim_walks_the_claimable_index_instead_of_sorting_every_pending_row(tmp_path):
    db = Database(url=f"sqlite+aiosqlite:///{tmp_path / 'outbox.db'}")
    await upgrade(db)
    await _outbox(db)
    statements: list[tuple[str, tuple]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append((statement, parameters))

    event.listen(db.writer.sync_engine, "before_cursor_execute", capture)
    async with db.transaction() as session:
        await outbox.claim_due(session, platform="slack", now=NOW, limit=10)
        (statement, parameters) = next((s, p) for s, p in statements if "RETURNING" in s)
        connection = await session.connection()
        found = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", tuple(parameters))
        plan = " | ".join(row[-1] for row in found.all())
    await db.dispose()
    assert "ix_outbox_message_claimable" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


async def test_a_worker_renews_marks_and_hands_back_only_the_rows_it_still_holds(db):
    by_kind = await _outbox(db)
    async with db.transaction() as session:
        mine = await outbox.claim_due(session, platform="slack", now=NOW, limit=4, worker="a")
    ids = [row.id for row in mine]
    later = NOW + timedelta(seconds=30)  # a's leases ran out, and b claimed two of its rows
    async with db.transaction() as session:
        taken = await outbox.claim_due(session, platform="slack", now=later, limit=2, worker="b")
    assert [row.id for row in taken] == ids[:2]

    async with db.transaction() as session:
        kept = await outbox_marks.renew(
            session, worker="a", message_ids=ids, until=later + timedelta(seconds=20)
        )
        await outbox_marks.mark_retry(session, message_id=ids[0], at=later, error="HTTP 503", worker="a")
        await outbox_marks.release(
            session, worker="a", untried=[ids[2]], interrupted=[*ids[:2], ids[3]], now=later
        )
    assert kept == set(ids[2:])
    async with db.read() as session:
        found = await session.execute(
            select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.attempts, OutboxMessage.leased_by)
            .where(OutboxMessage.id.in_(ids))
            .order_by(OutboxMessage.id)
        )
        rows = [tuple(row) for row in found]
    leased = by_kind["leased"]
    assert rows == [
        (ids[0], "sending", 3 if ids[0] in leased else 2, "b"),  # b's now: left alone
        (ids[1], "sending", 3 if ids[1] in leased else 2, "b"),
        (ids[2], "pending", 1 if ids[2] in leased else 0, None),  # never tried: its attempt not counted
        (ids[3], "pending", 2 if ids[3] in leased else 1, None),  # cut off mid-send: counted
    ]
