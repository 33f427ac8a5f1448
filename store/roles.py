"""Roles people hold (HR). Every query names the organisation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from store.review_models import PersonRole


async def has_role(session: AsyncSession, *, org_id: int, person_id: int, role: str) -> bool:
    found = await session.scalar(
        select(PersonRole.id).where(
            PersonRole.org_id == org_id, PersonRole.person_id == person_id, PersonRole.role == role
        )
    )
    return found is not None


async def grant(session: AsyncSession, *, org_id: int, person_id: int, role: str, now: datetime) -> bool:
    """Give the role; False when the person already had it."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    result = await session.execute(
        dialect.insert(PersonRole)
        .values(org_id=org_id, person_id=person_id, role=role, created_at=now)
        .on_conflict_do_nothing()
    )
    return result.rowcount == 1


async def revoke(session: AsyncSession, *, org_id: int, person_id: int, role: str) -> bool:
    """Take the role away; False when the person did not have it."""
    result = await session.execute(
        delete(PersonRole).where(
            PersonRole.org_id == org_id, PersonRole.person_id == person_id, PersonRole.role == role
        )
    )
    return result.rowcount == 1
