"""Kudos: who thanked whom, for what, with which values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
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
) -> Kudos:
    kudos = Kudos(
        org_id=org_id,
        giver_id=giver_id,
        message=message,
        company_values=list(values),
        platform=platform,
        channel_id=channel_id,
        created_at=now,
        recipients=[KudosRecipient(person_id=pid, org_id=org_id) for pid in recipient_ids],
    )
    session.add(kudos)
    return kudos


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
