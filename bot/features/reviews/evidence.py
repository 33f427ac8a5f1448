"""Everything a digest says, gathered for one meeting with a handful of indexed, per-person queries.

Days of what someone wrote are the writer's own (the same in every view of it); the meeting and what is
due are in the reader's time zone (the manager's for the digest). What the reader may not see by
`bot.access` is left out here, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.access import can_view_action, can_view_checkin, can_view_feedback, can_view_self_review
from bot.answers import says_something
from bot.workdays import person_zone
from store import actions, forms, review_evidence, review_records
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
class Dated:
    """One piece of evidence and the day it happened (in the reader's time zone)."""

    day: date
    text: str = ""
    value: Any = None
    who: str = ""


@dataclass(frozen=True, kw_only=True)
class Evidence:
    meeting: ReviewMeeting
    employee: Person
    manager: Person
    tz: ZoneInfo
    today: date
    moods: list[Dated] = field(default_factory=list)
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
    goals: list = field(default_factory=list)  # issue 18: bot.features.goals.evidence.GoalEvidence


async def period_start(
    session: AsyncSession, *, meeting: ReviewMeeting
) -> tuple[datetime, ReviewMeeting | None]:
    """The period a review covers starts at the previous held review (or a quarter back)."""
    previous = await review_records.previous_held(
        session, org_id=meeting.org_id, employee_id=meeting.employee_id, before=meeting.starts_at
    )
    return (previous.starts_at if previous else meeting.starts_at - DEFAULT_PERIOD), previous


async def gather(
    session: AsyncSession, *, meeting: ReviewMeeting, employee: Person, manager: Person, now: datetime
) -> Evidence:
    """The evidence for `manager` (the reader) about `employee`'s period before `meeting`.

    What someone wrote is dated by the day where its writer was (a check-in written at 00:10 in
    Shanghai is of 12 December for the manager in London too, as in the employee's own self-review);
    the meeting and what is due, by the reader's."""
    org = await session.get(Organisation, meeting.org_id)
    assert org is not None
    org_id, tz, writer = org.id, person_zone(manager, org), person_zone(employee, org)
    since, previous = await period_start(session, meeting=meeting)
    until = max(now, since)
    found: dict[str, Any] = {"previous": previous, "prep": None}
    checkins = await review_evidence.finished_forms(
        session, org_id=org_id, person_id=employee.id, form_key=CHECKIN_FORM, since=since, until=until
    )
    written_to_them = [c for c in checkins if can_view_checkin(manager, employee, written_at=c.completed_at)]
    found |= _from_checkins(written_to_them, writer)
    kudos = await review_evidence.kudos_received(
        session, org_id=org_id, person_id=employee.id, since=since, until=until
    )
    found["kudos"] = [
        _day(
            k.created_at,
            person_zone(g, org),
            text=k.message,
            value=list(k.company_values),
            who=g.display_name,
        )
        for k, g in kudos
    ]
    feedback = await review_evidence.feedback_received(
        session, org_id=org_id, person_id=employee.id, since=since, until=until
    )
    found["feedback"] = [
        _day(f.created_at, person_zone(g, org), text=f.text, who=g.display_name)
        for f, g in feedback
        if can_view_feedback(manager, f)
    ]
    if previous is not None:
        found["actions"] = await review_evidence.review_actions(
            session, org_id=org_id, owner_ids=[employee.id, manager.id], meeting_id=previous.id
        )
    found["overdue"] = await _overdue(
        session,
        org_id=org_id,
        manager=manager,
        employee=employee,
        today=now.astimezone(tz).date(),
        agreed=found.get("actions", []),
    )
    found["goals"] = await _goals(session, org_id=org_id, employee_id=employee.id, since=since, until=until)
    if can_view_self_review(manager, meeting, employee):
        found["self_review"] = await self_review(session, meeting=meeting, employee=employee, tz=writer)
        found["prep"] = await review_records.prep(session, org_id=org_id, meeting_id=meeting.id)
    return Evidence(
        meeting=meeting, employee=employee, manager=manager, tz=tz, today=now.astimezone(tz).date(), **found
    )


async def _goals(session: AsyncSession, **where: Any) -> list:
    """The employee's goals of the period (issue 18)."""
    # Imported here: `bot.features` (which holds goals) imports `bot.reviews`.
    from bot.features.goals import evidence as goal_evidence

    return await goal_evidence.gather(session, **where)


async def self_review(
    session: AsyncSession, *, meeting: ReviewMeeting, employee: Person, tz: ZoneInfo
) -> Dated | None:
    """The employee's finished self-review for this meeting, if she has sent it."""
    row = await self_review_of(session, meeting=meeting)
    if row is None or row.completed_at is None:
        return None
    return _day(row.completed_at, tz, value=dict(row.answers))


async def _overdue(
    session: AsyncSession,
    *,
    org_id: int,
    manager: Person,
    employee: Person,
    today: date,
    agreed: list[ActionItem],
) -> list[ActionItem]:
    """The employee's open actions past their due date that the manager may see, other than those
    agreed at the previous review (the digest shows those with what became of them)."""
    shown = {action.id for action in agreed}
    rows = await actions.owned_by(session, org_id=org_id, owner_ids=[employee.id], statuses=("open",))
    return [
        action
        for action, owner in rows
        if action.id not in shown
        and action.due_on is not None
        and action.due_on < today
        and can_view_action(manager, action, owner)
    ]


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


def _day(moment: datetime, tz: ZoneInfo, **kwargs: Any) -> Dated:
    return Dated(day=moment.astimezone(tz).date(), **kwargs)


def _from_checkins(rows: list, tz: ZoneInfo) -> dict[str, list[Dated]]:
    out: dict[str, list[Dated]] = {
        "moods": [],
        "priorities": [],
        "went_well": [],
        "hard": [],
        "blockers": [],
        "support": [],
    }
    for row in rows:
        answers, day = row.answers, row.completed_at.astimezone(tz).date()
        if isinstance(answers.get("mood"), int):
            out["moods"].append(Dated(day=day, value=answers["mood"]))
        for key, name in (
            ("priorities", "priorities"),
            ("went_well", "went_well"),
            ("hard", "hard"),
            ("for_manager", "support"),
        ):
            if says_something(answers.get(key)):
                out[name].append(Dated(day=day, text=str(answers[key])))
        if answers.get("blocked") == "yes" and says_something(answers.get("blocker")):
            out["blockers"].append(Dated(day=day, text=str(answers["blocker"])))
    return out
