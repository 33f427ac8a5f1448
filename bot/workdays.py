"""Working time, in each person's own time zone and their organisation's calendar: when Rapport may
prompt, remind or nudge someone (weekdays that are not holidays, 09:00–18:00 local time)."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from store import presence
from store.models import Organisation, Person

WORK_START = time(9, 0)
WORK_END = time(18, 0)
REMINDER_AT = time(10, 0)
MIN_GAP_BEFORE_REMINDER = timedelta(hours=2)
CALENDAR_DAYS = 21  # holidays looked up around a moment: enough for a window across a long break


def zone(name: str | None) -> ZoneInfo:
    """A person's time zone; UTC when it is unknown or misspelled."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _known(name: str | None) -> str | None:
    """`name` when it is a time zone this machine knows (the import checks it, but an older row or a
    platform's profile may hold anything), else None."""
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def zone_name(person: Any, org: Organisation) -> str:
    """The one rule for where a person lives: their own time zone, else their organisation's default
    (`rapport org settings --timezone`; some platforms give none), else UTC. `person` is a
    Person or a row naming `timezone`."""
    return _known(person.timezone) or _known(org.default_timezone) or "UTC"


def person_zone(person: Any, org: Organisation) -> ZoneInfo:
    """`zone_name` as a ZoneInfo: what every local time, date and schedule of the person is read in."""
    return ZoneInfo(zone_name(person, org))


def is_working_day(day: date, holidays: Container[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_working_day(day: date, holidays: Container[date]) -> date:
    day += timedelta(days=1)
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day


def in_working_hours(moment: datetime, *, tz: ZoneInfo, holidays: Container[date]) -> bool:
    local = moment.astimezone(tz)
    return is_working_day(local.date(), holidays) and WORK_START <= local.time() < WORK_END


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


@dataclass(frozen=True, kw_only=True)
class Calendar:
    """A person's time zone and their organisation's holidays around one moment."""

    tz: ZoneInfo
    holidays: frozenset[date]


async def zone_in(session: AsyncSession, *, org_id: int, person: Any) -> ZoneInfo:
    """`person_zone` where only the organisation's id is at hand (its row is usually in the session
    already, so this reads nothing)."""
    org = await session.get(Organisation, org_id)
    return person_zone(person, org) if org is not None else zone(person.timezone)


async def calendar(session: AsyncSession, *, org_id: int, person: Person, around: datetime) -> Calendar:
    tz = await zone_in(session, org_id=org_id, person=person)
    day = local_day(around, tz)
    days = await presence.holidays(
        session, org_id=org_id, start=day - timedelta(days=1), end=day + timedelta(days=CALENDAR_DAYS)
    )
    return Calendar(tz=tz, holidays=frozenset(days))
