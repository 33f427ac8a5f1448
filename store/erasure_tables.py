"""What erasure does to each table that points at a person, and the registry of it, `ERASERS`.

A test fails when a table with a foreign key to `person` is missing from `ERASERS`, so a new feature
cannot forget its data. Rows that counts need (a kudos given, a check-in answered on time, a review
held) stay, with their words removed; rows that only serve the person (identities, schedules) go.
`store.erasure.erase` runs every step.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy import Table, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.accounts import TableNames, WithAccountTables, erase_accounts
from store.action_models import ActionEvent, ActionItem
from store.checkin_models import Availability, CheckinSchedule, FormSession, Signal
from store.dashboard_models import DashboardLink, DashboardSession
from store.feedback_models import Feedback
from store.feedback_request_models import FeedbackAsk, FeedbackRequest
from store.goal_erasure import erase_development_goals, erase_goals
from store.goal_models import GoalUpdate, Objective
from store.models import Identity, Kudos, KudosRecipient, OutboxMessage, Person
from store.review_models import PersonRole, ReviewMeeting
from store.review_record_models import ReviewPrep, ReviewRecord

TOMBSTONE_NAME = "—"


Eraser = Callable[[AsyncSession, int, int], Awaitable[None]]


async def _person(session: AsyncSession, org_id: int, person_id: int) -> None:
    await session.execute(
        update(Person)
        .where(Person.org_id == org_id, Person.id == person_id)
        .values(display_name=TOMBSTONE_NAME, email=None, handle=None, timezone=None, locale=None)
    )


def _deleting(model, column) -> Eraser:
    async def erase(session: AsyncSession, org_id: int, person_id: int) -> None:
        await session.execute(delete(model).where(model.org_id == org_id, column == person_id))

    return erase


async def _kudos(session: AsyncSession, org_id: int, person_id: int) -> None:
    given = Kudos.giver_id == person_id
    recipients = select(func.count()).where(KudosRecipient.kudos_id == Kudos.id).scalar_subquery()
    mine = select(KudosRecipient.kudos_id).where(KudosRecipient.person_id == person_id)
    sole = Kudos.id.in_(mine) & (recipients == 1)
    await session.execute(update(Kudos).where(Kudos.org_id == org_id, given | sole).values(message=""))


async def _feedback(session: AsyncSession, org_id: int, person_id: int) -> None:
    theirs = or_(Feedback.giver_id == person_id, Feedback.recipient_id == person_id)
    await session.execute(
        update(Feedback).where(Feedback.org_id == org_id, theirs).values(text="", reply=None)
    )


async def _form_sessions(session: AsyncSession, org_id: int, person_id: int) -> None:
    await session.execute(
        update(FormSession)
        .where(FormSession.org_id == org_id, FormSession.person_id == person_id)
        .values(answers={}, finished_answers=None)
    )


async def _signals(session: AsyncSession, org_id: int, person_id: int) -> None:
    await session.execute(
        update(Signal).where(Signal.org_id == org_id, Signal.person_id == person_id).values(detail={})
    )


async def _actions(session: AsyncSession, org_id: int, person_id: int) -> None:
    theirs = or_(ActionItem.owner_id == person_id, ActionItem.creator_id == person_id)
    ids = select(ActionItem.id).where(ActionItem.org_id == org_id, theirs)
    await session.execute(
        update(ActionEvent)
        .where(
            ActionEvent.org_id == org_id,
            or_(ActionEvent.action_id.in_(ids), ActionEvent.actor_id == person_id),
        )
        .values(detail={})
    )
    await session.execute(update(ActionItem).where(ActionItem.org_id == org_id, theirs).values(title=""))


async def _reviews(session: AsyncSession, org_id: int, person_id: int) -> None:
    theirs = or_(ReviewMeeting.employee_id == person_id, ReviewMeeting.scheduled_by_id == person_id)
    await session.execute(
        update(ReviewMeeting).where(ReviewMeeting.org_id == org_id, theirs).values(cancel_reason=None)
    )


def _their_meetings(org_id: int, person_id: int):
    return select(ReviewMeeting.id).where(
        ReviewMeeting.org_id == org_id,
        or_(ReviewMeeting.employee_id == person_id, ReviewMeeting.manager_id == person_id),
    )


async def _review_records(session: AsyncSession, org_id: int, person_id: int) -> None:
    """Meeting notes are about the employee and written by the manager: either one's erasure clears them,
    and the manager's preparation notes (examples, questions) with them."""
    meetings = _their_meetings(org_id, person_id)
    await session.execute(
        update(ReviewRecord)
        .where(
            ReviewRecord.org_id == org_id,
            or_(ReviewRecord.author_id == person_id, ReviewRecord.meeting_id.in_(meetings)),
        )
        .values(parts={}, support=None, comment=None, actions_reason=None, history=[])
    )
    await session.execute(
        update(ReviewPrep)
        .where(ReviewPrep.org_id == org_id, ReviewPrep.meeting_id.in_(meetings))
        .values(examples=[], questions=[])
    )
    # Everything filled in for those meetings (the manager's draft and unfinished notes are about the
    # employee) is a form session whose subject names the meeting: "review:<id>".
    subjects = [f"review:{meeting_id}" for meeting_id in await session.scalars(meetings)]
    if subjects:
        await session.execute(
            update(FormSession)
            .where(FormSession.org_id == org_id, FormSession.subject.in_(subjects))
            .values(answers={}, finished_answers=None)
        )


async def _feedback_requests(session: AsyncSession, org_id: int, person_id: int) -> None:
    """A request's topic is the requester's words and its answers are about the requester: both go
    with the requester. (A respondent's own answers go with their form sessions.)"""
    theirs = select(FeedbackRequest.id).where(
        FeedbackRequest.org_id == org_id, FeedbackRequest.requester_id == person_id
    )
    answers = select(FeedbackAsk.session_id).where(
        FeedbackAsk.org_id == org_id, FeedbackAsk.request_id.in_(theirs)
    )
    await session.execute(
        update(FormSession)
        .where(FormSession.org_id == org_id, FormSession.id.in_(answers))
        .values(answers={}, finished_answers=None)
    )
    await session.execute(
        update(FeedbackRequest)
        .where(FeedbackRequest.org_id == org_id, FeedbackRequest.requester_id == person_id)
        .values(topic=None)
    )


async def _feedback_asks(session: AsyncSession, org_id: int, person_id: int) -> None:
    """An anonymous answer whose writer is erased is gone for good: its status says so, so that it
    never counts towards a threshold again and its released batch is withdrawn whole
    (`bot.anonymity.batches`); its words go with the person's form sessions."""
    await session.execute(
        update(FeedbackAsk)
        .where(
            FeedbackAsk.org_id == org_id,
            FeedbackAsk.respondent_id == person_id,
            FeedbackAsk.status == "answered",
        )
        .values(status="erased")
    )


async def _outbox(session: AsyncSession, org_id: int, person_id: int) -> None:
    await session.execute(
        delete(OutboxMessage).where(OutboxMessage.org_id == org_id, OutboxMessage.recipient_id == person_id)
    )


async def _name_in_others_words(session: AsyncSession, org_id: int, person_id: int) -> None:
    """Others may have named the person ("thanks @Alice Smith"): the name becomes the tombstone."""
    name = await session.scalar(
        select(Person.display_name).where(Person.org_id == org_id, Person.id == person_id)
    )
    if not name or len(name) < 3 or name == TOMBSTONE_NAME:
        return
    named = (
        (Kudos, Kudos.message),
        (Feedback, Feedback.text),
        (ActionItem, ActionItem.title),
        (Objective, Objective.title),  # issue 18
        (GoalUpdate, GoalUpdate.note),
    )
    for model, column in named:
        await session.execute(
            update(model)
            .where(model.org_id == org_id, column.contains(name))
            .values({column.key: func.replace(column, name, TOMBSTONE_NAME)})
        )


async def _kept(session: AsyncSession, org_id: int, person_id: int) -> None:
    """Rows that hold no words, only that something happened: kept for anonymous counts."""


def _accounts(table: Table) -> Eraser:
    async def erase(session: AsyncSession, org_id: int, person_id: int) -> None:
        await erase_accounts(session, table, org_id, person_id)

    return erase


# Each platform's account tables come first (`WithAccountTables`): found through identities.
ERASERS: Mapping[str, Eraser] = WithAccountTables(
    {
        "identity": _deleting(Identity, Identity.person_id),
        "person_role": _deleting(PersonRole, PersonRole.person_id),
        "availability": _deleting(Availability, Availability.person_id),
        "checkin_schedule": _deleting(CheckinSchedule, CheckinSchedule.person_id),
        "dashboard_link": _deleting(DashboardLink, DashboardLink.person_id),
        "dashboard_session": _deleting(DashboardSession, DashboardSession.person_id),
        "kudos": _kudos,
        "kudos_recipient": _kept,
        "feedback": _feedback,
        "daily_given": _kept,  # how many things a person gave a day, for the daily cap: no words
        "feedback_request": _feedback_requests,
        "feedback_ask": _feedback_asks,
        "form_session": _form_sessions,
        "signal": _signals,
        "action_item": _actions,
        "action_event": _actions,
        "review_meeting": _reviews,
        "review_record": _review_records,
        "review_prep": _review_records,
        "review_pulse": _kept,  # numbers per manager and ISO week only; shown from three answers up
        # goals keep their values (for anonymous counts), lose their words
        "goal_objective": erase_goals,
        "goal_key_result": erase_goals,
        "goal_update": erase_goals,
        "development_goal": erase_development_goals,
        "goal_conversation": _kept,  # who was offered a monthly goal talk and whether it was held: no words
        "outbox_message": _outbox,
        "audit_entry": _kept,  # who looked at what: no content, and it must outlive the erasure
        "person.name_in_others_words": _name_in_others_words,
        "person": _person,
    },
    for_account=_accounts,
)


# The tables erasure changes (the registry's, without the steps that are not tables): what
# `rapport person erase --compact` rewrites, so that no old version of a row stays in their files.
TABLES = TableNames(ERASERS)
