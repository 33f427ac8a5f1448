"""De-duplication of platform events (Slack retries, Teams redeliveries, double clicks)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import ProcessedEvent


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


# Built once per dialect: every event with an id runs one.
_CLAIM = {
    dialect.dialect.name: dialect.insert(ProcessedEvent.__table__).on_conflict_do_nothing()
    for dialect in (postgresql, sqlite)
}
