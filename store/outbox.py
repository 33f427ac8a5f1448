"""The transactional outbox: messages for other people, written with the data that caused them.

Delivery workers claim rows across organisations (they serve every workspace); every other query
here names its organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import Text, cast, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import OUTBOX_CLAIMABLE, OutboxMessage


async def enqueue(
    session: AsyncSession,
    *,
    org_id: int,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    recipient_id: int | None = None,
    platform: str | None = None,
    channel_id: str | None = None,
) -> OutboxMessage:
    message = OutboxMessage(
        org_id=org_id,
        kind=kind,
        recipient_id=recipient_id,
        platform=platform,
        channel_id=channel_id,
        payload=payload,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)  # flushed with the transaction: nothing needs its id before then
    return message


async def enqueue_many(
    session: AsyncSession, *, org_id: int, messages: list[dict[str, Any]], now: datetime
) -> None:
    """`enqueue` for many messages (dicts of kind, payload and recipient_id, platform or channel_id)
    in one batched INSERT."""
    if messages:
        defaults = {"recipient_id": None, "platform": None, "channel_id": None}
        common = {
            "org_id": org_id,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        # Core, not the ORM's bulk path: a third of the time for many rows
        await session.execute(
            insert(OutboxMessage.__table__), [{**defaults, **m, **common} for m in messages]
        )


@dataclass(slots=True)
class Claimed:
    """A claimed outbox message, with what the delivery worker and the senders read of it.

    Its payload stays JSON text until a sender reads it (`payload`, decoded on each read): a worker
    holds up to two batches of 500, and their decoded payloads (some twenty containers a message)
    made the cyclic garbage collector walk them again and again, 5.5 us a message delivered.
    """

    id: int
    org_id: int
    kind: str
    recipient_id: int | None
    platform: str | None
    channel_id: str | None
    payload_json: str
    attempts: int
    next_attempt_at: datetime
    created_at: datetime

    @property
    def payload(self) -> dict[str, Any]:
        return orjson.loads(self.payload_json)


# What a claim reads back of each row, before its payload (as text: see Claimed).
_RETURNED = ("id", "org_id", "kind", "recipient_id", "channel_id", "attempts", "created_at")


async def claim_due(
    session: AsyncSession,
    *,
    platform: str,
    now: datetime,
    limit: int,
    lease: timedelta = timedelta(minutes=5),
) -> list[Claimed]:
    """Claim one platform's pending messages that are due, across all organisations, oldest first.

    A claimed row is leased: it is marked `sending` with the attempt counted before any send, and
    becomes due again after `lease` if its worker dies without marking it.
    """
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.platform == platform, OUTBOX_CLAIMABLE, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if session.bind.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    # One statement for the claim: a row-by-row flush of the changed rows took most of a batch's time.
    # Plain objects, not ORM ones: building those took 40 µs a message, more than the rest of the
    # claim; nothing changes a claimed row through the session. Slotted, because every send reads
    # a dozen of its attributes (a Row's took 0.23 µs each).
    # The platform and the lease's end are the claim's own: not read back for every row.
    table, until = OutboxMessage.__table__, now + lease
    claimed = (
        update(table)
        .where(table.c.id.in_(due.scalar_subquery()))
        .values(status="sending", attempts=table.c.attempts + 1, next_attempt_at=until)
        .returning(*(table.c[name] for name in _RETURNED), cast(table.c.payload, Text))
    )
    rows = (await session.execute(claimed)).all()
    return [
        Claimed(id, org_id, kind, recipient_id, platform, channel_id, payload, attempts, until, created_at)
        for id, org_id, kind, recipient_id, channel_id, attempts, created_at, payload in sorted(
            rows, key=itemgetter(0)
        )
    ]


async def mark_sent(session: AsyncSession, *, message_id: int, now: datetime) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status="sent", sent_at=now, last_error=None)
    )


async def mark_sent_many(session: AsyncSession, *, message_ids: list[int], now: datetime) -> None:
    """`mark_sent` for a delivery batch, in one statement."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids))
        .values(status="sent", sent_at=now, last_error=None),
        execution_options={"synchronize_session": False},
    )


async def parts_sent(session: AsyncSession, *, message_id: int) -> int:
    """How many parts of a message sent as several platform messages went out already."""
    sent = await session.scalar(select(OutboxMessage.parts_sent).where(OutboxMessage.id == message_id))
    return sent or 0


async def mark_parts_sent(session: AsyncSession, *, message_id: int, count: int) -> None:
    """Record that the first `count` parts of a message went out, so that a retry goes on from there."""
    await session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id).values(parts_sent=count),
        execution_options={"synchronize_session": False},
    )


async def mark_retry(session: AsyncSession, *, message_id: int, at: datetime, error: str) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status="pending", next_attempt_at=at, last_error=error[:2000])
    )


async def mark_failed(session: AsyncSession, *, message_id: int, error: str) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status="failed", last_error=error[:2000])
    )


async def for_org(
    session: AsyncSession, *, org_id: int, status: str | None = None, limit: int = 100
) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.org_id == org_id)
    if status:
        query = query.where(OutboxMessage.status == status)
    return list(await session.scalars(query.order_by(OutboxMessage.id).limit(limit)))
