"""Check-in schedules: who is prompted when, as they or an admin set it, read in bulk with what a
prompt needs of each person. Every query names its organisation. Due work (the prompts and reminders
at a time) is in `store.due_work`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Row, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.checkin_models import CheckinSchedule
from store.models import Identity, Person, Workspace, in_org

OFF = "off"  # the cadence of a person who turned scheduled check-ins off themselves
PERSON, ADMIN = "person", "admin"  # who set a schedule (`CheckinSchedule.set_by`)


async def schedule_of(session: AsyncSession, *, org_id: int, person_id: int) -> CheckinSchedule | None:
    """The person's schedule, if they are asked for check-ins (not when they turned them off)."""
    row = await choice_of(session, org_id=org_id, person_id=person_id)
    return row if row is not None and row.cadence != OFF else None


async def choice_of(session: AsyncSession, *, org_id: int, person_id: int) -> CheckinSchedule | None:
    """The person's schedule row, "off" included."""
    return await session.scalar(
        select(CheckinSchedule).where(
            CheckinSchedule.org_id == org_id, CheckinSchedule.person_id == person_id
        )
    )


async def choices_of(
    session: AsyncSession, *, org_id: int, person_ids: list[int]
) -> dict[int, CheckinSchedule]:
    """Many people's schedule rows ("off" included), by person id; people with none are left out."""
    rows = await session.scalars(
        select(CheckinSchedule).where(
            CheckinSchedule.org_id == org_id, CheckinSchedule.person_id.in_(person_ids)
        )
    )
    return {row.person_id: row for row in rows}


async def with_people(session: AsyncSession, *, org_id: int, person_ids: list[int]) -> dict[int, Row]:
    """Many people's schedules, by person id, in one query (people with none are left out).

    Each row has the person's id, display_name, locale and timezone, and the schedule's cadence,
    weekday, hour, minute and anchor: what a prompt needs, without loading whole objects.
    """
    rows = await session.execute(
        select(
            Person.id,
            Person.display_name,
            Person.locale,
            Person.timezone,
            CheckinSchedule.cadence,
            CheckinSchedule.weekday,
            CheckinSchedule.hour,
            CheckinSchedule.minute,
            CheckinSchedule.anchor,
        )
        .join(CheckinSchedule, CheckinSchedule.person_id == Person.id)
        .where(
            in_org(Person.org_id, org_id),
            CheckinSchedule.org_id == org_id,
            CheckinSchedule.cadence != OFF,
            Person.id.in_(person_ids),
        )
    )
    return {row.id: row for row in rows}


async def scheduled_without_zone(session: AsyncSession, *, org_id: int) -> list[int]:
    """The people asked for check-ins who have no time zone of their own (theirs is the
    organisation's default): whose next prompt moves when that default changes."""
    rows = await session.scalars(
        select(Person.id)
        .join(CheckinSchedule, CheckinSchedule.person_id == Person.id)
        .where(
            Person.org_id == org_id,
            CheckinSchedule.org_id == org_id,
            CheckinSchedule.cadence != OFF,
            Person.timezone.is_(None),
        )
    )
    return list(rows)


async def platforms_of_many(session: AsyncSession, *, org_id: int, person_ids: list[int]) -> dict[int, str]:
    """The first platform each person can be reached on (in the order their identities were made);
    people with no identity are left out."""
    rows = await session.execute(
        select(Identity.person_id, Identity.platform)
        .where(Identity.org_id == org_id, Identity.person_id.in_(person_ids))
        .order_by(Identity.id)
    )
    first: dict[int, str] = {}
    for person_id, platform in rows:
        first.setdefault(person_id, platform)
    return first


async def set_schedule(
    session: AsyncSession,
    *,
    org_id: int,
    person_id: int,
    cadence: str,
    weekday: int,
    hour: int,
    minute: int,
    anchor: date,
    set_by: str,
    now: datetime,
) -> CheckinSchedule:
    """Create or replace one person's schedule (cadence OFF: they turned check-ins off)."""
    row = await choice_of(session, org_id=org_id, person_id=person_id)
    if row is None:
        row = CheckinSchedule(org_id=org_id, person_id=person_id, created_at=now)
        session.add(row)
    row.cadence, row.weekday, row.hour, row.minute, row.anchor = cadence, weekday, hour, minute, anchor
    row.set_by, row.updated_at = set_by, now
    await session.flush()
    return row


async def add_schedules(session: AsyncSession, *, org_id: int, rows: list[dict], now: datetime) -> None:
    """Insert many schedules (dicts of person_id, cadence, weekday, hour, minute, anchor) at once,
    for people who have none yet (an import, a benchmark's ten thousand people): set by an admin."""
    if rows:
        values = [
            {**row, "org_id": org_id, "set_by": ADMIN, "created_at": now, "updated_at": now} for row in rows
        ]
        await session.execute(insert(CheckinSchedule), values)


async def delete_schedule(session: AsyncSession, *, org_id: int, person_id: int) -> bool:
    row = await choice_of(session, org_id=org_id, person_id=person_id)
    if row is not None:
        await session.delete(row)
        await session.flush()
    return row is not None


async def workspace_platform(session: AsyncSession, *, org_id: int) -> str | None:
    """The platform of the organisation's first workspace: where to reach someone not met yet."""
    return await session.scalar(
        select(Workspace.platform).where(Workspace.org_id == org_id).order_by(Workspace.id).limit(1)
    )
