"""Aggregate figures for HR: counts per group of people over a period, never anyone's words.

Each function is one GROUP BY over one organisation's rows of a period (indexes in
`store.dashboard_models`). People are grouped by department, by manager (the manager's team), or
all together, and may be narrowed to one department or one manager's team (`Grouping`). Every result
carries `people`: how many different people the figure is drawn from, so that the caller can hide a
figure that would point at someone. Definitions of what counts are in `bot.insights.definitions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, String, and_, case, cast, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.action_models import ActionItem
from store.checkin_models import DueWork, FormSession
from store.models import Person, in_org
from store.review_models import ReviewMeeting
from store.review_record_models import ReviewRecord

CHECKIN_FORM, CHECKIN_REMINDER, SELF_REVIEW_FORM = "checkin", "checkin.reminder", "self_review"
RECORD_PARTS = ("goals", "process", "lessons", "development")
AGREED_ACTIONS = (2, 3)
DAY = 86400


@dataclass(frozen=True, kw_only=True)
class Grouping:
    """Whose rows, and how they are grouped: `by` is "department", "manager" or "all"; `department`
    and `manager_id` narrow to one department or one manager's direct reports."""

    by: str = "department"
    department: str | None = None
    manager_id: int | None = None


def key_of(person, grouping: Grouping):
    if grouping.by == "department":
        return person.department
    if grouping.by == "manager":
        return person.manager_id
    return literal("all")


def scope_of(person, org_id: int, grouping: Grouping) -> list:
    where = [person.org_id == org_id]
    if grouping.department is not None:
        where.append(person.department == grouping.department)
    if grouping.manager_id is not None:
        where.append(person.manager_id == grouping.manager_id)
    return where


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _seconds(session: AsyncSession, later, earlier):
    """`later - earlier` in seconds, in the dialect's own date arithmetic."""
    if session.bind.dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * DAY


def _utc_day(session: AsyncSession, moment):
    if session.bind.dialect.name == "postgresql":
        return cast(func.timezone("UTC", moment), Date)
    return func.date(moment)


async def grouped(session: AsyncSession, query, names: tuple[str, ...]) -> dict[Any, dict[str, int]]:
    rows = await session.execute(query)
    return {
        row[0]: {name: int(value or 0) for name, value in zip(names, row[1:], strict=True)} for row in rows
    }


async def headcount(session: AsyncSession, *, org_id: int, grouping: Grouping) -> dict[Any, int]:
    """People in each group (erased people too: they were there)."""
    key = key_of(Person, grouping)
    rows = await session.execute(
        select(key, func.count(Person.id)).where(*scope_of(Person, org_id, grouping)).group_by(key)
    )
    return {group: count for group, count in rows}


async def checkins(
    session: AsyncSession, *, org_id: int, grouping: Grouping, start: date, end: date
) -> dict[Any, dict[str, int]]:
    """Check-ins whose cycle day is in [start, end): asked, answered, answered before the reminder."""
    reminder_at = (
        select(func.min(DueWork.run_at))
        .where(
            DueWork.org_id == org_id,
            DueWork.kind == CHECKIN_REMINDER,
            DueWork.subject == FormSession.id,
        )
        .scalar_subquery()
    )
    answered = FormSession.completed_at.is_not(None)
    on_time = and_(answered, or_(reminder_at.is_(None), FormSession.completed_at < reminder_at))
    key = key_of(Person, grouping)
    query = (
        select(
            key,
            func.count(func.distinct(FormSession.person_id)),
            func.count(FormSession.id),
            _count_if(answered),
            _count_if(on_time),
        )
        .join(Person, Person.id == FormSession.person_id)
        .where(
            *scope_of(Person, org_id, grouping),
            FormSession.org_id == org_id,
            FormSession.form_key == CHECKIN_FORM,
            FormSession.subject >= start.isoformat(),
            FormSession.subject < end.isoformat(),
        )
        .group_by(key)
    )
    return await grouped(session, query, ("people", "asked", "answered", "on_time"))


def _meeting_subject():
    return literal("review:") + cast(ReviewMeeting.id, String)


async def reviews(
    session: AsyncSession, *, org_id: int, grouping: Grouping, start: datetime, end: datetime
) -> dict[Any, dict[str, int]]:
    """Reviews (not cancelled) starting in [start, end), grouped by the employee."""
    record_at = (
        select(func.min(ReviewRecord.created_at))
        .where(ReviewRecord.org_id == org_id, ReviewRecord.meeting_id == ReviewMeeting.id)
        .scalar_subquery()
    )
    self_review = (
        select(func.count(FormSession.id))
        .where(
            FormSession.org_id == org_id,
            FormSession.person_id == ReviewMeeting.employee_id,
            FormSession.form_key == SELF_REVIEW_FORM,
            FormSession.subject == _meeting_subject(),
            FormSession.completed_at.is_not(None),
        )
        .scalar_subquery()
    )
    held = ReviewMeeting.status == "held"
    key = key_of(Person, grouping)
    query = (
        select(
            key,
            func.count(func.distinct(ReviewMeeting.employee_id)),
            func.count(ReviewMeeting.id),
            _count_if(held),
            _count_if(and_(held, _seconds(session, record_at, ReviewMeeting.starts_at) <= 2 * DAY)),
            _count_if(_seconds(session, ReviewMeeting.starts_at, ReviewMeeting.scheduled_at) >= 3 * DAY),
            _count_if(self_review > 0),
        )
        .join(Person, Person.id == ReviewMeeting.employee_id)
        .where(
            *scope_of(Person, org_id, grouping),
            ReviewMeeting.org_id == org_id,
            ReviewMeeting.status != "cancelled",
            ReviewMeeting.starts_at >= start,
            ReviewMeeting.starts_at < end,
        )
        .group_by(key)
    )
    names = ("people", "scheduled", "held", "held_on_time", "ahead", "self_reviews")
    return await grouped(session, query, names)


def _agreed_actions(org_id: int, *, dated: bool):
    where = [
        ActionItem.org_id == org_id,
        ActionItem.source == "review",
        ActionItem.source_ref == cast(ReviewMeeting.id, String),
    ]
    if dated:
        where.append(ActionItem.due_on.is_not(None))
    return select(func.count(ActionItem.id)).where(*where).scalar_subquery()


async def records(
    session: AsyncSession, *, org_id: int, grouping: Grouping, start: datetime, end: datetime
) -> dict[Any, dict[str, int]]:
    """Records of reviews held in [start, end): four parts filled, two or three dated actions, answered."""
    parts = and_(
        *(
            func.length(func.trim(func.coalesce(ReviewRecord.parts[part].as_string(), ""))) > 0
            for part in RECORD_PARTS
        )
    )
    agreed = _agreed_actions(org_id, dated=False)
    actions_ok = and_(agreed.between(*AGREED_ACTIONS), _agreed_actions(org_id, dated=True) == agreed)
    answered = ReviewRecord.response.in_(("confirmed", "commented"))
    key = key_of(Person, grouping)
    query = (
        select(
            key,
            func.count(func.distinct(ReviewMeeting.employee_id)),
            func.count(ReviewRecord.id),
            _count_if(parts),
            _count_if(actions_ok),
            _count_if(answered),
            _count_if(and_(parts, actions_ok, answered)),
        )
        .join(ReviewRecord, and_(ReviewRecord.meeting_id == ReviewMeeting.id, ReviewRecord.org_id == org_id))
        .join(Person, Person.id == ReviewMeeting.employee_id)
        .where(
            *scope_of(Person, org_id, grouping),
            ReviewMeeting.org_id == org_id,
            ReviewMeeting.status == "held",
            ReviewMeeting.starts_at >= start,
            ReviewMeeting.starts_at < end,
        )
        .group_by(key)
    )
    names = ("people", "records", "parts_filled", "actions_agreed", "answered", "complete")
    return await grouped(session, query, names)


async def actions(
    session: AsyncSession, *, org_id: int, grouping: Grouping, start: date, end: date, today: date
) -> dict[Any, dict[str, int]]:
    """Actions due in [start, end), grouped by their owner: done by the due date, late, overdue, dropped."""
    done = ActionItem.status == "done"
    closed_on = _utc_day(session, ActionItem.closed_at)
    key = key_of(Person, grouping)
    query = (
        select(
            key,
            func.count(func.distinct(ActionItem.owner_id)),
            func.count(ActionItem.id),
            _count_if(and_(done, closed_on <= ActionItem.due_on)),
            _count_if(and_(done, closed_on > ActionItem.due_on)),
            _count_if(and_(ActionItem.status.in_(("proposed", "open")), ActionItem.due_on < today)),
            _count_if(ActionItem.status == "dropped"),
        )
        .join(Person, Person.id == ActionItem.owner_id)
        .where(
            *scope_of(Person, org_id, grouping),
            ActionItem.org_id == org_id,
            ActionItem.due_on >= start,
            ActionItem.due_on < end,
        )
        .group_by(key)
    )
    names = ("people", "due", "done_on_time", "done_late", "overdue", "dropped")
    return await grouped(session, query, names)


async def names(session: AsyncSession, *, org_id: int, ids: list[int]) -> dict[int, str]:
    """The names of a few people (managers whose teams are rows)."""
    if not ids:
        return {}
    rows = await session.execute(
        select(Person.id, Person.display_name).where(in_org(Person.org_id, org_id), Person.id.in_(ids))
    )
    return dict(rows.all())
