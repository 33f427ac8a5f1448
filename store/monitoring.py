"""What an operator watches, read when `/metrics` is scraped: the outbox's backlog per platform and
how late due work runs. Across organisations, like the delivery claim: these describe the server,
and say nothing of any organisation's people or content.

Both walk indexes kept for the claims: the outbox's partial index on undelivered rows (platform,
id) and due work's (status, next_attempt_at). On SQLite the outbox count still reads each row (to
check its status: 10,000 rows with real payloads took 30-80 ms on a loaded 2-core machine), and
SQLite runs on the event loop: so a backlog is counted `CHUNK` rows at a time, letting requests in
between instead of holding them all for one long count.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.checkin_models import DueWork
from store.models import OUTBOX_CLAIMABLE, OutboxMessage

CHUNK = 1000


@dataclass(frozen=True, kw_only=True, slots=True)
class Backlog:
    """One platform's undelivered outbox messages: how many, and since when the oldest waits."""

    platform: str
    count: int
    oldest_created_at: datetime | None


@dataclass(frozen=True, kw_only=True, slots=True)
class DueLag:
    """Pending due work whose time has come: how many, and since when the most overdue waits."""

    count: int
    oldest_due_at: datetime | None


async def outbox_backlog(session: AsyncSession, *, platforms: Iterable[str]) -> list[Backlog]:
    """Undelivered messages (pending, or being sent) on each of `platforms`; the oldest is the
    lowest id, whose row alone is read for its time."""
    table = OutboxMessage.__table__
    backlog = []
    for platform in platforms:
        waiting = select(table.c.id).where(OUTBOX_CLAIMABLE, table.c.platform == platform)
        count, first_id = await _count(session, waiting)
        oldest = None
        if first_id is not None:
            oldest = await session.scalar(select(table.c.created_at).where(table.c.id == first_id))
        backlog.append(Backlog(platform=platform, count=count, oldest_created_at=oldest))
    return backlog


async def _count(session: AsyncSession, waiting: Select) -> tuple[int, int | None]:
    """How many rows `waiting` selects, and the lowest id among them. PostgreSQL counts them in the
    partial index at once (asked for the first by `ORDER BY id LIMIT 1`, it walked the primary key
    past every sent row); SQLite `CHUNK` at a time in the index's order, the event loop free between."""
    if session.bind.dialect.name != "sqlite":
        found = waiting.subquery()
        count, first_id = (await session.execute(select(func.count(), func.min(found.c.id)))).one()
        return count, first_id
    count, first_id, after = 0, None, 0
    while True:
        chunk = waiting.where(OutboxMessage.id > after).order_by(OutboxMessage.id).limit(CHUNK).subquery()
        counted, low, high = (
            await session.execute(select(func.count(), func.min(chunk.c.id), func.max(chunk.c.id)))
        ).one()
        count, first_id = count + counted, first_id or low
        if counted < CHUNK:
            return count, first_id
        after = high
        await asyncio.sleep(0)


async def due_lag(session: AsyncSession, *, now: datetime) -> DueLag:
    """Pending due work that should have run by `now`."""
    count, oldest = (
        await session.execute(
            select(func.count(), func.min(DueWork.next_attempt_at)).where(
                DueWork.status == "pending", DueWork.next_attempt_at <= now
            )
        )
    ).one()
    return DueLag(count=count, oldest_due_at=oldest)
