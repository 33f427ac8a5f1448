"""One person's check-in cycle: the next prompt and the answer window, in their time zone and their
organisation's calendar (`bot.workdays`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import format_when
from bot.features.checkins.cadence import Cadence, next_run, window_end
from bot.i18n import Messages
from bot.workdays import Calendar, calendar, local_day, person_zone
from store import due_work, schedules
from store.checkin_models import CheckinSchedule
from store.models import Organisation, Person

PROMPT = "checkin.prompt"
REMINDER = "checkin.reminder"
FORM_KEY = "checkin"


def cadence_of(row: CheckinSchedule | Row) -> Cadence:
    """A schedule's cadence (from its row, or from `schedules.with_people`' rows, which name the same
    fields)."""
    return Cadence(kind=row.cadence, weekday=row.weekday, hour=row.hour, minute=row.minute, anchor=row.anchor)


def deadline(t: Messages, moment: datetime, tz: ZoneInfo) -> str:
    """A moment as the person reads it, in their language: their local day and time, and which zone
    that is (`bot.dates.format_when`, as every other date Rapport shows)."""
    return format_when(t, moment, tz.key)


async def plan_next_prompt(
    session: AsyncSession, *, org_id: int, row: CheckinSchedule, tz: ZoneInfo, after: datetime, now: datetime
) -> datetime:
    """Schedule the prompt following `after` (idempotent: the same time is never queued twice)."""
    run_at = next_run(cadence_of(row), tz=tz, after=after)
    await due_work.add_due(session, org_id=org_id, kind=PROMPT, subject=row.person_id, run_at=run_at, now=now)
    return run_at


async def follow_timezones(
    session: AsyncSession, *, org_id: int, person_ids: Iterable[int], now: datetime
) -> int:
    """Plan again the next prompt of each of these people that was planned in a time zone other than
    the one they have now (their platform profile, the import or `/rapport timezone` changed it, or,
    for people with none of their own, the organisation's default), so that it comes at their local
    time, not the old zone's. A prompt already due is left to run. A few statements whatever
    their number (an import may change thousands); how many prompts moved."""
    ids = list(person_ids)
    if not ids:
        return 0
    org = await session.get(Organisation, org_id)
    assert org is not None
    planned = await schedules.with_people(session, org_id=org_id, person_ids=ids)
    upcoming = await due_work.next_pending(session, org_id=org_id, kind=PROMPT, subjects=list(planned))
    moved = []
    for person_id, row in planned.items():
        due = upcoming.get(person_id)
        if due is not None and due > now:
            run_at = next_run(cadence_of(row), tz=person_zone(row, org), after=now)
            if run_at != due:
                moved.append((person_id, run_at))
    if moved:
        subjects = [person_id for person_id, _ in moved]
        await due_work.cancel_pending_many(session, org_id=org_id, kind=PROMPT, subjects=subjects, now=now)
        await due_work.add_due_many(session, org_id=org_id, kind=PROMPT, work=moved, now=now)
    return len(moved)


async def follow_org_zone(session: AsyncSession, *, org_id: int, now: datetime) -> int:
    """After the organisation's default time zone changed: plan again the next prompt of the people
    who have no zone of their own (`follow_timezones`); how many moved."""
    ids = await schedules.scheduled_without_zone(session, org_id=org_id)
    return await follow_timezones(session, org_id=org_id, person_ids=ids, now=now)


async def upcoming_prompt(session: AsyncSession, *, org_id: int, person_id: int) -> datetime | None:
    due = await due_work.pending(session, org_id=org_id, kind=PROMPT, subject=person_id)
    return due[0].run_at if due else None


async def new_cycle(
    session: AsyncSession, *, org_id: int, person: Person, now: datetime
) -> tuple[str, datetime, Calendar]:
    """For answering without a prompt: the cycle is that of the next prompt (or today, with no
    schedule); its subject is that prompt's local date; the window is the one the prompt opens."""
    run_at = await upcoming_prompt(session, org_id=org_id, person_id=person.id) or now
    cal = await calendar(session, org_id=org_id, person=person, around=run_at)
    closes = window_end(run_at, tz=cal.tz, holidays=cal.holidays)
    return local_day(run_at, cal.tz).isoformat(), closes, cal
