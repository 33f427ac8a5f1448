"""Goal figures for HR (issue 18): counts only, never a goal's words.

Two readings are of the cycle under way, as of today (who has goals, which key results were updated
lately, and their values for the pace to judge); the monthly goal conversations are counted by the
month they were offered in, like the other tables of `store.insights`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Integer, Row, cast, exists, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from store.goal_models import GoalConversation, GoalUpdate, KeyResult, Objective
from store.insights import Facts
from store.models import Person

COUNTED = ("open", "done")  # objectives that count as someone's goals: not drafts, not dropped


def _this_cycle(org_id: int, today: date) -> list:
    return [
        Objective.org_id == org_id,
        Objective.status.in_(COUNTED),
        Objective.cycle_start <= today,
        Objective.cycle_end >= today,
    ]


async def people_with_goals(session: AsyncSession, *, org_id: int, today: date) -> list[Row]:
    """Everyone not erased: (department, manager_id, person_id, has_goals) with goals of the cycle
    under way today."""
    has_goals = exists(
        select(Objective.id).where(*_this_cycle(org_id, today), Objective.owner_id == Person.id)
    )
    rows = await session.execute(
        select(Person.department, Person.manager_id, Person.id, has_goals).where(
            Person.org_id == org_id, Person.erased_at.is_(None)
        )
    )
    return list(rows)


async def key_results(session: AsyncSession, *, org_id: int, today: date, since: datetime) -> list[Row]:
    """The key results (not dropped) of the objectives of the cycle under way, by their owner: the part
    they are in, what the pace needs (`bot.goal_pace.kr_status` reads the row as both objective and key
    result), and whether it was updated since `since`. No titles."""
    updated = exists(
        select(GoalUpdate.id).where(
            GoalUpdate.org_id == org_id,
            GoalUpdate.key_result_id == KeyResult.id,
            GoalUpdate.created_at >= since,
        )
    )
    rows = await session.execute(
        select(
            Person.department,
            Person.manager_id,
            Person.id.label("person_id"),
            Objective.cycle_start,
            Objective.cycle_end,
            Objective.due_on,
            Objective.created_at,
            KeyResult.kind,
            KeyResult.status,
            KeyResult.start_value,
            KeyResult.target_value,
            KeyResult.current_value,
            updated.label("updated"),
        )
        .select_from(KeyResult)
        .join(Objective, Objective.id == KeyResult.objective_id)
        .join(Person, Person.id == Objective.owner_id)
        .where(
            *_this_cycle(org_id, today),
            KeyResult.org_id == org_id,
            KeyResult.status != "dropped",
            Person.org_id == org_id,
            Person.erased_at.is_(None),
        )
    )
    return list(rows)


def talks(session: AsyncSession, *, org_id: int, year: int) -> Facts:
    """Monthly goal conversations offered in the year, by the report they were about: offered, held."""
    rows = (
        select(GoalConversation.id)
        .join(Person, Person.id == GoalConversation.report_id)
        .where(
            Person.org_id == org_id,
            GoalConversation.org_id == org_id,
            GoalConversation.month.like(f"{year:04d}-%"),
        )
    )
    return Facts(
        rows=rows,
        person=GoalConversation.report_id,
        month=cast(func.substr(GoalConversation.month, 6, 2), Integer),
        measures={"talks_offered": true(), "talks_held": GoalConversation.held_at.is_not(None)},
    )
