"""Feedback and the daily count of what a person gave. Every query names the organisation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import bindparam, case, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from store.feedback_models import DailyGiven, Feedback


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
    return await _newest(session, org_id=org_id, where=Feedback.recipient_id == person_id, limit=limit)


async def given(session: AsyncSession, *, org_id: int, person_id: int, limit: int = 10) -> list[Feedback]:
    return await _newest(session, org_id=org_id, where=Feedback.giver_id == person_id, limit=limit)


async def shared_with(
    session: AsyncSession, *, org_id: int, person_id: int, limit: int = 10
) -> list[Feedback]:
    """Feedback about others that its givers shared with this person as their manager, newest first."""
    return await _newest(session, org_id=org_id, where=Feedback.shared_with_id == person_id, limit=limit)


async def _newest(session: AsyncSession, *, org_id: int, where, limit: int) -> list[Feedback]:
    return list(
        await session.scalars(
            select(Feedback)
            .where(Feedback.org_id == org_id, where)
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
            .limit(limit)
        )
    )


async def given_on(session: AsyncSession, *, org_id: int, days: Mapping[int, date]) -> dict[int, int]:
    """How many kudos and pieces of feedback each person (by id) gave on their day in `days`; people
    who gave nothing that day are left out. One query, whatever their number."""
    if not days:
        return {}
    rows = await session.execute(_GIVEN_ON, {"org_id": org_id, "ids": list(days)})
    return {person_id: given for person_id, day, given in rows if days[person_id] == day}


async def count_given(session: AsyncSession, *, org_id: int, given: Mapping[tuple[int, date], int]) -> None:
    """Add to what people gave on a day: (person id, their day) → how many more.

    A person's row holds their latest day: a later day starts it again, and what is counted towards
    an earlier one (a clock that passed midnight within a batch) no longer matters."""
    latest: dict[int, tuple[date, int]] = {}
    for (person_id, day), n in sorted(given.items(), key=lambda item: item[0][1]):
        latest[person_id] = (day, n)  # one row a person in the statement, as an upsert requires
    if not latest:
        return
    statement = _COUNT_GIVEN[session.bind.dialect.name]
    rows = [{"org_id": org_id, "person_id": pid, "day": day, "given": n} for pid, (day, n) in latest.items()]
    await session.execute(statement, rows)


# Built once: every kudos and every piece of feedback checks the daily cap, and building the
# statement cost more than running it.
_GIVEN_ON = select(DailyGiven.person_id, DailyGiven.day, DailyGiven.given).where(
    DailyGiven.org_id == bindparam("org_id"),
    DailyGiven.person_id.in_(bindparam("ids", expanding=True)),
)


def _count_given(dialect) -> object:
    table = DailyGiven.__table__
    statement = dialect.insert(table)
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["org_id", "person_id"],
        set_={  # both read the row as it was
            "given": case(
                (new.day == table.c.day, table.c.given + new.given),
                (new.day > table.c.day, new.given),
                else_=table.c.given,
            ),
            "day": case((new.day > table.c.day, new.day), else_=table.c.day),
        },
    )


# Built once per dialect (the upsert is spelled the same on both, but built by each dialect's insert).
_COUNT_GIVEN = {"postgresql": _count_given(postgresql), "sqlite": _count_given(sqlite)}
