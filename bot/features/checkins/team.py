"""One schedule for a whole team (a department) or organisation, set by an administrator.

Each person still has their own schedule row, which records who set it. Applying a team schedule
changes the rows an administrator set (or gives one to whoever has none) and keeps those people
chose themselves with `/checkin schedule` (their "off" too), unless `replace`; it can be run again
after an import to cover newcomers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import workdays
from bot.features.checkins import cycle
from bot.features.checkins.schedule_text import Wanted
from bot.workdays import local_day, zone_in
from store import due_work, people, schedules
from store.checkin_models import CheckinSchedule
from store.models import Person
from store.schedules import ADMIN, OFF


@dataclass(frozen=True, kw_only=True)
class Applied:
    """How many schedules a team schedule set (or turned off), and whom it left as they were."""

    set: int
    kept: tuple[tuple[Person, CheckinSchedule], ...]  # their own choice, or one nobody recorded
    unchanged: int = 0  # had this schedule from an administrator already


async def apply_schedule(
    session: AsyncSession,
    *,
    org_id: int,
    wanted: Wanted,
    now: datetime,
    department: str | None = None,
    replace: bool = False,
) -> Applied:
    """Give everyone in the organisation (or one department) the wanted schedule, or turn theirs
    off, planning each next prompt in their own time zone; people who set their own keep it unless
    `replace`."""
    members = [
        p
        for p in await people.all_in_org(session, org_id=org_id)
        if department is None or (p.department or "").casefold() == department.casefold()
    ]
    rows = await schedules.choices_of(session, org_id=org_id, person_ids=[p.id for p in members])
    changed, kept, unchanged = 0, [], 0
    for person in members:
        row = rows.get(person.id)
        if row is not None and row.set_by != ADMIN and not replace:
            kept.append((person, row))
        elif row is not None and row.set_by == ADMIN and _same(row, wanted):
            unchanged += 1
        elif wanted.off:
            changed += int(row is not None and row.cadence != OFF)
            await stop(session, org_id=org_id, person=person, now=now, set_by=ADMIN)
        else:
            await set_schedule(session, org_id=org_id, person=person, wanted=wanted, now=now, set_by=ADMIN)
            changed += 1
    return Applied(set=changed, kept=tuple(kept), unchanged=unchanged)


def _same(row: CheckinSchedule, wanted: Wanted) -> bool:
    """Whether applying `wanted` would leave the row as it is (not re-anchored, not re-planned)."""
    if wanted.off:
        return False
    return (row.cadence, row.weekday, row.hour, row.minute) == wanted.over(row)


async def set_schedule(
    session: AsyncSession, *, org_id: int, person: Person, wanted: Wanted, now: datetime, set_by: str
) -> None:
    """Give one person the wanted schedule (what it does not say kept from their current one),
    anchored today in their time zone, and plan their next prompt (the one already planned, if any,
    is cancelled)."""
    await due_work.cancel_pending(session, org_id=org_id, kind=cycle.PROMPT, subject=person.id, now=now)
    cal = await workdays.calendar(session, org_id=org_id, person=person, around=now)
    current = await schedules.schedule_of(session, org_id=org_id, person_id=person.id)
    cadence, weekday, hour, minute = wanted.over(current)
    row = await schedules.set_schedule(
        session,
        org_id=org_id,
        person_id=person.id,
        cadence=cadence,
        weekday=weekday,
        hour=hour,
        minute=minute,
        anchor=local_day(now, cal.tz),
        set_by=set_by,
        now=now,
    )
    await cycle.plan_next_prompt(session, org_id=org_id, row=row, tz=cal.tz, after=now, now=now)


async def stop(session: AsyncSession, *, org_id: int, person: Person, now: datetime, set_by: str) -> None:
    """No more scheduled prompts. A person's own "off" is kept as their choice; an administrator's
    leaves them with no schedule, for the next team schedule to fill."""
    await due_work.cancel_pending(session, org_id=org_id, kind=cycle.PROMPT, subject=person.id, now=now)
    if set_by == ADMIN:
        await schedules.delete_schedule(session, org_id=org_id, person_id=person.id)
        return
    await schedules.set_schedule(
        session,
        org_id=org_id,
        person_id=person.id,
        cadence=OFF,
        weekday=0,
        hour=0,
        minute=0,
        anchor=local_day(now, await zone_in(session, org_id=org_id, person=person)),
        set_by=set_by,
        now=now,
    )
