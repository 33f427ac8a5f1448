"""Goal figures for HR (issue 18): counts only, never a goal's words.

Two readings are of the cycle under way, as of today, counted by part (department, manager) in the
database: who has goals, and the key results, how many were updated lately and how many are on track
by the expected pace. The pace is `bot.goal_pace`'s rule written as SQL (`_on_track`), with its
constants handed in by the caller, so that 200,000 key results are judged where they lie instead of
being read into Python one by one; tests/insights compare it with the rule itself. The monthly goal
conversations are counted by the month they were offered in, like the other tables of
`store.insights`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Date, Float, Integer, case, cast, exists, func, literal, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from store.goal_models import GoalConversation, GoalUpdate, KeyResult, Objective
from store.insights import Facts, Part
from store.models import Person

COUNTED = ("open", "done")  # objectives that count as someone's goals: not drafts, not dropped


@dataclass(frozen=True, kw_only=True)
class Pace:
    """`bot.goal_pace`'s constants: on track from this share of the expected progress, give or take
    epsilon."""

    on_track_share: float
    epsilon: float


def _this_cycle(org_id: int, today: date) -> list:
    return [
        Objective.org_id == org_id,
        Objective.status.in_(COUNTED),
        Objective.cycle_start <= today,
        Objective.cycle_end >= today,
    ]


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def people_with_goals(
    session: AsyncSession, *, org_id: int, today: date
) -> dict[Part, tuple[int, int]]:
    """Per part, everyone not erased and those of them with goals of the cycle under way today."""
    has_goals = exists(
        select(Objective.id).where(*_this_cycle(org_id, today), Objective.owner_id == Person.id)
    )
    rows = await session.execute(
        select(Person.department, Person.manager_id, func.count(Person.id), _count_if(has_goals))
        .where(Person.org_id == org_id, Person.erased_at.is_(None))
        .group_by(Person.department, Person.manager_id)
    )
    return {(department, manager): (int(n), int(owners)) for department, manager, n, owners in rows}


@dataclass(frozen=True, kw_only=True)
class ResultCounts:
    owners: int  # different people behind the key results
    key_results: int
    updated: int
    on_track: int


async def key_results(
    session: AsyncSession, *, org_id: int, today: date, since: datetime, pace: Pace
) -> dict[Part, ResultCounts]:
    """Per part of their owner, the key results (not dropped) of the objectives of the cycle under
    way: how many, updated since `since`, on track today; and how many people own them. No titles."""
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
            func.count(func.distinct(Person.id)),
            func.count(KeyResult.id),
            _count_if(updated),
            _count_if(_on_track(session, today=today, pace=pace)),
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
        .group_by(Person.department, Person.manager_id)
    )
    return {
        (department, manager): ResultCounts(
            owners=int(owners), key_results=int(n), updated=int(fresh), on_track=int(on_track)
        )
        for department, manager, owners, n, fresh, on_track in rows
    }


def _days(session: AsyncSession, later, earlier):
    """Whole days from `earlier` to `later`, as a float (exact: both are days)."""
    if session.bind.dialect.name == "postgresql":
        return cast(later - earlier, Float)
    return func.julianday(later) - func.julianday(earlier)


def _share(session: AsyncSession, *, today: date):
    """`bot.goal_pace.share`: the elapsed share of the objective's cycle (from the day it was set when
    later, to its due date when it has one), 0 to 1."""
    if session.bind.dialect.name == "postgresql":
        created = cast(func.timezone("UTC", Objective.created_at), Date)
    else:
        created = func.date(Objective.created_at)
    first = case((Objective.cycle_start >= created, Objective.cycle_start), else_=created)
    last = func.coalesce(Objective.due_on, Objective.cycle_end)
    day = literal(today, Date)
    elapsed, total = _days(session, day, first), _days(session, last, first)
    return case(
        (last <= first, case((day >= last, 1.0), else_=0.0)),
        (elapsed <= 0, 0.0),
        (elapsed >= total, 1.0),
        else_=elapsed / total,
    )


def _on_track(session: AsyncSession, *, today: date, pace: Pace):
    """`bot.goal_pace.kr_status(...) == ON_TRACK`, as a condition on a key result and its objective:
    the same operations on the same floats, so the same answer to the last bit."""
    share = _share(session, today=today)
    start, target = KeyResult.start_value, KeyResult.target_value
    done = case((target == start, 1.0), else_=(KeyResult.current_value - start) / (target - start))
    return case(
        (KeyResult.kind == "milestone", or_(KeyResult.status == "done", share < 1.0)),
        (KeyResult.status == "done", true()),
        else_=or_(done >= 1.0, done + pace.epsilon >= literal(pace.on_track_share, Float) * share),
    )


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
