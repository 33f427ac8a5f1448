"""Finding the people a message names stays an index lookup in a large organisation."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, text

from store import people
from store.db import Database
from store.migrate import upgrade
from store.models import Identity, Organisation, Person

NOW = datetime(2026, 11, 24, tzinfo=UTC)


async def test_names_are_found_through_indexes_once_sqlite_has_its_statistics(tmp_path):
    db = Database(url=f"sqlite+aiosqlite:///{tmp_path / 'large.db'}")
    await upgrade(db)
    async with db.transaction() as session:
        org_id = await session.scalar(
            insert(Organisation)
            .values(slug="big", name="Big", default_locale="en", company_values=[], created_at=NOW)
            .returning(Organisation.id)
        )
        await session.execute(
            insert(Person.__table__),
            [
                {"org_id": org_id, "display_name": f"P {i}", "handle": f"p{i}", "email": f"p{i}@big.example"}
                | {"created_at": NOW, "updated_at": NOW}
                for i in range(3000)
            ],
        )
        await session.execute(
            insert(Identity.__table__),
            [
                {"org_id": org_id, "person_id": i + 1, "platform": "slack", "platform_user_id": f"U{i}"}
                for i in range(3000)
            ],
        )
    async with db.transaction() as session:  # what a server does before its statistics exist
        await people.matching_with_platforms(
            session, org_id=org_id, handles=["P7"], emails=["P8@BIG.example"]
        )
    await db.optimize()

    async with db.transaction() as session:
        by_handle, by_email, by_user, _ = await people.matching_with_platforms(
            session,
            org_id=org_id,
            handles=["P7"],
            emails=["P8@BIG.example"],
            platform="slack",
            user_ids=["U9"],
        )
        assert (by_handle["p7"].handle, by_email["p8@big.example"].handle, by_user["U9"].handle) == (
            "p7",
            "p8",
            "p9",
        )
        for column in ("handle", "email"):
            plan = " ".join(
                row[-1]
                for row in await session.execute(
                    text(
                        f"EXPLAIN QUERY PLAN SELECT id FROM person WHERE org_id = 1 AND lower({column}) IN ('x')"
                    )
                )
            )
            assert f"ix_person_org_lower_{column}" in plan, plan
    await db.dispose()
