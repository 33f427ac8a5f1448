"""Scheduled work around a review: the self-review and its reminder, the digest (and the employee's
note), the reminder an hour before, and the pulse a day after."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import workdays
from bot.anonymity import threshold_of
from bot.dates import format_when
from bot.evidence import Source
from bot.features.reviews import digest, timing
from bot.features.reviews.evidence import gather, self_review_of, subject
from bot.features.reviews.forms import ACTION_ID, PULSE, PULSE_FORM, SELF_REVIEW, with_reminders
from bot.forms import queue
from bot.forms.session import Audience, first_question, reopen, start
from bot.i18n import Messages
from bot.jobs import JobContext, Outcome
from bot.replies import Reply
from bot.workdays import REMINDER_AT, in_working_hours, next_working_day, zone_in
from store import audit, due_work, forms, people, presence, review_records
from store.checkin_models import DueWork
from store.models import Person
from store.review_models import ReviewMeeting

STALE = timedelta(days=3)  # a pulse asked later than this (after downtime) is no longer about the meeting
STARTED = Outcome(status="skipped", note="missed: the meeting had started (downtime)")


async def _meeting(ctx: JobContext, row: DueWork) -> tuple[ReviewMeeting, Person, Person] | None:
    meeting = await review_records.meeting(ctx.session, org_id=ctx.org.id, meeting_id=row.subject)
    if meeting is None or meeting.status == "cancelled":
        return None
    employee = await people.by_id(ctx.session, org_id=ctx.org.id, person_id=meeting.employee_id)
    manager = await people.by_id(ctx.session, org_id=ctx.org.id, person_id=meeting.manager_id)
    return meeting, employee, manager


async def _upcoming(ctx: JobContext, row: DueWork) -> tuple[ReviewMeeting, Person, Person] | Outcome:
    """The meeting with its two people while it is still ahead; otherwise why the job is skipped."""
    found = await _meeting(ctx, row)
    if found is None or found[0].status != "scheduled":
        return Outcome(status="skipped", note="no scheduled meeting")
    if ctx.now >= found[0].starts_at:
        return STARTED
    return found


async def _before(ctx: JobContext, meeting: ReviewMeeting, *, to: Person, reply: Reply) -> None:
    """A DM that prepares for the meeting: not sent once it has started (after an outage)."""
    await ctx.send_dm(to=to, reply=reply, expires_at=meeting.starts_at)


async def open_self_review(
    session: AsyncSession,
    *,
    sources: Mapping[str, Source],
    t: Messages,
    meeting: ReviewMeeting,
    employee: Person,
    now: datetime,
    intro: str,
    asked: bool,
) -> Reply:
    """Start (or resume) her self-review for the meeting: its first question with her reminders.
    Asked for (`/review self`), it is the form she answers now; sent when due, it waits its turn if
    she is answering another form, and the reply is the line saying so (`bot.forms.queue`)."""
    row = await self_review_of(session, meeting=meeting)
    if row is None:
        row = await start(
            session,
            org_id=meeting.org_id,
            person_id=employee.id,
            form=SELF_REVIEW,
            subject=subject(meeting),
            expires_at=meeting.starts_at,
            now=now,
        )
    elif row.status not in forms.LIVE:
        reopen(row, SELF_REVIEW, expires_at=meeting.starts_at, now=now)
    aside = None
    tz = (await zone_in(session, org_id=meeting.org_id, person=employee)).key
    if asked:
        aside = await queue.bring_forward(session, row=row, now=now)
    elif not await queue.offer(session, row=row, now=now):
        return Reply.text(
            queue.waiting_line(t, form_key=row.form_key, expires_at=row.expires_at, timezone=tz, about=intro)
        )
    reply = first_question(t, SELF_REVIEW, row, before=(intro,), action_id=ACTION_ID)
    to = Audience(session=session, t=t, person=employee, now=now, timezone=tz)
    reply = await with_reminders(to, row, reply, sources=sources)
    return queue.with_aside(t, reply, aside)


async def self_review(ctx: JobContext, row: DueWork, *, sources: Mapping[str, Source]) -> Outcome:
    """Send her the self-review, and plan one reminder in her working hours."""
    found = await _upcoming(ctx, row)
    if isinstance(found, Outcome):
        return found
    meeting, employee, manager = found
    sent = await self_review_of(ctx.session, meeting=meeting)
    if sent is not None and sent.completed_at is not None:
        return Outcome(status="skipped", note="already sent")
    t = ctx.messages_for(employee)
    intro = t("review_forms.self.intro", manager=manager.display_name, when=_when(t, meeting, ctx.zone_for(employee)))
    reply = await open_self_review(
        ctx.session,
        sources=sources,
        t=t,
        meeting=meeting,
        employee=employee,
        now=ctx.now,
        intro=intro,
        asked=False,
    )
    await _before(ctx, meeting, to=employee, reply=reply)
    cal = await workdays.calendar(ctx.session, org_id=ctx.org.id, person=employee, around=ctx.now)
    day = next_working_day(ctx.now.astimezone(cal.tz).date(), cal.holidays)
    remind_at = datetime.combine(day, REMINDER_AT, tzinfo=cal.tz)
    if remind_at < meeting.starts_at - timedelta(hours=2):
        await due_work.add_due(
            ctx.session,
            org_id=ctx.org.id,
            kind=timing.SELF_REMINDER,
            subject=meeting.id,
            run_at=remind_at,
            now=ctx.now,
        )
    return Outcome(status="done")


async def self_reminder(ctx: JobContext, row: DueWork) -> Outcome:
    """One nudge, in working hours, while her self-review is unfinished."""
    found = await _meeting(ctx, row)
    if found is None:
        return Outcome(status="skipped", note="cancelled")
    meeting, employee, manager = found
    opened = await self_review_of(ctx.session, meeting=meeting)
    if opened is None or opened.completed_at is not None:
        return Outcome(status="skipped", note="already sent")
    if ctx.now >= meeting.starts_at:
        return STARTED
    if (why := await _not_now(ctx, employee)) is not None:
        return Outcome(status="skipped", note=why)
    t = ctx.messages_for(employee)
    text = t("review_forms.self.reminder", manager=manager.display_name, when=_when(t, meeting, ctx.zone_for(employee)))
    await _before(ctx, meeting, to=employee, reply=Reply.text(text))
    return Outcome(status="done")


async def send_digest(ctx: JobContext, row: DueWork, *, sources: Mapping[str, Source]) -> Outcome:
    """The manager's digest, and the employee's shorter note."""
    found = await _upcoming(ctx, row)
    if isinstance(found, Outcome):
        return found
    meeting, employee, manager = found
    reply = await digest.build(
        ctx.session,
        sources=sources,
        t=ctx.messages_for(manager),
        meeting=meeting,
        employee=employee,
        manager=manager,
        now=ctx.now,
    )
    if reply is None:
        return Outcome(status="skipped", note="the manager may no longer see it")
    await _before(ctx, meeting, to=manager, reply=reply)
    await audit.record(
        ctx.session,
        org_id=ctx.org.id,
        action="view_digest",
        now=ctx.now,
        actor_id=manager.id,
        actor_label=manager.display_name,
        subject_id=employee.id,
        detail={"meeting": meeting.id, "sent": True},
    )
    sent = await self_review_of(ctx.session, meeting=meeting)
    note = digest.employee_note(
        ctx.messages_for(employee),
        meeting=meeting,
        employee=employee,
        manager=manager,
        sent=sent and sent.completed_at,
        timezone=ctx.zone_for(employee),
    )
    await _before(ctx, meeting, to=employee, reply=note)
    return Outcome(status="done")


async def hour_before(ctx: JobContext, row: DueWork, *, sources: Mapping[str, Source]) -> Outcome:
    found = await _upcoming(ctx, row)
    if isinstance(found, Outcome):
        return found
    meeting, employee, manager = found
    evidence = await gather(
        ctx.session, sources=sources, meeting=meeting, employee=employee, manager=manager, now=ctx.now
    )
    reply = digest.reminder(ctx.messages_for(manager), evidence)
    await _before(ctx, meeting, to=manager, reply=reply)
    return Outcome(status="done")


async def pulse(ctx: JobContext, row: DueWork) -> Outcome:
    """Three questions to the employee a day after; her answers are kept only as an aggregate."""
    found = await _meeting(ctx, row)
    if found is None:
        return Outcome(status="skipped", note="cancelled")
    meeting, employee, manager = found
    if ctx.now - row.run_at > STALE:
        return Outcome(status="skipped", note="missed: too long after the meeting")
    if await forms.by_subject(
        ctx.session, org_id=ctx.org.id, person_id=employee.id, form_key=PULSE_FORM, subject=subject(meeting)
    ):
        return Outcome(status="skipped", note="already asked")
    opened = await start(
        ctx.session,
        org_id=ctx.org.id,
        person_id=employee.id,
        form=PULSE,
        subject=subject(meeting),
        expires_at=ctx.now + timedelta(days=7),
        now=ctx.now,
    )
    t = ctx.messages_for(employee)
    intro = t(
        "review_forms.pulse.intro",
        manager=manager.display_name,
        threshold=threshold_of(ctx.org),
        until=format_when(t, opened.expires_at, ctx.zone_for(employee)),
    )
    if await queue.offer(ctx.session, row=opened, now=ctx.now):
        reply = first_question(t, PULSE, opened, before=(intro,), action_id=ACTION_ID)
    else:  # she is answering another form: the pulse waits its turn
        line = queue.waiting_line(
            t, form_key=PULSE_FORM, expires_at=opened.expires_at, timezone=ctx.zone_for(employee), about=intro
        )
        reply = Reply.text(line)
    await ctx.send_dm(to=employee, reply=reply, expires_at=row.run_at + STALE)
    return Outcome(status="done")


async def _not_now(ctx: JobContext, person: Person) -> str | None:
    """Why a reminder must not go to `person` now (as for check-ins), or None."""
    away = await presence.availability(ctx.session, org_id=ctx.org.id, person_id=person.id)
    if away is not None and away.muted_until is not None and away.muted_until > ctx.now:
        return "muted"
    cal = await workdays.calendar(ctx.session, org_id=ctx.org.id, person=person, around=ctx.now)
    today = ctx.now.astimezone(cal.tz).date()
    if away is not None and away.away_until is not None and today <= away.away_until:
        return "away"
    if not in_working_hours(ctx.now, tz=cal.tz, holidays=cal.holidays):
        return "outside working hours or on a holiday"
    return None


def _when(t: Messages, meeting: ReviewMeeting, timezone: str) -> str:
    return format_when(t, meeting.starts_at, timezone)
