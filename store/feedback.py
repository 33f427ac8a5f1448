"""Feedback and the daily count of what a person gave. Every query names the organisation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, bindparam, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from store.feedback_models import Feedback
from store.models import Kudos


async def add(
    session: AsyncSession,
    *,
    org_id: int,
    giver_id: int,
    recipient_id: int,
    text: str,
    shared_with_id: int | None,
    now: datetime,
) -> Feedback:
    feedback = Feedback(
        org_id=org_id,
        giver_id=giver_id,
        recipient_id=recipient_id,
        text=text,
        shared_with_id=shared_with_id,
        created_at=now,
    )
    session.add(feedback)
    await session.flush()
    return feedback


async def by_id(session: AsyncSession, *, org_id: int, feedback_id: int) -> Feedback | None:
    return await session.scalar(select(Feedback).where(Feedback.org_id == org_id, Feedback.id == feedback_id))


async def received(session: AsyncSession, *, org_id: int, person_id: int, limit: int = 10) -> list[Feedback]:
    return list(
        await session.scalars(
            select(Feedback)
            .where(Feedback.org_id == org_id, Feedback.recipient_id == person_id)
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
            .limit(limit)
        )
    )


async def given(session: AsyncSession, *, org_id: int, person_id: int, limit: int = 10) -> list[Feedback]:
    return list(
        await session.scalars(
            select(Feedback)
            .where(Feedback.org_id == org_id, Feedback.giver_id == person_id)
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
            .limit(limit)
        )
    )


async def given_since_many(
    session: AsyncSession, *, org_id: int, person_ids: Iterable[int], since: datetime
) -> dict[int, int]:
    """How many kudos and pieces of feedback each of these people has given since `since` (people who
    gave nothing are left out), in one query."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    given: dict[int, int] = {}
    rows = await session.execute(_GIVEN_SINCE_MANY, {"org_id": org_id, "ids": ids, "since": since})
    for giver_id, count in rows.tuples():
        given[giver_id] = given.get(giver_id, 0) + count
    return given


def _given_by(model) -> Select:
    """Counted per giver on each table's (org, giver, created) index, then added up by the caller."""
    return (
        select(model.giver_id, func.count())
        .where(
            model.org_id == bindparam("org_id"),
            model.giver_id.in_(bindparam("ids", expanding=True)),
            model.created_at >= bindparam("since"),
        )
        .group_by(model.giver_id)
    )


# Built once: every kudos and every piece of feedback checks the daily cap, and building the
# statement cost more than running it.
_GIVEN_SINCE_MANY = union_all(_given_by(Kudos), _given_by(Feedback))
