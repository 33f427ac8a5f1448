"""When the work around a review happens, relative to the meeting. Configurable per deployment
with RAPPORT_REVIEW_SELF_REVIEW_DAYS, RAPPORT_REVIEW_DIGEST_DAYS and RAPPORT_REVIEW_REMINDER_MINUTES."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from store import due_work
from store.review_models import ReviewMeeting

SELF_REVIEW = "review.self_review"
SELF_REMINDER = "review.self_reminder"
DIGEST = "review.digest"
REMINDER = "review.reminder"
PULSE = "review.pulse"
KINDS = (SELF_REVIEW, SELF_REMINDER, DIGEST, REMINDER, PULSE)


@dataclass(frozen=True, kw_only=True)
class Timing:
    self_review_days: int = 5
    digest_days: int = 3
    reminder_minutes: int = 60
    pulse_after: timedelta = timedelta(days=1)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Timing:
        """The defaults, overridden by whichever of the environment variables are set."""

        def number(name: str, default: int) -> int:
            value = environ.get(f"RAPPORT_REVIEW_{name}", "")
            return int(value) if value.strip().isdigit() else default

        return cls(
            self_review_days=number("SELF_REVIEW_DAYS", cls.self_review_days),
            digest_days=number("DIGEST_DAYS", cls.digest_days),
            reminder_minutes=number("REMINDER_MINUTES", cls.reminder_minutes),
        )


async def plan(session: AsyncSession, *, meeting: ReviewMeeting, timing: Timing, now: datetime) -> None:
    """Queue the meeting's work: what is already late runs at the next tick."""
    start, org_id = meeting.starts_at, meeting.org_id
    moments = {
        SELF_REVIEW: start - timedelta(days=timing.self_review_days),
        DIGEST: start - timedelta(days=timing.digest_days),
        REMINDER: start - timedelta(minutes=timing.reminder_minutes),
        PULSE: start + timedelta(minutes=meeting.minutes) + timing.pulse_after,
    }
    for kind, run_at in moments.items():
        await due_work.add_due(
            session, org_id=org_id, kind=kind, subject=meeting.id, run_at=max(run_at, now), now=now
        )


async def cancel(session: AsyncSession, *, meeting: ReviewMeeting, now: datetime) -> None:
    """Drop the meeting's pending work (it was cancelled, or moved and is planned again)."""
    for kind in KINDS:
        await due_work.cancel_pending(session, org_id=meeting.org_id, kind=kind, subject=meeting.id, now=now)
