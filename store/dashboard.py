"""Dashboard sign-in links and sessions, stored as hashes. Every query names the organisation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.dashboard_models import DashboardLink, DashboardSession
from store.models import Person


async def add_link(session: AsyncSession, **token) -> None:
    """Store a one-time sign-in link by its hash (`_add`'s fields)."""
    await _add(session, DashboardLink, **token)


async def add_session(session: AsyncSession, **token) -> None:
    """Store a dashboard session by its hash (`_add`'s fields)."""
    await _add(session, DashboardSession, **token)


async def _add(
    session: AsyncSession,
    model: type[DashboardLink | DashboardSession],
    *,
    org_id: int,
    person_id: int,
    token_hash: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    session.add(
        model(
            org_id=org_id, person_id=person_id, token_hash=token_hash, created_at=now, expires_at=expires_at
        )
    )
    await session.flush()


async def use_link(session: AsyncSession, *, org_id: int, token_hash: str, now: datetime) -> int | None:
    """Mark an unused, unexpired link used and return its person; None otherwise. One UPDATE, so two
    browsers racing with the same link cannot both win."""
    result = await session.execute(
        update(DashboardLink)
        .where(
            DashboardLink.org_id == org_id,
            DashboardLink.token_hash == token_hash,
            DashboardLink.used_at.is_(None),
            DashboardLink.expires_at > now,
        )
        .values(used_at=now)
        .returning(DashboardLink.person_id)
    )
    return result.scalar_one_or_none()


async def session_person(
    session: AsyncSession, *, org_id: int, token_hash: str, now: datetime
) -> Person | None:
    """The person a live session belongs to (not someone since erased)."""
    return await session.scalar(
        select(Person)
        .join(DashboardSession, DashboardSession.person_id == Person.id)
        .where(
            DashboardSession.org_id == org_id,
            DashboardSession.token_hash == token_hash,
            DashboardSession.expires_at > now,
            Person.org_id == org_id,
            Person.erased_at.is_(None),
        )
    )


async def end_session(session: AsyncSession, *, org_id: int, token_hash: str) -> None:
    await session.execute(
        delete(DashboardSession).where(
            DashboardSession.org_id == org_id, DashboardSession.token_hash == token_hash
        )
    )
