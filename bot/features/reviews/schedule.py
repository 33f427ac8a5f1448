"""`/review schedule|move|cancel @person ...`: only the person's manager or HR."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta

from bot.access import manages
from bot.dates import format_when, parse_day, split_duration, split_time
from bot.errors import UserError
from bot.events import Command
from bot.features.reviews import hours, timing
from bot.features.reviews.timing import Timing
from bot.parse import PersonRef, tokenize
from bot.people import resolve_refs
from bot.replies import Context, Reply, Text
from bot.turn import Turn
from bot.workdays import person_zone
from store import people, reviews, roles
from store.models import Person
from store.review_models import ReviewMeeting

DEFAULT_MINUTES, MIN_MINUTES, MAX_MINUTES = 45, 15, 240
PREPARATION = timedelta(days=3)
_BARE_LENGTH = re.compile(r"\s([0-9]{1,4})$")  # a number after the time, without its unit


async def schedule(turn: Turn, text: str) -> Reply:
    employee, manager, rest = await _people(turn, text)
    existing = await reviews.next_scheduled(turn.session, org_id=turn.org.id, employee_id=employee.id)
    if existing is not None:
        when = format_when(turn.t, existing.starts_at, turn.zone_for(turn.person))
        raise UserError("review.already", name=employee.display_name, when=when)
    starts_at, minutes = await _when(turn, rest, employee=employee, manager=manager)
    meeting = await reviews.create(
        turn.session,
        org_id=turn.org.id,
        employee_id=employee.id,
        manager_id=manager.id,
        scheduled_by_id=turn.person.id,
        starts_at=starts_at,
        minutes=minutes,
        now=turn.clock.now(),
    )
    await timing.plan(turn.session, meeting=meeting, timing=Timing.from_env(os.environ), now=turn.clock.now())
    return await _announce(turn, meeting, employee=employee, manager=manager, kind="scheduled")


async def move(turn: Turn, text: str) -> Reply:
    employee, manager, rest = await _people(turn, text)
    meeting = await _scheduled(turn, employee)
    meeting.starts_at, meeting.minutes = await _when(
        turn, rest, employee=employee, manager=manager, default_minutes=meeting.minutes
    )
    await timing.cancel(turn.session, meeting=meeting, now=turn.clock.now())
    await timing.plan(turn.session, meeting=meeting, timing=Timing.from_env(os.environ), now=turn.clock.now())
    return await _announce(turn, meeting, employee=employee, manager=manager, kind="moved")


async def cancel(turn: Turn, text: str) -> Reply:
    employee, manager, reason = await _people(turn, text)
    meeting = await _scheduled(turn, employee)
    meeting.status, meeting.cancel_reason = "cancelled", reason or None
    await timing.cancel(turn.session, meeting=meeting, now=turn.clock.now())
    return await _announce(turn, meeting, employee=employee, manager=manager, kind="cancelled")


async def _people(turn: Turn, text: str) -> tuple[Person, Person, str]:
    """The employee named first, their manager, and the rest of the text; refuses anyone but the
    employee's manager or HR."""
    event = turn.event
    assert isinstance(event, Command)
    segments = tokenize(text, mentions=event.mentions)
    first = next((s for s in segments if not (isinstance(s, str) and not s.strip())), None)
    if not isinstance(first, PersonRef):
        raise UserError("review.who")
    employee = (await resolve_refs(turn, [first]))[first]
    rest = "".join(s if isinstance(s, str) else s.text for s in segments[segments.index(first) + 1 :]).strip()
    is_hr = await roles.has_role(turn.session, org_id=turn.org.id, person_id=turn.person.id, role="hr")
    if not (manages(turn.person, employee) or is_hr):
        raise UserError("review.not_allowed", name=employee.display_name)
    if employee.manager_id is None:
        raise UserError("review.no_manager", name=employee.display_name)
    manager = await people.by_id(turn.session, org_id=turn.org.id, person_id=employee.manager_id)
    return employee, manager, rest


async def _scheduled(turn: Turn, employee: Person) -> ReviewMeeting:
    meeting = await reviews.next_scheduled(turn.session, org_id=turn.org.id, employee_id=employee.id)
    if meeting is None:
        raise UserError("review.none", name=employee.display_name)
    return meeting


async def _when(
    turn: Turn, text: str, *, employee: Person, manager: Person, default_minutes: int = DEFAULT_MINUTES
) -> tuple[datetime, int]:
    """The start (UTC) and length of a meeting typed in the scheduler's own time zone (the
    employee's with `their time`), inside both people's working hours (unless `anyway`)."""
    text, anyway = hours.take_word(turn, text, "anyway")
    text, theirs = hours.take_word(turn, text, "their_time")
    rest, minutes = split_duration(text)
    if minutes is None and (bare := _BARE_LENGTH.search(rest)) and split_time(rest[: bare.start()])[1]:
        raise UserError("review.minutes_unit", number=bare[1])  # "15:00 90": 90 what?
    minutes = minutes or default_minutes
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise UserError("review.minutes", min=MIN_MINUTES, max=MAX_MINUTES, minutes=minutes)
    day_phrase, clock = split_time(rest)
    if clock is None:
        example = (turn.today + timedelta(days=7)).isoformat()
        raise UserError("review.no_time", handle=employee.handle or "alice", example=example)
    zone = person_zone(employee if theirs else turn.person, turn.org)
    now = turn.clock.now()
    day = parse_day(day_phrase or "today", now=now.astimezone(zone))
    starts_at = datetime(day.year, day.month, day.day, *clock, tzinfo=zone)
    if starts_at <= now:
        raise UserError("review.past", when=format_when(turn.t, starts_at, turn.zone_for(turn.person)))
    if not anyway:
        await hours.check(
            turn, starts_at=starts_at, minutes=minutes, employee=employee, manager=manager, theirs=theirs
        )
    return starts_at, minutes


async def _announce(
    turn: Turn, meeting: ReviewMeeting, *, employee: Person, manager: Person, kind: str
) -> Reply:
    """DM the employee and the manager (whoever did not act) in their own language and time zone."""
    short = meeting.starts_at - turn.clock.now() < PREPARATION and kind != "cancelled"
    told = []
    for person, other in ((employee, manager), (manager, employee)):
        if person.id != turn.person.id:
            await turn.send_dm(
                to=person, reply=_dm(turn, meeting, person=person, other=other, kind=kind, short=short)
            )
            told.append(person.display_name)
    t = turn.t
    text = t(
        f"review.{kind}",
        name=employee.display_name,
        when=format_when(t, meeting.starts_at, turn.zone_for(turn.person)),
        minutes=meeting.minutes,
        others=t.join(told),
    )
    parts = [Text(text=text)] + ([Context(text=t("review.short_notice"))] if short else [])
    return Reply(parts=tuple(parts), summary=text)


def _dm(
    turn: Turn, meeting: ReviewMeeting, *, person: Person, other: Person, kind: str, short: bool
) -> Reply:
    t = turn.messages_for(person)
    when = format_when(t, meeting.starts_at, turn.zone_for(person))
    if kind == "cancelled":
        reason = t("review.reason", reason=meeting.cancel_reason) if meeting.cancel_reason else ""
        return Reply.text(t("review.dm_cancelled", other=other.display_name, when=when, reason=reason))
    if kind == "moved":
        text = t("review.dm_moved", other=other.display_name, when=when, minutes=meeting.minutes)
    elif person.id == meeting.employee_id:
        text = t("review.dm_employee", manager=other.display_name, when=when, minutes=meeting.minutes)
    else:
        text = t("review.dm_manager", employee=other.display_name, when=when, minutes=meeting.minutes)
    notes = [t("review.purpose")] + ([t("review.short_notice")] if short else [])
    return Reply(parts=(Text(text=text), *(Context(text=n) for n in notes)), summary=text)
