"""Scheduled check-in work: the prompt that opens a check-in, and its one reminder."""

from __future__ import annotations

from bot.checkins import cycle
from bot.checkins.cadence import in_working_hours, local_day, reminder_time, window_end
from bot.forms.builtin import builtin_forms
from bot.forms.render import ask
from bot.forms.session import FormRunner, first_question, start
from bot.scheduler import JobContext, Outcome
from store import forms, people, presence, schedules
from store.checkin_models import DueWork


async def prompt(ctx: JobContext, row: DueWork) -> Outcome:
    """Open the person's check-in and DM its first question, unless they are away, it is a holiday,
    or the window has already closed (after downtime); plan the next prompt either way."""
    session, org_id, now = ctx.session, ctx.org.id, ctx.now
    person = await people.by_id(session, org_id=org_id, person_id=row.subject)
    plan = await schedules.schedule_of(session, org_id=org_id, person_id=row.subject)
    if person is None or plan is None:
        return Outcome(status="skipped", note="no schedule")
    cal = await cycle.calendar(session, org_id=org_id, person=person, around=row.run_at)
    await cycle.plan_next_prompt(session, org_id=org_id, row=plan, tz=cal.tz, after=row.run_at, now=now)
    day = local_day(row.run_at, cal.tz)
    away = await presence.availability(session, org_id=org_id, person_id=person.id)
    if day in cal.holidays:
        return Outcome(status="skipped", note="holiday")
    if away is not None and away.away_until is not None and day <= away.away_until:
        return Outcome(status="skipped", note="away")
    closes = window_end(row.run_at, tz=cal.tz, holidays=cal.holidays)
    if now >= closes:
        return Outcome(status="skipped", note="missed: the answer window closed during downtime")
    subject = day.isoformat()
    existing = await forms.by_subject(
        session, org_id=org_id, person_id=person.id, form_key=cycle.FORM_KEY, subject=subject
    )
    if existing is not None:
        return Outcome(status="done", note="answered early")
    form = await FormRunner(builtins=builtin_forms(), finishers={}).current(
        session, org_id=org_id, key=cycle.FORM_KEY
    )
    opened = await start(
        session, org_id=org_id, person_id=person.id, form=form, subject=subject, expires_at=closes, now=now
    )
    t = cycle.messages_for(ctx.catalogue, person, ctx.org.default_locale)
    hello = t("checkins.prompt", name=person.display_name, deadline=cycle.deadline(closes, cal.tz))
    reply = first_question(t, form, opened, before=(hello,))
    await cycle.send_dm(session, org_id=org_id, to=person, reply=reply, now=now)
    remind_at = reminder_time(row.run_at, closes=closes, tz=cal.tz)
    if remind_at is not None:
        await schedules.add_due(
            session, org_id=org_id, kind=cycle.REMINDER, subject=opened.id, run_at=remind_at, now=now
        )
    return Outcome(status="done")


async def reminder(ctx: JobContext, row: DueWork) -> Outcome:
    """One nudge, in working hours, to someone who has not answered and has not muted reminders."""
    session, org_id, now = ctx.session, ctx.org.id, ctx.now
    opened = await forms.by_id(session, org_id=org_id, session_id=row.subject)
    if opened is None or opened.completed_at is not None:
        return Outcome(status="skipped", note="answered")
    if opened.status != "open" or opened.expires_at <= now:
        return Outcome(status="skipped", note=f"check-in {opened.status}")
    person = await people.by_id(session, org_id=org_id, person_id=opened.person_id)
    away = await presence.availability(session, org_id=org_id, person_id=person.id)
    if away is not None and away.muted_until is not None and away.muted_until > now:
        return Outcome(status="skipped", note="muted")
    cal = await cycle.calendar(session, org_id=org_id, person=person, around=now)
    if not in_working_hours(now, tz=cal.tz, holidays=cal.holidays):
        return Outcome(status="skipped", note="outside working hours")
    t = cycle.messages_for(ctx.catalogue, person, ctx.org.default_locale)
    form = await FormRunner(builtins=builtin_forms(), finishers={}).definition(
        session, org_id=org_id, key=opened.form_key, version=opened.template_version
    )
    nudge = t("checkins.reminder", deadline=cycle.deadline(opened.expires_at, cal.tz))
    reply = ask(
        t, form, session_id=opened.id, step=opened.step, answers=dict(opened.answers), before=(nudge,)
    )
    await cycle.send_dm(session, org_id=org_id, to=person, reply=reply, now=now)
    return Outcome(status="done")


def jobs() -> dict:
    """The check-in kinds of due work and what runs them."""
    return {cycle.PROMPT: prompt, cycle.REMINDER: reminder}
