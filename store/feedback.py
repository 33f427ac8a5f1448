"""Feedback and the daily count of what a person gave. Every query names the organisation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ScalarSelect, bindparam, func, select
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


async def given_since(session: AsyncSession, *, org_id: int, person_id: int, since: datetime) -> int:
    """How many kudos and pieces of feedback a person has given since `since`, in one query."""
    return await session.scalar(_GIVEN_SINCE, {"org_id": org_id, "person_id": person_id, "since": since})


def _given(model) -> ScalarSelect:
    return (
        select(func.count())
        .where(
            model.org_id == bindparam("org_id"),
            model.giver_id == bindparam("person_id"),
            model.created_at >= bindparam("since"),
        )
        .scalar_subquery()
    )


# Built once: every kudos and every piece of feedback checks the daily cap first.
_GIVEN_SINCE = select(_given(Kudos) + _given(Feedback))
