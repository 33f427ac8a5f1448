"""De-duplication of platform events (a platform's retries and redeliveries, double clicks, replays)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Organisation, ProcessedEvent


async def claim(session: AsyncSession, *, org_id: int, platform: str, event_id: str, now: datetime) -> bool:
    """Record the event as processed; False when it already was.

    Runs in the transaction of the event's effect, so the record and the effect land together. On
    PostgreSQL a concurrent duplicate waits on the first one's row lock and then finds the conflict.
    """
    result = await session.execute(
        _CLAIM[session.bind.dialect.name],
        {"org_id": org_id, "platform": platform, "event_id": event_id, "created_at": now},
    )
    return result.rowcount == 1


async def claim_many(
    session: AsyncSession, *, org_id: int, platform: str, event_ids: Sequence[str], now: datetime
) -> set[str]:
    """`claim` for a batch's events, in one statement: the ids recorded now (not those already seen).
    An id given twice is recorded once."""
    if not event_ids:
        return set()
    rows = [
        {"org_id": org_id, "platform": platform, "event_id": event_id, "created_at": now}
        for event_id in dict.fromkeys(event_ids)
    ]
    return set((await session.execute(_CLAIM_MANY[session.bind.dialect.name], rows)).scalars())


async def forget_range(session: AsyncSession, *, platform: str, low: str, high: str) -> int:
    """Delete `platform`'s processed events whose ids sort from `low` up to (not including) `high`,
    in every organisation: for ids that begin with their own time, those older than a moment.
    One range of the primary key in each organisation, named one by one so that the planner seeks
    each range instead of scanning the table. How many went."""
    org_ids = list(await session.scalars(select(Organisation.id)))
    if not org_ids:
        return 0
    result = await session.execute(
        delete(ProcessedEvent).where(
            ProcessedEvent.org_id.in_(org_ids),
            ProcessedEvent.platform == platform,
            ProcessedEvent.event_id >= low,
            ProcessedEvent.event_id < high,
        ),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount


_DIALECTS = {dialect.dialect.name: dialect for dialect in (postgresql, sqlite)}

# Built once per dialect: every event with an id runs one.
_CLAIM = {
    name: dialect.insert(ProcessedEvent.__table__).on_conflict_do_nothing()
    for name, dialect in _DIALECTS.items()
}
# Sent with a batch's rows as one INSERT ... VALUES (...), (...) RETURNING ("insertmanyvalues").
_CLAIM_MANY = {name: claim.returning(ProcessedEvent.__table__.c.event_id) for name, claim in _CLAIM.items()}
