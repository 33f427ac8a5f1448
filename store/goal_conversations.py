"""Monthly goal conversations (`GoalConversation`): offered once per manager, report and month."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from store.goal_models import GoalConversation, Objective


async def offer(
    session: AsyncSession, *, org_id: int, manager_id: int, report_id: int, month: str, now: datetime
) -> int | None:
    """Record the conversation as offered; its id, or None when this month's was offered already
    (a second run of the job, or one racing it on another server, sends nothing)."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(GoalConversation.__table__)
        .values(org_id=org_id, manager_id=manager_id, report_id=report_id, month=month, sent_at=now)
        .on_conflict_do_nothing(index_elements=["org_id", "manager_id", "report_id", "month"])
        .returning(GoalConversation.__table__.c.id)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def by_id(session: AsyncSession, *, org_id: int, conversation_id: int) -> GoalConversation | None:
    return await session.scalar(
        select(GoalConversation).where(
            GoalConversation.org_id == org_id, GoalConversation.id == conversation_id
        )
    )


async def mark_held(session: AsyncSession, *, org_id: int, conversation_id: int, now: datetime) -> bool:
    """Record the conversation as held; False when it already was (two presses at once record one)."""
    result = await session.execute(
        update(GoalConversation)
        .where(
            GoalConversation.org_id == org_id,
            GoalConversation.id == conversation_id,
            GoalConversation.held_at.is_(None),
        )
        .values(held_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def with_open_goals(
    session: AsyncSession, *, org_id: int, owner_ids: Sequence[int], today: date, ahead: bool = False
) -> set[int]:
    """Which of these people own an open objective whose cycle holds `today` (`ahead`: or starts later)."""
    if not owner_ids:
        return set()
    started = [] if ahead else [Objective.cycle_start <= today]
    rows = await session.scalars(
        select(Objective.owner_id)
        .where(
            Objective.org_id == org_id,
            Objective.owner_id.in_(owner_ids),
            Objective.status == "open",
            *started,
            Objective.cycle_end >= today,
        )
        .distinct()
    )
    return set(rows)


async def of_person(session: AsyncSession, *, org_id: int, person_id: int) -> list[GoalConversation]:
    """The conversations a person was offered as a manager or offered about as a report, oldest first."""
    return list(
        await session.scalars(
            select(GoalConversation)
            .where(
                GoalConversation.org_id == org_id,
                or_(GoalConversation.manager_id == person_id, GoalConversation.report_id == person_id),
            )
            .order_by(GoalConversation.month, GoalConversation.id)
        )
    )
