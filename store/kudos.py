"""Kudos: who thanked whom, for what, with which values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

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
    """Store kudos and its recipients; the new kudos' id."""
    given = NewKudos(
        giver_id=giver_id,
        recipient_ids=tuple(recipient_ids),
        message=message,
        values=tuple(values),
        platform=platform,
        channel_id=channel_id,
    )
    (kudos_id,) = await add_many(session, org_id=org_id, kudos=[given], now=now)
    return kudos_id


@dataclass(frozen=True, kw_only=True)
class NewKudos:
    giver_id: int
    recipient_ids: tuple[int, ...]
    message: str
    values: tuple[str, ...]
    platform: str
    channel_id: str | None


async def add_many(
    session: AsyncSession, *, org_id: int, kudos: Sequence[NewKudos], now: datetime
) -> list[int]:
    """Store many kudos and their recipients in two statements, whatever their number (turns handled
    together, see `bot.batch`); the new ids, in the order given.

    Core inserts, not ORM objects: giving kudos is the most frequent write, and the unit of work cost
    more than the statements it sends.
    """
    if not kudos:
        return []
    # Stamped a microsecond apart in the order given, so that the ids RETURNING gives back (in an
    # order SQLite does not promise) are matched to their rows by time: one statement for them all,
    # where asking SQLAlchemy to keep the order made it insert row by row on SQLite.
    stamps = [now + timedelta(microseconds=n) for n in range(len(kudos))]
    rows = [
        {
            "org_id": org_id,
            "giver_id": k.giver_id,
            "message": k.message,
            "company_values": list(k.values),
            "platform": k.platform,
            "channel_id": k.channel_id,
            "created_at": stamp,
        }
        for k, stamp in zip(kudos, stamps, strict=True)
    ]
    by_stamp = dict((await session.execute(_ADD, rows)).all())
    ids = [by_stamp[stamp] for stamp in stamps]
    await session.execute(
        _ADD_RECIPIENT,
        [
            {"kudos_id": kudos_id, "person_id": pid, "org_id": org_id}
            for kudos_id, k in zip(ids, kudos, strict=True)
            for pid in k.recipient_ids
        ],
    )
    return ids


_ADD = insert(Kudos.__table__).returning(Kudos.__table__.c.created_at, Kudos.__table__.c.id)
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
