"""Action reminders: before the due date, on the day it is overdue, then weekly until done or dropped.

The rule, in the owner's own time zone and the organisation's calendar (weekdays that are not holidays
are working days):

1. *Before*: 10:00 on the last working day before the due date (due Friday: Thursday; due Monday: the
   Friday before).
2. *Overdue*: 10:00 on the first working day after the due date (due Friday: Monday, since Saturday
   and Sunday are not working days).
3. *Weekly*: then every seven days after that overdue day, moved on to the next working day when it
   falls on a holiday.
4. A reminder that would fall while the owner is away comes instead on the first working day after
   the away period; one that finds the owner muted, away or outside working hours when it runs
   (holidays and away periods can change after planning) is skipped, and the next one is planned.

There is one pending row of due work per action (kind "action.remind", subject the action's id). It
is planned again whenever the action changes (created, accepted, edited, snoozed) and cancelled when
it is done or dropped; a proposed action or one without a due date has none. Each reminder DM has
Done and Snooze buttons; Snooze moves the due date one week past the later of the due date and today,
like `/action snooze N until ...` (so it is kept in the history and the reminders follow it).
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import format_day
from bot.jobs import JobContext, Outcome
from bot.replies import Button, Buttons, Reply, Text
from bot.turn import Turn
from bot.workdays import (
    REMINDER_AT,
    in_working_hours,
    is_working_day,
    next_working_day,
    person_zone,
    zone_in,
)
from store import actions, due_work, people, presence
from store.action_models import ActionItem
from store.checkin_models import DueWork
from store.models import Person

KIND = "action.remind"
DONE_ACTION = "action.done"
SNOOZE_ACTION = "action.snooze"
SNOOZE = timedelta(days=7)
MAX_WEEKS = 520  # ten years of weekly reminders: an upper bound, not a policy
HOLIDAY_HORIZON = timedelta(days=120)


def previous_working_day(day: date, holidays: Container[date]) -> date:
    day -= timedelta(days=1)
    while not is_working_day(day, holidays):
        day -= timedelta(days=1)
    return day


def reminder_days(due: date, holidays: Container[date]) -> Iterator[date]:
    """The days of rules 1–3, in order."""
    yield previous_working_day(due, holidays)
    overdue = next_working_day(due, holidays)
    yield overdue
    for week in range(1, MAX_WEEKS):
        day = overdue + timedelta(weeks=week)
        yield day if is_working_day(day, holidays) else next_working_day(day, holidays)


def next_reminder(
    due: date, *, tz, holidays: Container[date], away_until: date | None, after: datetime
) -> datetime | None:
    """The first reminder strictly after `after` (rule 4 applied), in UTC."""
    for day in reminder_days(due, holidays):
        if away_until is not None and day <= away_until:
            day = next_working_day(away_until, holidays)
        at = datetime.combine(day, REMINDER_AT, tzinfo=tz).astimezone(UTC)
        if at > after:
            return at
    return None


async def plan(
    session: AsyncSession, *, org_id: int, action: ActionItem, owner: Person, after: datetime, now: datetime
) -> datetime | None:
    """Replace the action's pending reminder with the next one, if it still needs one."""
    await due_work.cancel_pending(session, org_id=org_id, kind=KIND, subject=action.id, now=now)
    if action.status != "open" or action.due_on is None:
        return None
    tz = await zone_in(session, org_id=org_id, person=owner)
    start = min(action.due_on, after.astimezone(tz).date()) - timedelta(days=14)
    end = max(action.due_on, after.astimezone(tz).date()) + HOLIDAY_HORIZON
    holidays = await presence.holidays(session, org_id=org_id, start=start, end=end)
    away = await presence.availability(session, org_id=org_id, person_id=owner.id)
    at = next_reminder(
        action.due_on, tz=tz, holidays=holidays, away_until=away.away_until if away else None, after=after
    )
    if at is not None:
        await due_work.add_due(session, org_id=org_id, kind=KIND, subject=action.id, run_at=at, now=now)
    return at


async def replan(turn: Turn, action: ActionItem, owner: Person) -> None:
    """After a command changed the action: its reminders follow its new date and status."""
    now = turn.clock.now()
    await plan(turn.session, org_id=turn.org.id, action=action, owner=owner, after=now, now=now)


def snoozed_until(action: ActionItem, *, today: date) -> date:
    """Where the Snooze button moves the due date: a week past the later of the due date and today."""
    return max(action.due_on or today, today) + SNOOZE


async def remind(ctx: JobContext, row: DueWork) -> Outcome:
    """DM the owner of an open, dated action, unless now is not a time to; plan the next one."""
    session, org_id, now = ctx.session, ctx.org.id, ctx.now
    action = await actions.by_id(session, org_id=org_id, action_id=row.subject)
    if action is None or action.status != "open" or action.due_on is None:
        return Outcome(status="skipped", note="no longer open")
    owner = await people.by_id(session, org_id=org_id, person_id=action.owner_id)
    note = await _not_now(ctx, owner)
    await plan(session, org_id=org_id, action=action, owner=owner, after=max(now, row.run_at), now=now)
    if note:
        return Outcome(status="skipped", note=note)
    t = ctx.messages_for(owner)
    today = now.astimezone(person_zone(owner, ctx.org)).date()
    await ctx.send_dm(to=owner, reply=_message(t, action, today=today))
    return Outcome(status="done")


async def _not_now(ctx: JobContext, owner: Person) -> str | None:
    tz = person_zone(owner, ctx.org)
    today = ctx.now.astimezone(tz).date()
    away = await presence.availability(ctx.session, org_id=ctx.org.id, person_id=owner.id)
    if away is not None and away.away_until is not None and today <= away.away_until:
        return "away"
    if away is not None and away.muted_until is not None and away.muted_until > ctx.now:
        return "muted"
    holidays = await presence.holidays(ctx.session, org_id=ctx.org.id, start=today, end=today)
    if not in_working_hours(ctx.now, tz=tz, holidays=holidays):
        return "outside working hours"
    return None


def _message(t, action: ActionItem, *, today: date) -> Reply:
    day = format_day(t, action.due_on)
    if action.due_on > today:
        key = "action_reminder.before"
    elif action.due_on == today:
        key = "action_reminder.today"
    else:
        key = "action_reminder.overdue"
    text = t(key, id=action.id, title=action.title, day=day)
    buttons = Buttons(
        buttons=(
            Button(
                label=t("action_reminder.done_button"),
                action_id=DONE_ACTION,
                value=str(action.id),
                style="primary",
            ),
            Button(label=t("action_reminder.snooze_button"), action_id=SNOOZE_ACTION, value=str(action.id)),
        )
    )
    return Reply(parts=(Text(text=text), buttons), summary=text)
