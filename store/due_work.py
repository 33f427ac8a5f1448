"""Due work: what is to run at a time (check-in prompts, reminders, review steps), added once, cancelled,
claimed and finished.

Schedulers claim due work across organisations, like delivery workers claim the outbox; every other
query here names its organisation.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from store.checkin_models import DueWork


def _insert_due(session: AsyncSession):
    """INSERT of due work where a repeat is ignored and a cancelled row for the same moment revives."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(DueWork.__table__)  # Core: the ORM's bulk path costs more per row
    return statement.on_conflict_do_update(
        index_elements=["org_id", "kind", "subject", "run_at"],
        set_={
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": statement.excluded.run_at,
            "finished_at": None,
        },
        where=DueWork.__table__.c.status == "cancelled",
    )


def _due(*, org_id: int, kind: str, subject: int, run_at: datetime, now: datetime) -> dict:
    return {
        "org_id": org_id,
        "kind": kind,
        "subject": subject,
        "run_at": run_at,
        "next_attempt_at": run_at,
        "status": "pending",
        "attempts": 0,
        "created_at": now,
    }


async def add_due(
    session: AsyncSession, *, org_id: int, kind: str, subject: int, run_at: datetime, now: datetime
) -> bool:
    """Schedule work once: a second row for the same kind, subject and time is ignored (False).

    A cancelled row for the same moment is brought back instead (a meeting moved away and back again
    must be planned again, not silently dropped).
    """
    values = _due(org_id=org_id, kind=kind, subject=subject, run_at=run_at, now=now)
    return (await session.execute(_insert_due(session).values(**values))).rowcount == 1


async def add_due_many(
    session: AsyncSession, *, org_id: int, kind: str, work: list[tuple[int, datetime]], now: datetime
) -> None:
    """`add_due` for many (subject, run_at) pairs in one batched statement (insertmanyvalues)."""
    if work:
        values = [_due(org_id=org_id, kind=kind, subject=s, run_at=r, now=now) for s, r in work]
        await session.execute(_insert_due(session), values)


async def pending(session: AsyncSession, *, org_id: int, kind: str, subject: int) -> list[DueWork]:
    """Work of one kind for one subject that has not run yet, soonest first."""
    return list(
        await session.scalars(
            select(DueWork)
            .where(
                DueWork.org_id == org_id,
                DueWork.kind == kind,
                DueWork.subject == subject,
                DueWork.status == "pending",
            )
            .order_by(DueWork.run_at)
        )
    )


async def next_pending(
    session: AsyncSession, *, org_id: int, kind: str, subjects: list[int]
) -> dict[int, datetime]:
    """When each subject's soonest pending work of one kind is due, in one query (subjects with none
    are left out)."""
    rows = await session.execute(
        select(DueWork.subject, func.min(DueWork.run_at))
        .where(
            DueWork.org_id == org_id,
            DueWork.kind == kind,
            DueWork.subject.in_(subjects),
            DueWork.status == "pending",
        )
        .group_by(DueWork.subject)
    )
    return dict(rows.all())


async def cancel_pending(
    session: AsyncSession, *, org_id: int, kind: str, subject: int, now: datetime
) -> None:
    await cancel_pending_many(session, org_id=org_id, kind=kind, subjects=[subject], now=now)


async def cancel_pending_many(
    session: AsyncSession, *, org_id: int, kind: str, subjects: list[int], now: datetime
) -> None:
    """`cancel_pending` for many subjects in one statement."""
    await session.execute(
        update(DueWork)
        .where(
            DueWork.org_id == org_id,
            DueWork.kind == kind,
            DueWork.subject.in_(subjects),
            DueWork.status == "pending",
        )
        .values(status="cancelled", finished_at=now)
    )


async def claim_due(session: AsyncSession, *, now: datetime, limit: int) -> list[DueWork]:
    """Due work across all organisations, soonest first, locked until this transaction ends.

    On PostgreSQL another scheduler skips the locked rows and takes the next ones; on SQLite the
    single writer connection already serialises schedulers.
    """
    due = (
        select(DueWork)
        .where(DueWork.status == "pending", DueWork.next_attempt_at <= now)
        .order_by(DueWork.next_attempt_at, DueWork.id)
        .limit(limit)
    )
    if session.bind.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    return list(await session.scalars(due))


def finish(row: DueWork, *, status: str, note: str | None, now: datetime) -> None:
    row.status, row.note, row.finished_at = status, note, now
    row.attempts += 1


async def finish_many(
    session: AsyncSession, *, finished: list[tuple[DueWork, str, str | None]], now: datetime
) -> None:
    """`finish` for many (row, status, note) in one batched UPDATE by primary key, without the unit of
    work's bookkeeping for each row (the loaded objects keep their old values: drop them after)."""
    if not finished:
        return
    table = DueWork.__table__
    values = [
        {"row_id": row.id, "status": status, "note": note, "finished_at": now, "attempts": row.attempts + 1}
        for row, status, note in finished
    ]
    statement = update(table).where(table.c.id == bindparam("row_id"))
    await session.execute(statement, values)


def retry(row: DueWork, *, error: str, now: datetime, max_attempts: int) -> None:
    """Count a failed attempt: try again later with a growing pause, or give up."""
    row.attempts += 1
    row.note = error[:2000]
    if row.attempts >= max_attempts:
        row.status, row.finished_at = "failed", now
    else:
        row.next_attempt_at = now + timedelta(minutes=2**row.attempts)


async def history(session: AsyncSession, *, org_id: int, kind: str, subject: int) -> list[DueWork]:
    """All work of one kind for one subject, oldest first (what happened, and why)."""
    return list(
        await session.scalars(
            select(DueWork)
            .where(DueWork.org_id == org_id, DueWork.kind == kind, DueWork.subject == subject)
            .order_by(DueWork.run_at, DueWork.id)
        )
    )
