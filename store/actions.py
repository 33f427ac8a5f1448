"""Action items: every query names the organisation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.action_models import ActionEvent, ActionItem
from store.models import Person

OPEN_STATUSES = ("proposed", "open")


async def create(
    session: AsyncSession,
    *,
    org_id: int,
    title: str,
    owner_id: int,
    creator_id: int,
    status: str,
    due_on: date | None,
    source: str,
    now: datetime,
    source_ref: str | None = None,
) -> ActionItem:
    action = ActionItem(
        org_id=org_id,
        title=title,
        owner_id=owner_id,
        creator_id=creator_id,
        status=status,
        due_on=due_on,
        source=source,
        source_ref=source_ref,
        created_at=now,
        updated_at=now,
    )
    session.add(action)
    await session.flush()
    await record(session, org_id=org_id, action=action, actor_id=creator_id, kind="created", now=now)
    return action


async def record(
    session: AsyncSession,
    *,
    org_id: int,
    action: ActionItem,
    actor_id: int | None,
    kind: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add a line to the action's history and mark it updated."""
    action.updated_at = now
    session.add(
        ActionEvent(
            org_id=org_id,
            action_id=action.id,
            actor_id=actor_id,
            kind=kind,
            detail=detail or {},
            created_at=now,
        )
    )


async def by_id(session: AsyncSession, *, org_id: int, action_id: int) -> ActionItem | None:
    return await session.scalar(
        select(ActionItem).where(ActionItem.org_id == org_id, ActionItem.id == action_id)
    )


async def owned_by(
    session: AsyncSession, *, org_id: int, owner_ids: Sequence[int], statuses: Sequence[str] = OPEN_STATUSES
) -> list[tuple[ActionItem, Person]]:
    """Actions of these owners in these statuses, with the owner, soonest due first (undated last)."""
    rows = await session.execute(
        select(ActionItem, Person)
        .join(Person, Person.id == ActionItem.owner_id)
        .where(
            ActionItem.org_id == org_id, ActionItem.owner_id.in_(owner_ids), ActionItem.status.in_(statuses)
        )
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    )
    return [(action, person) for action, person in rows]


async def history(session: AsyncSession, *, org_id: int, action_id: int) -> list[ActionEvent]:
    return list(
        await session.scalars(
            select(ActionEvent)
            .where(ActionEvent.org_id == org_id, ActionEvent.action_id == action_id)
            .order_by(ActionEvent.id)
        )
    )
