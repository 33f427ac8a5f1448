"""Reading a few hundred people of a large organisation by id (a delivery batch's recipients, the
schedules of everyone due) looks each up by primary key, and never returns another organisation's."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event, insert

from store import directory, people, reach, schedules
from store.db import Database
from store.migrate import upgrade
from store.models import Identity, Organisation, Person

NOW = datetime(2026, 11, 24, tzinfo=UTC)
PEOPLE = 3000


async def _org(session, slug: str) -> int:
    return await session.scalar(
        insert(Organisation)
        .values(slug=slug, name=slug.title(), default_locale="en", company_values=[], created_at=NOW)
        .returning(Organisation.id)
    )


async def _large_org(db) -> tuple[int, int, list[int]]:
    """A large organisation (its people with Slack identities) and a small one of one person."""
    async with db.transaction() as session:
        big, other = await _org(session, "big"), await _org(session, "other")
        ids = await directory.insert_many(
            session,
            org_id=big,
            people=[
                {"email": f"p{i}@big.example", "display_name": f"P {i}", "timezone": "UTC", "locale": "en"}
                for i in range(PEOPLE)
            ],
            now=NOW,
        )
        await session.execute(
            insert(Identity.__table__),
            [
                {"org_id": big, "person_id": pid, "platform": "slack", "platform_user_id": f"U{pid}"}
                for pid in ids.values()
            ],
        )
        outsider = await session.scalar(
            insert(Person)
            .values(
                org_id=other, display_name="Outsider", email="o@other.example", created_at=NOW, updated_at=NOW
            )
            .returning(Person.id)
        )
    return big, outsider, sorted(ids.values())


async def test_people_of_another_organisation_are_never_read_by_id(db):
    big, outsider, ids = await _large_org(db)
    wanted = ids[:3]
    async with db.read() as session:
        targets = await reach.delivery_targets(
            session, org_id=big, person_ids={*wanted, outsider}, platform="slack"
        )
        names = await people.names(session, org_id=big, person_ids=[*wanted, outsider])
    assert set(targets) == {None, *wanted}
    assert [targets[pid].user_id for pid in wanted] == [f"U{pid}" for pid in wanted]
    assert names == {pid: f"P {i}" for i, pid in enumerate(wanted)}


async def test_a_batch_of_people_is_read_by_primary_key_not_by_walking_the_organisation(tmp_path):
    db = Database(url=f"sqlite+aiosqlite:///{tmp_path / 'large.db'}")
    await upgrade(db)
    big, _, ids = await _large_org(db)
    await db.optimize()  # with SQLite's statistics too: they did not change its choice
    statements: list[tuple[str, tuple]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        if "FROM person" in statement:
            statements.append((statement, parameters))

    event.listen(db.reader.sync_engine, "before_cursor_execute", capture)
    event.listen(db.writer.sync_engine, "before_cursor_execute", capture)
    async with db.read() as session:
        await reach.delivery_targets(session, org_id=big, person_ids=set(ids[:500]), platform="slack")
        await people.names(session, org_id=big, person_ids=ids[:500])
        await schedules.with_people(session, org_id=big, person_ids=ids[:500])
    for engine in (db.reader, db.writer):
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
    async with db.transaction() as session:
        connection = await session.connection()
        plans = []
        for statement, parameters in statements:
            found = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", tuple(parameters))
            plans.append(" | ".join(row[-1] for row in found.all()))
    await db.dispose()
    assert len(plans) == 3, statements
    for plan in plans:
        assert "SEARCH person USING INTEGER PRIMARY KEY" in plan, plan
