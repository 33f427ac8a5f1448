"""One schedule for a whole team (a department) or organisation, set by an administrator.

Each person still has their own schedule row, so `/checkin schedule` can change it; applying a team
schedule fills in everyone who has none (or, with `replace`, everyone), and can be run again after an
import to cover newcomers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkins import cycle
from bot.checkins.cadence import local_day
from bot.checkins.schedule_text import Wanted
from store import people, schedules
from store.models import Person


@dataclass(frozen=True, kw_only=True)
class Applied:
    set: int
    kept: int


async def apply_schedule(
    session: AsyncSession,
    *,
    org_id: int,
    wanted: Wanted,
    now: datetime,
    department: str | None = None,
    replace: bool = False,
) -> Applied:
    """Give everyone in the organisation (or one department) the wanted schedule and plan their next
    prompt in their own time zone; people with a schedule of their own keep it unless `replace`."""
    members = [
        p
        for p in await people.all_in_org(session, org_id=org_id)
        if department is None or (p.department or "").casefold() == department.casefold()
    ]
    changed = 0
    for person in members:
        if not replace and await schedules.schedule_of(session, org_id=org_id, person_id=person.id):
            continue
        await set_schedule(session, org_id=org_id, person=person, wanted=wanted, now=now)
        changed += 1
    return Applied(set=changed, kept=len(members) - changed)


async def set_schedule(
    session: AsyncSession, *, org_id: int, person: Person, wanted: Wanted, now: datetime
) -> None:
    """Give one person the wanted schedule, anchored today in their time zone, and plan their next
    prompt (the one already planned, if any, is cancelled)."""
    await schedules.cancel_pending(session, org_id=org_id, kind=cycle.PROMPT, subject=person.id, now=now)
    cal = await cycle.calendar(session, org_id=org_id, person=person, around=now)
    row = await schedules.set_schedule(
        session,
        org_id=org_id,
        person_id=person.id,
        cadence=wanted.cadence,
        weekday=wanted.weekday,
        hour=wanted.hour,
        minute=wanted.minute,
        anchor=local_day(now, cal.tz),
        now=now,
    )
    await cycle.plan_next_prompt(session, org_id=org_id, row=row, tz=cal.tz, after=now, now=now)
