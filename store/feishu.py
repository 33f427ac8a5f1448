"""Whom a Feishu message goes to: a person's open_id (until the platform contract's `store.reach`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Identity, Person, Workspace

PLATFORM = "feishu"


async def recipient(session: AsyncSession, *, org_id: int, person_id: int) -> tuple[str | None, str | None]:
    """The person's open_id (None when they have no Feishu identity) and their email."""
    row = (
        await session.execute(
            select(Identity.platform_user_id, Person.email)
            .select_from(Person)
            .outerjoin(
                Identity,
                (Identity.person_id == Person.id) & (Identity.org_id == org_id) & (Identity.platform == PLATFORM),
            )
            .where(Person.org_id == org_id, Person.id == person_id)
            .order_by(Identity.id)
            .limit(1)
        )
    ).first()
    return (row.platform_user_id, row.email) if row else (None, None)


async def tenant_of_org(session: AsyncSession, *, org_id: int) -> str | None:
    """The Feishu tenant the organisation is linked to, if any."""
    return await session.scalar(
        select(Workspace.external_id).where(Workspace.org_id == org_id, Workspace.platform == PLATFORM).limit(1)
    )
