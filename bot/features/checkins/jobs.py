"""Scheduled check-in work: the prompt that opens a check-in, and its one reminder.

Prompts come due by the thousand (everyone asked on Monday at 09:00), so they also run as a batch
(`prompt_many`): the same rules as `prompt`, decided in Python over a handful of reads, written with
bulk inserts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Row

from bot import workdays
from bot.features.checkins import cycle
from bot.features.checkins.cadence import next_run, reminder_time, window_end
from bot.forms import engine, queue
from bot.forms.builtin import builtin_forms
from bot.forms.definition import FormDefinition
from bot.forms.render import ask
from bot.forms.session import FormRunner, first_question, start
from bot.jobs import JobContext, Outcome
from bot.replies import Reply
from bot.workdays import in_working_hours, local_day, person_zone
from store import due_work, forms, people, presence, schedules
from store.checkin_models import DueWork, FormSession


async def prompt(ctx: JobContext, row: DueWork) -> Outcome:
    """Open the person's check-in and DM its first question, unless they are away, it is a holiday,
    or the window has already closed (after downtime); plan the next prompt either way."""
    session, org_id, now = ctx.session, ctx.org.id, ctx.now
    person = await people.by_id(session, org_id=org_id, person_id=row.subject)
    plan = await schedules.schedule_of(session, org_id=org_id, person_id=row.subject)
    if person is None or plan is None:
        return Outcome(status="skipped", note="no schedule")
    cal = await workdays.calendar(session, org_id=org_id, person=person, around=row.run_at)
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
    t = ctx.messages_for(person)
    if await queue.offer(session, row=opened, now=now):
        hello = t("checkins.prompt", name=person.display_name, deadline=cycle.deadline(t, closes, cal.tz))
        reply = first_question(t, form, opened, before=(hello,))
    else:  # another form is being answered: this one waits its turn
        reply = Reply.text(_waiting(t, opened, ctx.zone_for(person)))
    await ctx.send_dm(to=person, reply=reply, expires_at=closes)
    remind_at = reminder_time(row.run_at, closes=closes, tz=cal.tz)
    if remind_at is not None:
        opened.remind_at = remind_at  # HR's figures: answered before it, or not
        await due_work.add_due(
            session, org_id=org_id, kind=cycle.REMINDER, subject=opened.id, run_at=remind_at, now=now
        )
    return Outcome(status="done")


async def reminder(ctx: JobContext, row: DueWork) -> Outcome:
    """One nudge, in working hours, to someone who has not answered and has not muted reminders."""
    session, org_id, now = ctx.session, ctx.org.id, ctx.now
    opened = await forms.by_id(session, org_id=org_id, session_id=row.subject)
    if opened is None or opened.completed_at is not None:
        return Outcome(status="skipped", note="answered")
    if opened.status not in forms.LIVE or opened.expires_at <= now:
        return Outcome(status="skipped", note=f"check-in {opened.status}")
    person = await people.by_id(session, org_id=org_id, person_id=opened.person_id)
    away = await presence.availability(session, org_id=org_id, person_id=person.id)
    if away is not None and away.muted_until is not None and away.muted_until > now:
        return Outcome(status="skipped", note="muted")
    cal = await workdays.calendar(session, org_id=org_id, person=person, around=now)
    if not in_working_hours(now, tz=cal.tz, holidays=cal.holidays):
        return Outcome(status="skipped", note="outside working hours")
    t = ctx.messages_for(person)
    if not await queue.offer(session, row=opened, now=now):  # still waiting behind another form
        await ctx.send_dm(to=person, reply=Reply.text(_waiting(t, opened, ctx.zone_for(person))))
        return Outcome(status="done")
    form = await FormRunner(builtins=builtin_forms(), finishers={}).definition(
        session, org_id=org_id, key=opened.form_key, version=opened.template_version
    )
    nudge = t("checkins.reminder", deadline=cycle.deadline(t, opened.expires_at, cal.tz))
    reply = ask(
        t, form, session_id=opened.id, step=opened.step, answers=dict(opened.answers), before=(nudge,)
    )
    await ctx.send_dm(to=person, reply=reply, expires_at=opened.expires_at)
    return Outcome(status="done")


def _waiting(t, opened: FormSession, timezone: str) -> str:
    return queue.waiting_line(t, form_key=opened.form_key, expires_at=opened.expires_at, timezone=timezone)


@dataclass(frozen=True, kw_only=True)
class _Due:
    """One due prompt with what deciding it needs: whose it is, their calendar, the window it opens."""

    row: DueWork
    person: Row  # id, display_name, locale, timezone (and the schedule: `schedules.with_people`)
    tz: ZoneInfo
    day: date
    holidays: frozenset[date]
    closes: datetime


async def prompt_many(ctx: JobContext, rows: list[DueWork]) -> dict[int, Outcome]:
    """`prompt` for many rows of one organisation, with the same outcomes, in a few queries.

    A person with two rows in the batch (prompts missed during downtime) has the later ones run one
    by one after the batch, so that each sees what the one before wrote.
    """
    session, org_id, now = ctx.session, ctx.org.id, ctx.now
    seen: set[int] = set()
    first = [r for r in rows if not (r.subject in seen or seen.add(r.subject))]
    known = await schedules.with_people(session, org_id=org_id, person_ids=[r.subject for r in first])
    outcomes = {r.id: Outcome(status="skipped", note="no schedule") for r in first if r.subject not in known}
    due = await _calendars(ctx, [r for r in first if r.subject in known], known)
    away = await presence.availability_of(session, org_id=org_id, person_ids=[d.person.id for d in due])
    to_open = []
    for d in due:
        outcome = _skip(d, away.get(d.person.id), now)
        if outcome is None:
            to_open.append(d)
        else:
            outcomes[d.row.id] = outcome
    wanted = [(d.person.id, d.day.isoformat()) for d in to_open]
    taken = await forms.subjects_taken(session, org_id=org_id, form_key=cycle.FORM_KEY, wanted=wanted)
    for d in to_open:
        if (d.person.id, d.day.isoformat()) in taken:
            outcomes[d.row.id] = Outcome(status="done", note="answered early")
    await _open_many(ctx, [d for d in to_open if d.row.id not in outcomes])
    outcomes.update({d.row.id: Outcome(status="done") for d in to_open if d.row.id not in outcomes})
    for row in rows:
        if row.id not in outcomes:
            outcomes[row.id] = await prompt(ctx, row)
    return outcomes


async def _calendars(ctx: JobContext, rows: list[DueWork], known: dict[int, Row]) -> list[_Due]:
    """Each row's calendar (from one holiday query for the batch); plans each person's next prompt."""
    if not rows:
        return []
    zones = {r.id: person_zone(known[r.subject], ctx.org) for r in rows}
    days = {r.id: local_day(r.run_at, zones[r.id]) for r in rows}
    found = await presence.holidays(
        ctx.session,
        org_id=ctx.org.id,
        start=min(days.values()) - timedelta(days=1),
        end=max(days.values()) + timedelta(days=workdays.CALENDAR_DAYS),
    )
    around: dict[date, frozenset[date]] = {}
    following: dict[tuple, datetime] = {}  # many people share a cadence, a zone and a time
    due, work = [], []
    for r in rows:
        person = known[r.subject]
        tz, day = zones[r.id], days[r.id]
        if day not in around:
            last = day + timedelta(days=workdays.CALENDAR_DAYS)
            around[day] = frozenset(h for h in found if day - timedelta(days=1) <= h <= last)
        cadence = cycle.cadence_of(person)
        key = (cadence, tz.key, r.run_at)
        if key not in following:
            following[key] = next_run(cadence, tz=tz, after=r.run_at)
        work.append((r.subject, following[key]))
        closes = window_end(r.run_at, tz=tz, holidays=around[day])
        due.append(_Due(row=r, person=person, tz=tz, day=day, holidays=around[day], closes=closes))
    await due_work.add_due_many(ctx.session, org_id=ctx.org.id, kind=cycle.PROMPT, work=work, now=ctx.now)
    return due


def _skip(d: _Due, away, now: datetime) -> Outcome | None:
    """Why a prompt is not sent (holiday, away, its window closed during downtime), or None."""
    if d.day in d.holidays:
        return Outcome(status="skipped", note="holiday")
    if away is not None and away.away_until is not None and d.day <= away.away_until:
        return Outcome(status="skipped", note="away")
    if now >= d.closes:
        return Outcome(status="skipped", note="missed: the answer window closed during downtime")
    return None


async def _open_many(ctx: JobContext, due: list[_Due]) -> None:
    """Open each person's check-in, queue its first question as a DM (or, for someone answering
    another form, the line saying it waits: `bot.forms.queue`), and plan its reminder."""
    if not due:
        return
    session, org_id, now = ctx.session, ctx.org.id, ctx.now
    form = await FormRunner(builtins=builtin_forms(), finishers={}).current(
        session, org_id=org_id, key=cycle.FORM_KEY
    )
    state = engine.start(form)
    behind = await _turns(ctx, due)
    remind = [reminder_time(d.row.run_at, closes=d.closes, tz=d.tz) for d in due]
    opened = [
        {
            "person_id": d.person.id,
            "form_key": form.key,
            "version": form.version,
            "subject": d.day.isoformat(),
            "step": state.step,
            "answers": state.answers,
            "status": "waiting" if d.person.id in behind else "open",
            "queued": behind[d.person.id][2] if d.person.id in behind else 0,
            "expires_at": d.closes,
            "remind_at": remind_at,  # HR's figures: answered before it, or not
            "now": now,
        }
        for d, remind_at in zip(due, remind, strict=True)
    ]
    made = await forms.create_sessions(session, org_id=org_id, rows=opened)
    ids = [made[(d.person.id, d.day.isoformat())] for d in due]
    await _queue_prompts(ctx, due, ids, form=form, state=state, behind=behind)
    reminders, watched = [], []
    for d, session_id, remind_at in zip(due, ids, remind, strict=True):
        if remind_at is not None:
            reminders.append((session_id, remind_at))
        if d.person.id in behind:
            watched += [(session_id, d.closes), behind[d.person.id][:2]]
    await due_work.add_due_many(session, org_id=org_id, kind=cycle.REMINDER, work=reminders, now=now)
    await due_work.add_due_many(session, org_id=org_id, kind=queue.EXPIRY, work=watched, now=now)


async def _turns(ctx: JobContext, due: list[_Due]) -> dict[int, tuple[int, datetime, int]]:
    """`queue.offer` for the batch, in one read: the people answering another form, each with that
    form's id and expiry and the place their check-in takes among the forms waiting (it waits
    behind it). A form left open past its window with nothing behind it is closed on the way (one
    write for all)."""
    live = await forms.live_among(ctx.session, org_id=ctx.org.id, person_ids=[d.person.id for d in due])
    behind, closing = {}, []
    for person_id, rows in live.items():
        active = next(((id_, expires_at) for id_, status, expires_at, _ in rows if status == "open"), None)
        if active is not None and active[1] <= ctx.now and len(rows) == 1:
            closing.append(active[0])
        elif active is not None:
            behind[person_id] = (*active, max(queued for *_, queued in rows) + 1)
    await forms.expire_many(ctx.session, org_id=ctx.org.id, ids=closing, now=ctx.now)
    return behind


async def _queue_prompts(
    ctx: JobContext,
    due: list[_Due],
    ids: list[int],
    *,
    form: FormDefinition,
    state: engine.State,
    behind: dict[int, tuple[int, datetime, int]],
) -> None:
    """The first question of each new session, as a DM on the person's first platform (the line
    saying it waits, for those `behind` another form)."""
    await ctx.learn_reach([d.person.id for d in due])
    deadlines = {}
    for d, session_id in zip(due, ids, strict=True):
        t = ctx.messages_for(d.person)
        if d.person.id in behind:
            reply = Reply.text(
                queue.waiting_line(t, form_key=form.key, expires_at=d.closes, timezone=d.tz.key)
            )
        else:
            key = (d.closes, d.tz, t.locale)
            if key not in deadlines:
                deadlines[key] = cycle.deadline(t, d.closes, d.tz)
            hello = t("checkins.prompt", name=d.person.display_name, deadline=deadlines[key])
            reply = ask(
                t, form, session_id=session_id, step=state.step, answers=dict(state.answers), before=(hello,)
            )
        # Of no use once the window it asks about has closed.
        await ctx.send_dm(to=d.person, reply=reply, expires_at=d.closes)
