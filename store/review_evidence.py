"""What a review digest is built from: one employee's stored dialogue over one period.

Each query names the organisation and one person and runs on an index that starts with them, so
the cost of a digest follows what that person did, not the size of the organisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.action_models import ActionItem
from store.checkin_models import FormSession, Signal
from store.feedback_models import Feedback
from store.models import Kudos, KudosRecipient, Person


async def finished_forms(
    session: AsyncSession, *, org_id: int, person_id: int, form_key: str, since: datetime, until: datetime
) -> list[FormSession]:
    """The person's completed sessions of one form in [since, until], oldest first."""
    return list(
        await session.scalars(
            select(FormSession)
            .where(
                FormSession.org_id == org_id,
                FormSession.person_id == person_id,
                FormSession.status.in_(("done", "open", "waiting", "cancelled")),
                FormSession.form_key == form_key,
                FormSession.completed_at >= since,
                FormSession.completed_at <= until,
            )
            .order_by(FormSession.completed_at, FormSession.id)
        )
    )


async def kudos_received(
    session: AsyncSession, *, org_id: int, person_id: int, since: datetime, until: datetime
) -> list[tuple[Kudos, Person]]:
    """Kudos the person received in the period, with their giver, oldest first."""
    rows = await session.execute(
        select(Kudos, Person)
        .join(KudosRecipient, KudosRecipient.kudos_id == Kudos.id)
        .join(Person, Person.id == Kudos.giver_id)
        .where(
            KudosRecipient.org_id == org_id,
            KudosRecipient.person_id == person_id,
            Kudos.created_at >= since,
            Kudos.created_at <= until,
        )
        .order_by(Kudos.created_at, Kudos.id)
    )
    return [(k, p) for k, p in rows]


async def feedback_received(
    session: AsyncSession, *, org_id: int, person_id: int, since: datetime, until: datetime
) -> list[tuple[Feedback, Person]]:
    """Feedback the person received in the period, with its giver (the caller filters by access)."""
    rows = await session.execute(
        select(Feedback, Person)
        .join(Person, Person.id == Feedback.giver_id)
        .where(
            Feedback.org_id == org_id,
            Feedback.recipient_id == person_id,
            Feedback.created_at >= since,
            Feedback.created_at <= until,
        )
        .order_by(Feedback.created_at, Feedback.id)
    )
    return [(f, p) for f, p in rows]


async def signals_between(
    session: AsyncSession, *, org_id: int, person_id: int, since: datetime, until: datetime
) -> list[Signal]:
    return list(
        await session.scalars(
            select(Signal)
            .where(
                Signal.org_id == org_id,
                Signal.person_id == person_id,
                Signal.created_at >= since,
                Signal.created_at <= until,
            )
            .order_by(Signal.created_at, Signal.id)
        )
    )


async def review_actions(
    session: AsyncSession, *, org_id: int, owner_ids: Sequence[int], meeting_id: int
) -> list[ActionItem]:
    """The actions agreed at one review (owned by the employee or the manager), by due date."""
    return list(
        await session.scalars(
            select(ActionItem)
            .where(
                ActionItem.org_id == org_id,
                ActionItem.owner_id.in_(owner_ids),
                ActionItem.source == "review",
                ActionItem.source_ref == str(meeting_id),
            )
            .order_by(ActionItem.due_on, ActionItem.id)
        )
    )
