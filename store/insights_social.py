"""The post-review pulse per manager, for HR figures: released batches only (`bot.anonymity.batches`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from store.models import Person
from store.review_record_models import ReviewPulse


@dataclass(frozen=True, kw_only=True)
class Pulse:
    """One manager's pulse answers of a period, aggregated."""

    manager_id: int
    name: str
    answers: int
    room_to_speak: float
    next_steps: float
    useful: float


async def pulse(
    session: AsyncSession,
    *,
    org_id: int,
    weeks: list[str],
    department: str | None = None,
    manager_id: int | None = None,
) -> list[Pulse]:
    """Per manager (of one department, or one manager), the answers of the batches released in those
    ISO weeks (held answers never count)."""
    manager = aliased(Person)
    where = [manager.org_id == org_id]
    if department is not None:
        where.append(manager.department == department)
    if manager_id is not None:
        where.append(manager.id == manager_id)
    rows = await session.execute(
        select(
            ReviewPulse.manager_id,
            manager.display_name,
            func.count(ReviewPulse.id),
            func.avg(ReviewPulse.room_to_speak * 1.0),
            func.avg(ReviewPulse.next_steps * 1.0),
            func.avg(ReviewPulse.useful * 1.0),
        )
        .join(manager, manager.id == ReviewPulse.manager_id)
        .where(*where, ReviewPulse.org_id == org_id, ReviewPulse.released_week.in_(weeks))
        .group_by(ReviewPulse.manager_id, manager.display_name)
        .order_by(manager.display_name, ReviewPulse.manager_id)
    )
    return [
        Pulse(manager_id=m, name=n, answers=c, room_to_speak=float(r), next_steps=float(s), useful=float(u))
        for m, n, c, r, s, u in rows
    ]
