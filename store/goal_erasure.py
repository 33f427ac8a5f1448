"""Erasing a person's goals (see `store.erasure`): the words go, the rows stay for anonymous counts."""

from __future__ import annotations

from sqlalchemy import Select, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.goal_models import DevelopmentGoal, GoalUpdate, KeyResult, Objective


def _their_objectives(org_id: int, person_id: int) -> Select:
    theirs = or_(Objective.owner_id == person_id, Objective.creator_id == person_id)
    return select(Objective.id).where(Objective.org_id == org_id, theirs)


def _their_key_results(org_id: int, person_id: int) -> Select:
    return select(KeyResult.id).where(
        KeyResult.org_id == org_id, KeyResult.objective_id.in_(_their_objectives(org_id, person_id))
    )


async def words(session: AsyncSession, *, org_id: int, person_id: int) -> list[str]:
    """The titles, notes and reasons of their goals, which messages sent to others may quote."""
    texts: list[str] = []
    for row in await session.execute(
        select(Objective.title, Objective.override_reason, Objective.drop_reason).where(
            Objective.id.in_(_their_objectives(org_id, person_id))
        )
    ):
        texts += row
    texts += await session.scalars(
        select(KeyResult.title).where(KeyResult.id.in_(_their_key_results(org_id, person_id)))
    )
    texts += await session.scalars(
        select(GoalUpdate.note).where(
            GoalUpdate.org_id == org_id,
            or_(
                GoalUpdate.key_result_id.in_(_their_key_results(org_id, person_id)),
                GoalUpdate.actor_id == person_id,
            ),
        )
    )
    for row in await session.execute(
        select(DevelopmentGoal.skill, DevelopmentGoal.activity, DevelopmentGoal.support).where(
            DevelopmentGoal.org_id == org_id,
            or_(DevelopmentGoal.person_id == person_id, DevelopmentGoal.creator_id == person_id),
        )
    ):
        texts += row
    return [text for text in texts if text]


async def erase_goals(session: AsyncSession, org_id: int, person_id: int) -> None:
    """Objectives they own or set, their key results and the notes of their updates lose their words;
    their values stay (counts of goals on track need no words). Notes they wrote on others' goals go."""
    key_results = _their_key_results(org_id, person_id)
    await session.execute(
        update(GoalUpdate)
        .where(
            GoalUpdate.org_id == org_id,
            or_(GoalUpdate.key_result_id.in_(key_results), GoalUpdate.actor_id == person_id),
        )
        .values(note=None)
    )
    await session.execute(update(KeyResult).where(KeyResult.id.in_(key_results)).values(title="", unit=None))
    await session.execute(
        update(Objective)
        .where(Objective.id.in_(_their_objectives(org_id, person_id)))
        .values(title="", override_reason=None, drop_reason=None)
    )


async def erase_development_goals(session: AsyncSession, org_id: int, person_id: int) -> None:
    theirs = or_(DevelopmentGoal.person_id == person_id, DevelopmentGoal.creator_id == person_id)
    await session.execute(
        update(DevelopmentGoal)
        .where(DevelopmentGoal.org_id == org_id, theirs)
        .values(skill="", activity=None, support=None)
    )
