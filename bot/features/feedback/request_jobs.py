"""Scheduled work of a feedback request: one reminder per respondent, and closing it at its deadline.

The reminder comes at 10:00 in the respondent's own time zone on the last working day before the
deadline's day there (or on that day itself when the request is short), at least two hours after they
were asked; never to someone who has answered or declined, is away or muted, or on a holiday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.feedback import request_release
from bot.features.feedback.request_common import (
    CLOSE_KIND,
    FORM,
    REMIND_KIND,
    about,
    decline_button,
    person_of,
    until,
)
from bot.forms import queue
from bot.forms.render import ask as ask_question
from bot.jobs import JobContext, Outcome
from bot.messaging import Messaging
from bot.replies import Reply, Text
from bot.workdays import (
    MIN_GAP_BEFORE_REMINDER,
    REMINDER_AT,
    in_working_hours,
    is_working_day,
    local_day,
    person_zone,
    zone_in,
)
from store import due_work, feedback_requests, forms, presence
from store.checkin_models import DueWork
from store.feedback_request_models import FeedbackAsk, FeedbackRequest
from store.models import Person


def reminder_at(*, asked_at: datetime, closes_at: datetime, tz, holidays: set[date]) -> datetime | None:
    """The one reminder's time (see the module docstring), or None when there is no good moment."""
    close_day = local_day(closes_at, tz)
    day = close_day - timedelta(days=1)
    while not is_working_day(day, holidays) and day > local_day(asked_at, tz):
        day -= timedelta(days=1)
    for candidate in (day, close_day):
        at = datetime.combine(candidate, REMINDER_AT, tzinfo=tz)
        if is_working_day(candidate, holidays) and asked_at + MIN_GAP_BEFORE_REMINDER <= at < closes_at:
            return at.astimezone(UTC)
    return None


async def plan(
    session: AsyncSession,
    *,
    org_id: int,
    request: FeedbackRequest,
    asked: list[tuple[FeedbackAsk, Person]],
    now: datetime,
) -> None:
    """Queue the request's closing and each respondent's reminder."""
    await due_work.add_due(
        session, org_id=org_id, kind=CLOSE_KIND, subject=request.id, run_at=request.closes_at, now=now
    )
    for ask, person in asked:
        tz = await zone_in(session, org_id=org_id, person=person)
        days = await presence.holidays(
            session, org_id=org_id, start=local_day(now, tz), end=local_day(request.closes_at, tz)
        )
        at = reminder_at(asked_at=now, closes_at=request.closes_at, tz=tz, holidays=days)
        if at is not None:
            await due_work.add_due(
                session, org_id=org_id, kind=REMIND_KIND, subject=ask.id, run_at=at, now=now
            )


async def remind(ctx: JobContext, row: DueWork) -> Outcome:
    """Nudge a respondent who has neither answered nor declined, with the question they are at."""
    ask = await feedback_requests.ask_by_id(ctx.session, org_id=ctx.org.id, ask_id=row.subject)
    if ask is None or ask.status != "asked":
        return Outcome(status="skipped", note=f"already {ask.status if ask else 'gone'}")
    request = await feedback_requests.by_id(ctx.session, org_id=ctx.org.id, request_id=ask.request_id)
    if request.status != "open" or request.closes_at <= ctx.now:
        return Outcome(status="skipped", note="request closed")
    person = await person_of(ctx, ask.respondent_id)
    if note := await _not_now(ctx, person):
        return Outcome(status="skipped", note=note)
    t = ctx.messages_for(person)
    requester = await person_of(ctx, request.requester_id)
    nudge = t(
        "feedback_request.reminder",
        requester=requester.display_name,
        about=about(t, request),
        until=until(t, request, ctx.zone_for(person)),
    )
    form_row = await forms.by_id(ctx.session, org_id=ctx.org.id, session_id=ask.session_id)
    if not await queue.offer(ctx.session, row=form_row, now=ctx.now):  # another form is being answered
        line = queue.waiting_line(
            t, form_key=FORM.key, expires_at=form_row.expires_at, timezone=ctx.zone_for(person), about=nudge
        )
        await ctx.send_dm(to=person, reply=Reply.text(line))
        return Outcome(status="done")
    question = ask_question(
        t, FORM, session_id=form_row.id, step=form_row.step, answers=dict(form_row.answers), before=(nudge,)
    )
    await ctx.send_dm(
        to=person, reply=Reply(parts=(*question.parts, *decline_button(t, request)), summary=nudge)
    )
    return Outcome(status="done")


async def _not_now(ctx: JobContext, person: Person) -> str | None:
    """Why a reminder must not go to this person now (muted, away, a holiday, after hours), or None."""
    tz = person_zone(person, ctx.org)
    today = local_day(ctx.now, tz)
    away = await presence.availability(ctx.session, org_id=ctx.org.id, person_id=person.id)
    if away is not None and away.muted_until is not None and away.muted_until > ctx.now:
        return "muted"
    if away is not None and away.away_until is not None and today <= away.away_until:
        return "away"
    days = await presence.holidays(ctx.session, org_id=ctx.org.id, start=today, end=today)
    if not in_working_hours(ctx.now, tz=tz, holidays=days):
        return "outside working hours"
    return None


async def close_job(ctx: JobContext, row: DueWork) -> Outcome:
    """The deadline: close the request (unless everyone answered or declined before)."""
    request = await feedback_requests.by_id(ctx.session, org_id=ctx.org.id, request_id=row.subject)
    if request is None or request.status != "open":
        return Outcome(status="skipped", note="closed early")
    asks = await feedback_requests.asks_of(ctx.session, org_id=ctx.org.id, request_id=request.id)
    await close(ctx, request, asks)
    return Outcome(status="done")


async def close(sender: Messaging, request: FeedbackRequest, asks: list[FeedbackAsk]) -> None:
    """Close a request: no more answers; a last release if enough are held; tell the requester."""
    request.status, request.closed_at = "closed", sender.now
    for ask in asks:
        if ask.status == "asked" and ask.session_id:
            row = await forms.by_id(sender.session, org_id=sender.org.id, session_id=ask.session_id)
            if row is not None and row.status in (*forms.LIVE, "cancelled"):
                forms.save(row, step=row.step, answers=row.answers, status="expired", now=sender.now)
    if request.anonymous:
        await request_release.release_and_tell(sender, request, asks)
    requester = await person_of(sender, request.requester_id)
    t = sender.messages_for(requester)
    answered = request_release.answered(asks)
    lines = [
        t(
            "feedback_request.closed_dm",
            id=request.id,
            about=about(t, request),
            answered=answered,
            asked=len(asks),
        )
    ]
    if request.anonymous and (waiting := len(request_release.held(asks))):
        lines.append(t("feedback_request.held_closed", count=waiting, threshold=request.threshold))
    lines.append(t("feedback_request.show_hint", id=request.id))
    await sender.send_dm(
        to=requester, reply=Reply(parts=tuple(Text(text=line) for line in lines), summary=lines[0])
    )
