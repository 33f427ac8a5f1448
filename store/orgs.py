"""Organisations and the workspaces (Slack teams, Teams tenants, console keys) that belong to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Organisation, Workspace


async def by_slug(session: AsyncSession, slug: str) -> Organisation | None:
    return await session.scalar(select(Organisation).where(Organisation.slug == slug))


async def by_id(session: AsyncSession, org_id: int) -> Organisation | None:
    return await session.get(Organisation, org_id)


async def for_workspace(session: AsyncSession, *, platform: str, external_id: str) -> Organisation | None:
    return await session.scalar(
        select(Organisation)
        .join(Workspace, Workspace.org_id == Organisation.id)
        .where(Workspace.platform == platform, Workspace.external_id == external_id)
    )


async def create(
    session: AsyncSession, *, slug: str, name: str, now: datetime, default_locale: str = "en"
) -> Organisation:
    org = Organisation(slug=slug, name=name, default_locale=default_locale, company_values=[], created_at=now)
    session.add(org)
    await session.flush()
    return org


async def link_workspace(
    session: AsyncSession, *, org_id: int, platform: str, external_id: str, now: datetime
) -> Workspace:
    workspace = Workspace(org_id=org_id, platform=platform, external_id=external_id, created_at=now)
    session.add(workspace)
    await session.flush()
    return workspace


async def set_company_values(session: AsyncSession, *, org_id: int, values: list[str]) -> None:
    """Replace the organisation's company values (lower-case, without `#`)."""
    org = await session.get(Organisation, org_id)
    if org is not None:
        org.company_values = list(values)
        await session.flush()
