"""Everything Rapport holds about one person, as plain data, for their export. Org-scoped queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.accounts import account_details
from store.action_models import ActionEvent, ActionItem
from store.checkin_models import FormSession, Signal
from store.dashboard_models import DashboardLink, DashboardSession
from store.feedback_models import DailyGiven, Feedback
from store.feedback_request_models import FeedbackAsk, FeedbackRequest
from store.models import Identity, Kudos, KudosRecipient, OutboxMessage, Person
from store.privacy_models import AuditEntry
from store.review_models import PersonRole, ReviewMeeting
from store.review_record_models import ReviewPrep, ReviewRecord


async def names(session: AsyncSession, *, org_id: int) -> dict[int, str]:
    rows = await session.execute(select(Person.id, Person.display_name).where(Person.org_id == org_id))
    return dict(rows.all())


async def profile(session: AsyncSession, *, org_id: int, person_id: int) -> dict[str, Any]:
    person = await session.scalar(select(Person).where(Person.org_id == org_id, Person.id == person_id))
    identities = await session.execute(
        select(Identity.platform, Identity.platform_user_id).where(
            Identity.org_id == org_id, Identity.person_id == person_id
        )
    )
    roles = await session.scalars(
        select(PersonRole.role).where(PersonRole.org_id == org_id, PersonRole.person_id == person_id)
    )
    return {
        "person": person,
        "identities": [{"platform": p, "user_id": u} for p, u in identities],
        "roles": list(roles),
    }


async def kudos(session: AsyncSession, *, org_id: int, person_id: int) -> tuple[list, list]:
    """(given, received): each a list of (Kudos, [recipient ids])."""
    received_ids = select(KudosRecipient.kudos_id).where(
        KudosRecipient.org_id == org_id, KudosRecipient.person_id == person_id
    )
    rows = list(
        await session.scalars(
            select(Kudos)
            .where(Kudos.org_id == org_id, or_(Kudos.giver_id == person_id, Kudos.id.in_(received_ids)))
            .order_by(Kudos.created_at, Kudos.id)
        )
    )
    with_recipients = [(k, [r.person_id for r in k.recipients]) for k in rows]
    given = [(k, r) for k, r in with_recipients if k.giver_id == person_id]
    received = [(k, r) for k, r in with_recipients if person_id in r]
    return given, received


async def feedback(session: AsyncSession, *, org_id: int, person_id: int) -> list[Feedback]:
    return list(
        await session.scalars(
            select(Feedback)
            .where(
                Feedback.org_id == org_id,
                or_(Feedback.giver_id == person_id, Feedback.recipient_id == person_id),
            )
            .order_by(Feedback.created_at, Feedback.id)
        )
    )


async def form_sessions(session: AsyncSession, *, org_id: int, person_id: int) -> list[FormSession]:
    return list(
        await session.scalars(
            select(FormSession)
            .where(FormSession.org_id == org_id, FormSession.person_id == person_id)
            .order_by(FormSession.id)
        )
    )


async def signals(session: AsyncSession, *, org_id: int, person_id: int) -> list[Signal]:
    return list(
        await session.scalars(
            select(Signal).where(Signal.org_id == org_id, Signal.person_id == person_id).order_by(Signal.id)
        )
    )


async def actions(session: AsyncSession, *, org_id: int, person_id: int) -> list[tuple[ActionItem, list]]:
    items = list(
        await session.scalars(
            select(ActionItem)
            .where(
                ActionItem.org_id == org_id,
                or_(ActionItem.owner_id == person_id, ActionItem.creator_id == person_id),
            )
            .order_by(ActionItem.id)
        )
    )
    events = await session.scalars(
        select(ActionEvent)
        .where(ActionEvent.org_id == org_id, ActionEvent.action_id.in_([a.id for a in items]))
        .order_by(ActionEvent.id)
    )
    by_action: dict[int, list] = {}
    for event in events:
        by_action.setdefault(event.action_id, []).append(event)
    return [(item, by_action.get(item.id, [])) for item in items]


async def reviews(session: AsyncSession, *, org_id: int, person_id: int) -> list[ReviewMeeting]:
    return list(
        await session.scalars(
            select(ReviewMeeting)
            .where(
                ReviewMeeting.org_id == org_id,
                or_(ReviewMeeting.employee_id == person_id, ReviewMeeting.manager_id == person_id),
            )
            .order_by(ReviewMeeting.starts_at)
        )
    )


async def _all(session: AsyncSession, model, *where, order_by=None) -> list:
    query = select(model).where(*where).order_by(*(order_by if order_by is not None else (model.id,)))
    return list(await session.scalars(query))


async def platform_details(session: AsyncSession, *, org_id: int, person_id: int) -> list[dict[str, Any]]:
    """What each platform's own tables keep about the person's accounts (found through identities)."""
    return await account_details(session, org_id=org_id, person_id=person_id)


async def sign_ins(session: AsyncSession, *, org_id: int, person_id: int) -> list:
    """Dashboard sign-in links and sessions (their secrets are kept only as hashes, and not exported)."""
    links = await _all(
        session, DashboardLink, DashboardLink.org_id == org_id, DashboardLink.person_id == person_id
    )
    opened = await _all(
        session, DashboardSession, DashboardSession.org_id == org_id, DashboardSession.person_id == person_id
    )
    return [*links, *opened]


async def daily_given(session: AsyncSession, *, org_id: int, person_id: int) -> DailyGiven | None:
    return await session.scalar(
        select(DailyGiven).where(DailyGiven.org_id == org_id, DailyGiven.person_id == person_id)
    )


async def requests_made(
    session: AsyncSession, *, org_id: int, person_id: int
) -> list[tuple[FeedbackRequest, list[FeedbackAsk]]]:
    """The person's feedback requests, oldest first, each with its asks in the order named."""
    made = await _all(
        session, FeedbackRequest, FeedbackRequest.org_id == org_id, FeedbackRequest.requester_id == person_id
    )
    asks = await _all(
        session, FeedbackAsk, FeedbackAsk.org_id == org_id, FeedbackAsk.request_id.in_([r.id for r in made])
    )
    return [(request, [a for a in asks if a.request_id == request.id]) for request in made]


async def asks_received(
    session: AsyncSession, *, org_id: int, person_id: int
) -> list[tuple[FeedbackAsk, FeedbackRequest]]:
    """What the person was asked for feedback, oldest first, with each request."""
    rows = await session.execute(
        select(FeedbackAsk, FeedbackRequest)
        .join(FeedbackRequest, FeedbackRequest.id == FeedbackAsk.request_id)
        .where(FeedbackAsk.org_id == org_id, FeedbackAsk.respondent_id == person_id)
        .order_by(FeedbackAsk.id)
    )
    return [(ask, request) for ask, request in rows]


async def records(
    session: AsyncSession, *, org_id: int, meeting_ids: list[int]
) -> tuple[dict[int, ReviewRecord], dict[int, ReviewPrep], dict[int, list[ActionItem]]]:
    """The records, preparations and agreed actions of these meetings, each by meeting id."""
    found = await _all(
        session, ReviewRecord, ReviewRecord.org_id == org_id, ReviewRecord.meeting_id.in_(meeting_ids)
    )
    preps = await _all(
        session, ReviewPrep, ReviewPrep.org_id == org_id, ReviewPrep.meeting_id.in_(meeting_ids)
    )
    agreed = await _all(
        session,
        ActionItem,
        ActionItem.org_id == org_id,
        ActionItem.source == "review",
        ActionItem.source_ref.in_([str(m) for m in meeting_ids]),
    )
    by_meeting: dict[int, list[ActionItem]] = {}
    for action in agreed:
        by_meeting.setdefault(int(action.source_ref), []).append(action)
    return {r.meeting_id: r for r in found}, {p.meeting_id: p for p in preps}, by_meeting


async def messages_to(session: AsyncSession, *, org_id: int, person_id: int) -> list[OutboxMessage]:
    return await _all(
        session, OutboxMessage, OutboxMessage.org_id == org_id, OutboxMessage.recipient_id == person_id
    )


async def audit_of(session: AsyncSession, *, org_id: int, person_id: int) -> list[AuditEntry]:
    """Audited acts about the person, and those they did."""
    return await _all(
        session,
        AuditEntry,
        AuditEntry.org_id == org_id,
        or_(AuditEntry.subject_id == person_id, AuditEntry.actor_id == person_id),
    )
