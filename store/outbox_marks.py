"""What a delivery worker records of the rows it claimed (`store.outbox.claim_due`): sent (whole, or
some of its parts), to retry, failed, dropped or expired; and the leases it renews or hands back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import OutboxMessage

EXPIRED = "expired before it could be sent"


async def mark_sent(session: AsyncSession, *, message_id: int, now: datetime) -> None:
    await mark_sent_many(session, message_ids=[message_id], now=now)


async def mark_sent_many(session: AsyncSession, *, message_ids: list[int], now: datetime) -> None:
    """Mark a delivery batch sent, in one statement."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids))
        .values(status="sent", sent_at=now, last_error=None, leased_by=None),
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


# What a worker records of an attempt that did not send its message. With `worker`, only while the
# row is still leased to it: another worker may have taken it (and sent it) meanwhile.


async def mark_retry(
    session: AsyncSession, *, message_id: int, at: datetime, error: str, worker: str | None = None
) -> None:
    await _finish(session, message_id, worker, status="pending", next_attempt_at=at, last_error=error[:2000])


async def mark_failed(
    session: AsyncSession, *, message_id: int, error: str, worker: str | None = None
) -> None:
    """A permanent failure: trying again cannot help."""
    await _finish(session, message_id, worker, status="failed", last_error=error[:2000])


async def mark_dropped(
    session: AsyncSession, *, message_id: int, error: str, worker: str | None = None
) -> None:
    """No longer worth sending (past its expiry, or its next try would be)."""
    await _finish(session, message_id, worker, status="dropped", last_error=error[:2000])


async def _finish(session: AsyncSession, message_id: int, worker: str | None, **values: Any) -> None:
    query = update(OutboxMessage).where(OutboxMessage.id == message_id)
    if worker is not None:
        query = query.where(OutboxMessage.status == "sending", OutboxMessage.leased_by == worker)
    await session.execute(query.values(leased_by=None, **values))


def expired_reason(error: str | None) -> str:
    """Why a message was dropped, with what kept it from being sent when that is known."""
    return f"{EXPIRED} (last error: {error})" if error else EXPIRED


async def mark_expired_many(session: AsyncSession, *, message_ids: list[int]) -> None:
    """Drop claimed messages that are past their expiry, unsent: the claim's attempt is not counted,
    and each keeps its last error in the reason (`expired_reason`, in SQL)."""
    last = func.coalesce(literal(" (last error: ") + OutboxMessage.last_error + literal(")"), "")
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids))
        .values(
            status="dropped",
            attempts=OutboxMessage.attempts - 1,
            last_error=literal(EXPIRED) + last,
            leased_by=None,
        ),
        execution_options={"synchronize_session": False},
    )


async def renew(session: AsyncSession, *, worker: str, message_ids: list[int], until: datetime) -> set[int]:
    """Extend the lease of the rows `worker` still holds to `until`; the ids it still holds. A row
    whose lease ran out and which another worker claimed is not renewed, and not returned."""
    renewed = await session.scalars(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(message_ids),
            OutboxMessage.status == "sending",
            OutboxMessage.leased_by == worker,
        )
        .values(next_attempt_at=until)
        .returning(OutboxMessage.id),
        execution_options={"synchronize_session": False},
    )
    return set(renewed)


async def release(
    session: AsyncSession, *, worker: str, untried: list[int], interrupted: list[int], now: datetime
) -> None:
    """Hand back rows `worker` holds and will not send (it is stopping): due again at once.

    An `untried` row's attempt is not counted; an `interrupted` one (its send was cut short, so it
    may have gone out) keeps it, so that its sender checks whether it went out before sending again.
    """
    for ids, attempts in ((untried, OutboxMessage.attempts - 1), (interrupted, OutboxMessage.attempts)):
        if ids:
            await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id.in_(ids),
                    OutboxMessage.status == "sending",
                    OutboxMessage.leased_by == worker,
                )
                .values(status="pending", attempts=attempts, next_attempt_at=now, leased_by=None),
                execution_options={"synchronize_session": False},
            )
