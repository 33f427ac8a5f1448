"""Everything a digest says, gathered for one meeting with a handful of indexed, per-person queries.

Days of what someone wrote are the writer's own (the same in every view of it); the meeting and what is
due are in the reader's time zone (the manager's for the digest). What the reader may not see by
`bot.access` is left out here, before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.access import can_view_self_review
from bot.evidence import NOTHING, Dated, Part, Period, Source, dated
from bot.workdays import person_zone
from store import forms, review_records
from store.action_models import ActionItem
from store.checkin_models import FormSession
from store.models import Organisation, Person
from store.review_models import ReviewMeeting
from store.review_record_models import ReviewPrep

CHECKIN_FORM = "checkin"
SELF_REVIEW_FORM = "self_review"
DRAFT_FORM = "review_draft"
DEFAULT_PERIOD = timedelta(weeks=13)  # a quarter, when there was no earlier review


@dataclass(frozen=True, kw_only=True)
class Evidence:
    meeting: ReviewMeeting
    employee: Person
    manager: Person
    tz: ZoneInfo
    today: date
    moods: list[Dated] = field(default_factory=list)  # check-ins (`bot.features.checkins.evidence`)
    priorities: list[Dated] = field(default_factory=list)
    went_well: list[Dated] = field(default_factory=list)
    hard: list[Dated] = field(default_factory=list)  # "What was hard this week?"
    blockers: list[Dated] = field(default_factory=list)
    support: list[Dated] = field(default_factory=list)
    kudos: list[Dated] = field(default_factory=list)  # value: the kudos' company values
    feedback: list[Dated] = field(default_factory=list)
    previous: ReviewMeeting | None = None
    actions: list[ActionItem] = field(default_factory=list)  # agreed at the previous review
    overdue: list[ActionItem] = field(default_factory=list)  # the employee's others past their day
    self_review: Dated | None = None  # value: the answers
    prep: ReviewPrep | None = None
    goals: Part = NOTHING  # issue 18: its lines, agenda topics and self-review summary
    development: Part = NOTHING  # issue 18: her development plan, in the development section
    more: dict[str, Any] = field(default_factory=dict)  # pieces a feature adds that have no field here


FIELDS = frozenset(f.name for f in fields(Evidence))


async def period_start(
    session: AsyncSession, *, meeting: ReviewMeeting
) -> tuple[datetime, ReviewMeeting | None]:
    """The period a review covers starts at the previous held review (or a quarter back)."""
    previous = await review_records.previous_held(
        session, org_id=meeting.org_id, employee_id=meeting.employee_id, before=meeting.starts_at
    )
    return (previous.starts_at if previous else meeting.starts_at - DEFAULT_PERIOD), previous


async def gather(
    session: AsyncSession,
    *,
    sources: Mapping[str, Source],
    meeting: ReviewMeeting,
    employee: Person,
    manager: Person,
    now: datetime,
) -> Evidence:
    """The evidence for `manager` (the reader) about `employee`'s period before `meeting`: what each
    feature registered (`sources`, `router.evidence`) gathers, and the review's own (the previous
    review, her self-review and his preparation).

    What someone wrote is dated by the day where its writer was (a check-in written at 00:10 in
    Shanghai is of 12 December for the manager in London too, as in the employee's own self-review);
    the meeting and what is due, by the reader's."""
    org = await session.get(Organisation, meeting.org_id)
    assert org is not None
    tz, writer = person_zone(manager, org), person_zone(employee, org)
    since, previous = await period_start(session, meeting=meeting)
    period = Period(
        session=session,
        org=org,
        meeting=meeting,
        employee=employee,
        reader=manager,
        since=since,
        until=max(now, since),
        now=now,
        tz=tz,
        previous=previous,
    )
    found: dict[str, Any] = {"previous": previous, "prep": None}
    for name, source in sources.items():
        pieces = await source.gather(period)
        if twice := set(pieces) & (set(found) | {"self_review"}):
            raise ValueError(f"evidence {name!r} gathers {sorted(twice)}, which are gathered already")
        found |= pieces
    if can_view_self_review(manager, meeting, employee):
        found["self_review"] = await self_review(session, meeting=meeting, employee=employee, tz=writer)
        found["prep"] = await review_records.prep(session, org_id=meeting.org_id, meeting_id=meeting.id)
    more = {key: found.pop(key) for key in set(found) - FIELDS}
    return Evidence(
        meeting=meeting,
        employee=employee,
        manager=manager,
        tz=tz,
        today=now.astimezone(tz).date(),
        more=more,
        **found,
    )


async def self_review(
    session: AsyncSession, *, meeting: ReviewMeeting, employee: Person, tz: ZoneInfo
) -> Dated | None:
    """The employee's finished self-review for this meeting, if she has sent it."""
    row = await self_review_of(session, meeting=meeting)
    if row is None or row.completed_at is None:
        return None
    return dated(row.completed_at, tz, value=dict(row.answers))


def subject(meeting: ReviewMeeting) -> str:
    """The form-session subject of everything filled in for one meeting."""
    return f"review:{meeting.id}"


async def self_review_of(session: AsyncSession, *, meeting: ReviewMeeting) -> FormSession | None:
    """The employee's self-review session for the meeting, in whatever state it is."""
    return await forms.by_subject(
        session,
        org_id=meeting.org_id,
        person_id=meeting.employee_id,
        form_key=SELF_REVIEW_FORM,
        subject=subject(meeting),
    )
