"""Everything Rapport holds about one person, as plain data, for their export. Org-scoped queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.action_models import ActionEvent, ActionItem
from store.checkin_models import FormSession, Signal
from store.feedback_models import Feedback
from store.models import Identity, Kudos, KudosRecipient, Person
from store.review_models import PersonRole, ReviewMeeting


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
