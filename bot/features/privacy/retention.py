"""Retention: check-in answers older than the organisation's `retention_months` are removed, daily.

The rows stay (a check-in was answered, and on time or not, still counts); their words go.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.checkins import cycle
from bot.jobs import JobContext, Outcome
from store import due_work, erasure
from store.checkin_models import DueWork

KIND = "privacy.retention"
RUN_AT = time(3, 0)  # UTC, a quiet hour


def cutoff(now: datetime, months: int) -> datetime:
    """`months` calendar months before `now`, the day clamped to that month's length."""
    year, month0 = divmod(now.year * 12 + now.month - 1 - months, 12)
    day = min(now.day, calendar.monthrange(year, month0 + 1)[1])
    return now.replace(year=year, month=month0 + 1, day=day)


async def apply_retention(session: AsyncSession, *, org_id: int, months: int | None, now: datetime) -> int:
    """Remove check-in answers older than `months`; how many check-ins lost their answers."""
    if not months:
        return 0
    return await erasure.scrub_answers_before(
        session, org_id=org_id, form_key=cycle.FORM_KEY, before=cutoff(now, months)
    )


async def plan(session: AsyncSession, *, org_id: int, now: datetime) -> None:
    """Schedule the next daily run (at most one pending)."""
    await due_work.cancel_pending(session, org_id=org_id, kind=KIND, subject=org_id, now=now)
    tomorrow = datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), RUN_AT, tzinfo=UTC)
    await due_work.add_due(session, org_id=org_id, kind=KIND, subject=org_id, run_at=tomorrow, now=now)


async def retention_job(ctx: JobContext, row: DueWork) -> Outcome:
    if not ctx.org.retention_months:
        return Outcome(status="skipped", note="retention is off")
    removed = await apply_retention(
        ctx.session, org_id=ctx.org.id, months=ctx.org.retention_months, now=ctx.now
    )
    await plan(ctx.session, org_id=ctx.org.id, now=ctx.now)
    return Outcome(status="done", note=f"answers removed from {removed} check-ins")
