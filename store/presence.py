"""Who is muted or away, and the organisation's holidays."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.checkin_models import Availability, Holiday


async def availability(session: AsyncSession, *, org_id: int, person_id: int) -> Availability | None:
    return await session.scalar(
        select(Availability).where(Availability.org_id == org_id, Availability.person_id == person_id)
    )


async def availability_of(
    session: AsyncSession, *, org_id: int, person_ids: list[int]
) -> dict[int, Availability]:
    """`availability` for many people at once, by person id (people with no row are left out)."""
    rows = await session.scalars(
        select(Availability).where(Availability.org_id == org_id, Availability.person_id.in_(person_ids))
    )
    return {row.person_id: row for row in rows}


async def _row(session: AsyncSession, *, org_id: int, person_id: int) -> Availability:
    row = await availability(session, org_id=org_id, person_id=person_id)
    if row is None:
        row = Availability(org_id=org_id, person_id=person_id)
        session.add(row)
    return row


async def mute(session: AsyncSession, *, org_id: int, person_id: int, until: datetime | None) -> None:
    """Stop reminders until `until` (None unmutes)."""
    row = await _row(session, org_id=org_id, person_id=person_id)
    row.muted_until = until
    await session.flush()


async def set_away(session: AsyncSession, *, org_id: int, person_id: int, last_day: date | None) -> None:
    """Pause prompts through `last_day`, a local date (None: back)."""
    row = await _row(session, org_id=org_id, person_id=person_id)
    row.away_until = last_day
    await session.flush()


async def replace_holidays(session: AsyncSession, *, org_id: int, days: Iterable[tuple[date, str]]) -> int:
    """Replace the organisation's holiday calendar with `days`; how many there are now."""
    await session.execute(delete(Holiday).where(Holiday.org_id == org_id))
    rows = [Holiday(org_id=org_id, day=day, name=name) for day, name in dict(days).items()]
    session.add_all(rows)
    await session.flush()
    return len(rows)


async def holidays(session: AsyncSession, *, org_id: int, start: date, end: date) -> set[date]:
    """Holiday dates from `start` to `end`, both included."""
    rows = await session.scalars(
        select(Holiday.day).where(Holiday.org_id == org_id, Holiday.day >= start, Holiday.day <= end)
    )
    return set(rows)
