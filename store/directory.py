"""The organisation's directory in bulk, for the org import: every person as plain rows, one platform's
identities, and the batched inserts and updates of people and identities. Every query names the
organisation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Identity, Person


async def identities(session: AsyncSession, *, org_id: int, platform: str) -> dict[str, int]:
    """platform user id → person id, for one platform."""
    rows = await session.execute(
        select(Identity.platform_user_id, Identity.person_id).where(
            Identity.org_id == org_id, Identity.platform == platform
        )
    )
    return dict(rows.all())


async def directory(session: AsyncSession, *, org_id: int) -> list[Row]:
    """Every person in the organisation as plain rows (not tracked objects), in one query.

    What an org import compares a file against; plain rows keep the bulk writes that follow free of
    stale objects in the session.
    """
    rows = await session.execute(
        select(
            Person.id,
            Person.email,
            Person.handle,
            Person.display_name,
            Person.manager_id,
            Person.department,
            Person.timezone,
            Person.locale,
        )
        .where(Person.org_id == org_id)
        .order_by(Person.id)
    )
    return list(rows.all())


async def insert_many(
    session: AsyncSession, *, org_id: int, people: list[dict], now: datetime
) -> dict[str, int]:
    """Insert people (dicts of Person columns, each with an email) in one batched statement.

    Returns:
        The new ids keyed by lower-cased email.
    """
    if not people:
        return {}
    values = [{**p, "org_id": org_id, "created_at": now, "updated_at": now} for p in people]
    rows = await session.execute(insert(Person).returning(Person.id, Person.email), values)
    return {email.lower(): person_id for person_id, email in rows}


async def update_many(session: AsyncSession, *, org_id: int, changes: list[dict], now: datetime) -> None:
    """Update people by id in batches; each dict holds `id` and the columns that change."""
    if changes:
        await session.execute(
            update(Person).where(Person.org_id == org_id),
            [{**change, "updated_at": now} for change in changes],
            # The import works on plain rows, so there are no loaded objects to bring up to date.
            execution_options={"synchronize_session": None},
        )


async def add_identities(session: AsyncSession, *, org_id: int, identities: list[dict]) -> None:
    """Insert identities (dicts of person_id, platform, platform_user_id) in one batched statement."""
    if identities:
        await session.execute(insert(Identity), [{**i, "org_id": org_id} for i in identities])
