"""Review preparation, meeting records and the pulse. Every query names the organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.action_models import ActionItem
from store.review_models import ReviewMeeting
from store.review_record_models import ReviewPrep, ReviewPulse, ReviewRecord


async def meeting(session: AsyncSession, *, org_id: int, meeting_id: int) -> ReviewMeeting | None:
    return await session.scalar(
        select(ReviewMeeting).where(ReviewMeeting.org_id == org_id, ReviewMeeting.id == meeting_id)
    )


async def previous_held(
    session: AsyncSession, *, org_id: int, employee_id: int, before: datetime
) -> ReviewMeeting | None:
    """The employee's last held review before `before`: where this period starts, and its actions."""
    return await session.scalar(
        select(ReviewMeeting)
        .where(
            ReviewMeeting.org_id == org_id,
            ReviewMeeting.employee_id == employee_id,
            ReviewMeeting.status == "held",
            ReviewMeeting.starts_at < before,
        )
        .order_by(ReviewMeeting.starts_at.desc())
        .limit(1)
    )


async def past_meetings(
    session: AsyncSession, *, org_id: int, employee_id: int, limit: int = 20
) -> list[tuple[ReviewMeeting, ReviewRecord | None]]:
    """The employee's reviews, newest first, each with its record when there is one."""
    rows = await session.execute(
        select(ReviewMeeting, ReviewRecord)
        .outerjoin(
            ReviewRecord,
            (ReviewRecord.meeting_id == ReviewMeeting.id) & (ReviewRecord.org_id == ReviewMeeting.org_id),
        )
        .where(ReviewMeeting.org_id == org_id, ReviewMeeting.employee_id == employee_id)
        .order_by(ReviewMeeting.starts_at.desc())
        .limit(limit)
    )
    return [(m, r) for m, r in rows]


async def prep(session: AsyncSession, *, org_id: int, meeting_id: int) -> ReviewPrep | None:
    return await session.scalar(
        select(ReviewPrep).where(ReviewPrep.org_id == org_id, ReviewPrep.meeting_id == meeting_id)
    )


async def prep_for_update(
    session: AsyncSession, *, org_id: int, meeting_id: int, now: datetime
) -> ReviewPrep:
    """The meeting's preparation row, created empty the first time the manager prepares."""
    row = await prep(session, org_id=org_id, meeting_id=meeting_id)
    if row is None:
        row = ReviewPrep(org_id=org_id, meeting_id=meeting_id, examples=[], questions=[], updated_at=now)
        session.add(row)
        await session.flush()
    row.updated_at = now
    return row


async def record(session: AsyncSession, *, org_id: int, meeting_id: int) -> ReviewRecord | None:
    return await session.scalar(
        select(ReviewRecord).where(ReviewRecord.org_id == org_id, ReviewRecord.meeting_id == meeting_id)
    )


async def add_record(
    session: AsyncSession,
    *,
    org_id: int,
    meeting_id: int,
    author_id: int,
    parts: dict[str, Any],
    support: str | None,
    now: datetime,
    actions_reason: str | None = None,
) -> ReviewRecord:
    row = ReviewRecord(
        org_id=org_id,
        meeting_id=meeting_id,
        author_id=author_id,
        parts=parts,
        support=support,
        actions_reason=actions_reason,
        response="pending",
        history=[],
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def agreed_actions(session: AsyncSession, *, org_id: int, meeting_id: int) -> list[ActionItem]:
    """The actions agreed at a review, in the order they were agreed (whatever became of them)."""
    return list(
        await session.scalars(
            select(ActionItem)
            .where(
                ActionItem.org_id == org_id,
                ActionItem.source == "review",
                ActionItem.source_ref == str(meeting_id),
            )
            .order_by(ActionItem.id)
        )
    )


async def add_pulse(
    session: AsyncSession,
    *,
    org_id: int,
    manager_id: int,
    room_to_speak: bool,
    next_steps: bool,
    useful: int,
    week: str,
) -> None:
    session.add(
        ReviewPulse(
            org_id=org_id,
            manager_id=manager_id,
            room_to_speak=int(room_to_speak),
            next_steps=int(next_steps),
            useful=useful,
            week=week,
        )
    )
    await session.flush()


async def held_pulse(session: AsyncSession, *, org_id: int, manager_id: int) -> list[int]:
    """The ids of a manager's pulse answers not released yet."""
    return list(
        await session.scalars(
            select(ReviewPulse.id).where(
                ReviewPulse.org_id == org_id,
                ReviewPulse.manager_id == manager_id,
                ReviewPulse.batch.is_(None),
            )
        )
    )


async def release_pulse(
    session: AsyncSession, *, org_id: int, manager_id: int, ids: list[int], week: str
) -> int:
    """Release these held answers as the manager's next batch, in ISO week `week`; its number."""
    last = await session.scalar(
        select(func.max(ReviewPulse.batch)).where(
            ReviewPulse.org_id == org_id, ReviewPulse.manager_id == manager_id
        )
    )
    batch = (last or 0) + 1
    await session.execute(
        update(ReviewPulse)
        .where(ReviewPulse.org_id == org_id, ReviewPulse.id.in_(ids), ReviewPulse.batch.is_(None))
        .values(batch=batch, released_week=week),
        execution_options={"synchronize_session": False},
    )
    return batch


@dataclass(frozen=True, kw_only=True)
class PulseSummary:
    """A manager's released pulse answers, aggregated: how many, in how many batches, and the share
    of yes / the mean score."""

    answers: int
    batches: int
    room_to_speak: float
    next_steps: float
    useful: float


async def pulse_summary(session: AsyncSession, *, org_id: int, manager_id: int) -> PulseSummary | None:
    """The aggregate of a manager's released pulse answers (held ones never count); None before the
    first batch."""
    count, batches, room, steps, useful = (
        await session.execute(
            select(
                func.count(),
                func.count(func.distinct(ReviewPulse.batch)),
                func.avg(ReviewPulse.room_to_speak * 1.0),
                func.avg(ReviewPulse.next_steps * 1.0),
                func.avg(ReviewPulse.useful * 1.0),
            ).where(
                ReviewPulse.org_id == org_id,
                ReviewPulse.manager_id == manager_id,
                ReviewPulse.batch.is_not(None),
            )
        )
    ).one()
    if not count:
        return None
    return PulseSummary(
        answers=count,
        batches=batches,
        room_to_speak=float(room),
        next_steps=float(steps),
        useful=float(useful),
    )


async def drop_prep(session: AsyncSession, *, org_id: int, meeting_id: int) -> None:
    """Forget the manager's preparation for a meeting (handed to another manager: the notes were hers)."""
    row = await prep(session, org_id=org_id, meeting_id=meeting_id)
    if row is not None:
        await session.delete(row)
