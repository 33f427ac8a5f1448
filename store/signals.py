"""Signals for the next review: blockers raised, runs of low mood."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
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


async def remove(session: AsyncSession, *, org_id: int, signal_ids: list[int]) -> None:
    """Withdraw signals (a blocker the person took back)."""
    await session.execute(
        delete(Signal).where(Signal.org_id == org_id, Signal.id.in_(signal_ids)),
        execution_options={"synchronize_session": False},
    )
