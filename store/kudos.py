"""Kudos: who thanked whom, for what, with which values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Kudos, KudosRecipient


async def add(
    session: AsyncSession,
    *,
    org_id: int,
    giver_id: int,
    recipient_ids: Sequence[int],
    message: str,
    values: Sequence[str],
    platform: str,
    channel_id: str | None,
    now: datetime,
) -> int:
    """Store kudos and its recipients; the new kudos' id.

    Two Core inserts, not ORM objects: giving kudos is the most frequent write, and the unit of work
    cost more than the statements it sends.
    """
    kudos_id = await session.scalar(
        _ADD,
        {
            "org_id": org_id,
            "giver_id": giver_id,
            "message": message,
            "company_values": list(values),
            "platform": platform,
            "channel_id": channel_id,
            "created_at": now,
        },
    )
    await session.execute(
        _ADD_RECIPIENT, [{"kudos_id": kudos_id, "person_id": pid, "org_id": org_id} for pid in recipient_ids]
    )
    return kudos_id


_ADD = insert(Kudos.__table__).returning(Kudos.__table__.c.id)
_ADD_RECIPIENT = insert(KudosRecipient.__table__)


async def received(session: AsyncSession, *, org_id: int, person_id: int, limit: int = 20) -> list[Kudos]:
    """Kudos a person received, newest first."""
    return list(
        await session.scalars(
            select(Kudos)
            .join(KudosRecipient, KudosRecipient.kudos_id == Kudos.id)
            .where(KudosRecipient.org_id == org_id, KudosRecipient.person_id == person_id)
            .order_by(Kudos.created_at.desc(), Kudos.id.desc())
            .limit(limit)
        )
    )


async def given(session: AsyncSession, *, org_id: int, person_id: int, limit: int = 20) -> list[Kudos]:
    """Kudos a person gave, newest first."""
    return list(
        await session.scalars(
            select(Kudos)
            .where(Kudos.org_id == org_id, Kudos.giver_id == person_id)
            .order_by(Kudos.created_at.desc(), Kudos.id.desc())
            .limit(limit)
        )
    )
