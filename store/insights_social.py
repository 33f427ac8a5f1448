"""Aggregate figures about people together: the pulse per manager, kudos per group (see `store.insights`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from store.insights import Grouping, grouped, key_of, scope_of
from store.models import Kudos, KudosRecipient, Person
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


async def pulse(session: AsyncSession, *, org_id: int, grouping: Grouping, weeks: list[str]) -> list[Pulse]:
    """Per manager (in the grouping's department or the team's own manager), answers in those ISO weeks."""
    manager = aliased(Person)
    where = [manager.org_id == org_id]
    if grouping.department is not None:
        where.append(manager.department == grouping.department)
    if grouping.manager_id is not None:
        where.append(manager.id == grouping.manager_id)
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
        .where(*where, ReviewPulse.org_id == org_id, ReviewPulse.week.in_(weeks))
        .group_by(ReviewPulse.manager_id, manager.display_name)
        .order_by(manager.display_name, ReviewPulse.manager_id)
    )
    return [
        Pulse(manager_id=m, name=n, answers=c, room_to_speak=float(r), next_steps=float(s), useful=float(u))
        for m, n, c, r, s, u in rows
    ]


async def kudos(
    session: AsyncSession, *, org_id: int, grouping: Grouping, start: datetime, end: datetime
) -> dict[Any, dict[str, int]]:
    """Kudos given in [start, end) by each group, and received by each group (one per recipient)."""
    key = key_of(Person, grouping)
    in_period = (Kudos.org_id == org_id, Kudos.created_at >= start, Kudos.created_at < end)
    given = await grouped(
        session,
        select(key, func.count(func.distinct(Kudos.giver_id)), func.count(Kudos.id))
        .join(Person, Person.id == Kudos.giver_id)
        .where(*scope_of(Person, org_id, grouping), *in_period)
        .group_by(key),
        ("givers", "given"),
    )
    # The period's kudos as a list, not a join: SQLite would otherwise loop over the group's people.
    in_period_ids = select(Kudos.id).where(*in_period)
    received = await grouped(
        session,
        select(key, func.count(func.distinct(KudosRecipient.person_id)), func.count(KudosRecipient.kudos_id))
        .join(Person, Person.id == KudosRecipient.person_id)
        .where(
            *scope_of(Person, org_id, grouping),
            KudosRecipient.org_id == org_id,
            KudosRecipient.kudos_id.in_(in_period_ids),
        )
        .group_by(key),
        ("recipients", "received"),
    )
    empty_given, empty_received = {"givers": 0, "given": 0}, {"recipients": 0, "received": 0}
    return {
        group: {**given.get(group, empty_given), **received.get(group, empty_received)}
        for group in given.keys() | received.keys()
    }
