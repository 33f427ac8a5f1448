"""Review meetings. Every query names the organisation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.review_models import ReviewMeeting


async def create(
    session: AsyncSession,
    *,
    org_id: int,
    employee_id: int,
    manager_id: int,
    scheduled_by_id: int,
    starts_at: datetime,
    minutes: int,
    now: datetime,
) -> ReviewMeeting:
    meeting = ReviewMeeting(
        org_id=org_id,
        employee_id=employee_id,
        manager_id=manager_id,
        scheduled_by_id=scheduled_by_id,
        starts_at=starts_at,
        minutes=minutes,
        status="scheduled",
        scheduled_at=now,
    )
    session.add(meeting)
    await session.flush()
    return meeting


async def next_scheduled(session: AsyncSession, *, org_id: int, employee_id: int) -> ReviewMeeting | None:
    """The employee's scheduled (not yet held or cancelled) review, if any."""
    return await session.scalar(
        select(ReviewMeeting)
        .where(
            ReviewMeeting.org_id == org_id,
            ReviewMeeting.employee_id == employee_id,
            ReviewMeeting.status == "scheduled",
        )
        .order_by(ReviewMeeting.starts_at)
        .limit(1)
    )


async def upcoming(
    session: AsyncSession, *, org_id: int, since: datetime, people: Sequence[int] | None
) -> list[ReviewMeeting]:
    """Scheduled reviews from `since` on where one of `people` is employee or manager (None: everyone's)."""
    query = select(ReviewMeeting).where(
        ReviewMeeting.org_id == org_id, ReviewMeeting.status == "scheduled", ReviewMeeting.starts_at >= since
    )
    if people is not None:
        query = query.where(or_(ReviewMeeting.employee_id.in_(people), ReviewMeeting.manager_id.in_(people)))
    return list(await session.scalars(query.order_by(ReviewMeeting.starts_at, ReviewMeeting.id)))


async def open_of(session: AsyncSession, *, org_id: int, employee_ids: Sequence[int]) -> list[ReviewMeeting]:
    """The scheduled (neither held nor cancelled) reviews of these employees, soonest first."""
    if not employee_ids:
        return []
    query = select(ReviewMeeting).where(
        ReviewMeeting.org_id == org_id,
        ReviewMeeting.status == "scheduled",
        ReviewMeeting.employee_id.in_(employee_ids),
    )
    return list(await session.scalars(query.order_by(ReviewMeeting.starts_at, ReviewMeeting.id)))
