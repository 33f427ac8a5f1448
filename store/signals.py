"""Signals for the next review: blockers raised, runs of low mood."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.checkin_models import Signal


async def record(
    session: AsyncSession,
    *,
    org_id: int,
    person_id: int,
    kind: str,
    subject: str,
    detail: dict[str, Any],
    now: datetime,
) -> Signal:
    row = Signal(
        org_id=org_id, person_id=person_id, kind=kind, subject=subject, detail=detail, created_at=now
    )
    session.add(row)
    await session.flush()
    return row


async def for_person(
    session: AsyncSession, *, org_id: int, person_id: int, kind: str | None = None
) -> list[Signal]:
    query = select(Signal).where(Signal.org_id == org_id, Signal.person_id == person_id)
    if kind:
        query = query.where(Signal.kind == kind)
    return list(await session.scalars(query.order_by(Signal.created_at, Signal.id)))
