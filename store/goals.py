"""Goals: objectives, key results, updates, development goals. Every query names the organisation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.goal_models import DevelopmentGoal, GoalUpdate, KeyResult, Objective
from store.models import Organisation, Person

OPEN_STATUSES = ("draft", "open")
MAX_CHAIN = 50  # a manager chain longer than this is a loop in the org chart, not a hierarchy


async def settings(session: AsyncSession, *, org_id: int) -> tuple[bool, str]:
    """The organisation's goal settings: whether goals are private, and the cycle (quarter, half, year).
    Read by a query, as they have database defaults only (`Organisation.goal_visibility`)."""
    row = (
        await session.execute(
            select(Organisation.goal_visibility, Organisation.goal_cycle).where(Organisation.id == org_id)
        )
    ).one()
    return row.goal_visibility == "private", row.goal_cycle


async def create_objective(
    session: AsyncSession, *, org_id: int, now: datetime, **fields: object
) -> Objective:
    """A new objective (`fields`: owner_id, creator_id, level, title, parent_id, cycle_start, cycle_end,
    due_on, status, source, source_ref)."""
    objective = Objective(org_id=org_id, created_at=now, updated_at=now, **fields)
    session.add(objective)
    await session.flush()
    return objective


async def add_key_result(
    session: AsyncSession, *, org_id: int, objective: Objective, now: datetime, **fields: object
) -> KeyResult:
    """The objective's next key result (`fields`: title, kind, start_value, target_value, unit)."""
    position = await session.scalar(
        select(func.coalesce(func.max(KeyResult.position), 0)).where(
            KeyResult.org_id == org_id, KeyResult.objective_id == objective.id
        )
    )
    start = fields.get("start_value", 0.0)
    result = KeyResult(
        org_id=org_id,
        objective_id=objective.id,
        position=position + 1,
        current_value=start,
        status="open",
        created_at=now,
        updated_at=now,
        **fields,
    )
    session.add(result)
    objective.updated_at = now
    await session.flush()
    return result


async def record_update(
    session: AsyncSession,
    *,
    org_id: int,
    result: KeyResult,
    actor_id: int | None,
    now: datetime,
    value: float,
    confidence: int | None = None,
    note: str | None = None,
    done: bool = False,
) -> GoalUpdate:
    """Set the key result's value (and confidence) and keep the update in its history."""
    result.current_value, result.updated_at = value, now
    if confidence is not None:
        result.confidence = confidence
    if done:
        result.status = "done"
    update = GoalUpdate(
        org_id=org_id,
        key_result_id=result.id,
        actor_id=actor_id,
        value=value,
        confidence=confidence,
        note=note,
        done=done,
        created_at=now,
    )
    session.add(update)
    return update


async def objective_by_id(session: AsyncSession, *, org_id: int, objective_id: int) -> Objective | None:
    return await session.scalar(
        select(Objective).where(Objective.org_id == org_id, Objective.id == objective_id)
    )


async def key_result_by_id(session: AsyncSession, *, org_id: int, key_result_id: int) -> KeyResult | None:
    return await session.scalar(
        select(KeyResult).where(KeyResult.org_id == org_id, KeyResult.id == key_result_id)
    )


async def objectives(
    session: AsyncSession,
    *,
    org_id: int,
    owner_ids: Sequence[int] | None = None,
    levels: Sequence[str] | None = None,
    statuses: Sequence[str] = OPEN_STATUSES,
    ids: Sequence[int] | None = None,
) -> list[Objective]:
    """Objectives by owner, level, status or id, oldest first."""
    query = select(Objective).where(Objective.org_id == org_id, Objective.status.in_(statuses))
    if owner_ids is not None:
        query = query.where(Objective.owner_id.in_(owner_ids))
    if levels is not None:
        query = query.where(Objective.level.in_(levels))
    if ids is not None:
        query = query.where(Objective.id.in_(ids))
    return list(await session.scalars(query.order_by(Objective.id)))


async def key_results(session: AsyncSession, *, org_id: int, objective_ids: Sequence[int]) -> list[KeyResult]:
    """The key results of these objectives, in objective and position order (dropped ones too)."""
    if not objective_ids:
        return []
    return list(
        await session.scalars(
            select(KeyResult)
            .where(KeyResult.org_id == org_id, KeyResult.objective_id.in_(objective_ids))
            .order_by(KeyResult.objective_id, KeyResult.position)
        )
    )


async def updates(session: AsyncSession, *, org_id: int, key_result_ids: Sequence[int]) -> list[GoalUpdate]:
    """The updates of these key results, oldest first."""
    if not key_result_ids:
        return []
    return list(
        await session.scalars(
            select(GoalUpdate)
            .where(GoalUpdate.org_id == org_id, GoalUpdate.key_result_id.in_(key_result_ids))
            .order_by(GoalUpdate.id)
        )
    )


async def updates_between(
    session: AsyncSession,
    *,
    org_id: int,
    key_result_ids: Sequence[int],
    since: datetime,
    until: datetime,
    latest: int,
) -> list[Row]:
    """The latest `latest` updates of each of these key results made between two moments, oldest first,
    as plain rows (key_result_id, value, confidence, note, done, created_at): a digest shows a few of
    each, and reading the hundreds before them only to drop them cost most of its time."""
    if not key_result_ids:
        return []
    rank = (
        func.row_number()
        .over(partition_by=GoalUpdate.key_result_id, order_by=GoalUpdate.id.desc())
        .label("rank")
    )
    ranked = (
        select(
            GoalUpdate.id,
            GoalUpdate.key_result_id,
            GoalUpdate.value,
            GoalUpdate.confidence,
            GoalUpdate.note,
            GoalUpdate.done,
            GoalUpdate.created_at,
            rank,
        )
        .where(
            GoalUpdate.org_id == org_id,
            GoalUpdate.key_result_id.in_(key_result_ids),
            GoalUpdate.created_at >= since,
            GoalUpdate.created_at <= until,
        )
        .subquery()
    )
    columns = [
        ranked.c[name] for name in ("key_result_id", "value", "confidence", "note", "done", "created_at")
    ]
    rows = await session.execute(select(*columns).where(ranked.c.rank <= latest).order_by(ranked.c.id))
    return list(rows)


async def manager_chain(session: AsyncSession, *, org_id: int, person: Person) -> list[int]:
    """The ids of the person's manager, their manager, and so on up (a loop stops the walk)."""
    chain: list[int] = []
    manager_id = person.manager_id
    while manager_id is not None and manager_id not in chain and manager_id != person.id:
        chain.append(manager_id)
        if len(chain) >= MAX_CHAIN:
            break
        manager_id = await session.scalar(
            select(Person.manager_id).where(Person.org_id == org_id, Person.id == manager_id)
        )
    return chain


async def create_development_goal(
    session: AsyncSession, *, org_id: int, now: datetime, **fields: object
) -> DevelopmentGoal:
    """A new development goal (`fields`: person_id, creator_id, skill, activity, support, due_on,
    status, source, source_ref)."""
    goal = DevelopmentGoal(org_id=org_id, created_at=now, updated_at=now, **fields)
    session.add(goal)
    await session.flush()
    return goal


async def development_goal_by_id(
    session: AsyncSession, *, org_id: int, goal_id: int
) -> DevelopmentGoal | None:
    return await session.scalar(
        select(DevelopmentGoal).where(DevelopmentGoal.org_id == org_id, DevelopmentGoal.id == goal_id)
    )


async def development_goals(
    session: AsyncSession, *, org_id: int, person_ids: Sequence[int], statuses: Sequence[str] = ("open",)
) -> list[DevelopmentGoal]:
    """Development goals of these people, soonest due first (undated last)."""
    return list(
        await session.scalars(
            select(DevelopmentGoal)
            .where(
                DevelopmentGoal.org_id == org_id,
                DevelopmentGoal.person_id.in_(person_ids),
                DevelopmentGoal.status.in_(statuses),
            )
            .order_by(DevelopmentGoal.due_on.is_(None), DevelopmentGoal.due_on, DevelopmentGoal.id)
        )
    )


async def objectives_from(
    session: AsyncSession, *, org_id: int, owner_id: int, source: str, source_ref: str
) -> list[Objective]:
    """A person's objectives that came from one source (a review: its meeting's id), in any status."""
    return list(
        await session.scalars(
            select(Objective)
            .where(
                Objective.org_id == org_id,
                Objective.owner_id == owner_id,
                Objective.source == source,
                Objective.source_ref == source_ref,
            )
            .order_by(Objective.id)
        )
    )


async def development_goals_from(
    session: AsyncSession, *, org_id: int, person_id: int, source: str, source_ref: str
) -> list[DevelopmentGoal]:
    """A person's development goals that came from one source (a review: its meeting's id)."""
    return list(
        await session.scalars(
            select(DevelopmentGoal)
            .where(
                DevelopmentGoal.org_id == org_id,
                DevelopmentGoal.person_id == person_id,
                DevelopmentGoal.source == source,
                DevelopmentGoal.source_ref == source_ref,
            )
            .order_by(DevelopmentGoal.id)
        )
    )
