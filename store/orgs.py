"""Organisations and the workspaces (a platform's workspace, team or tenant; the console's org key) that belong to them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from store.models import Identity, Organisation, Person, Workspace


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


async def for_workspace_and_user(
    session: AsyncSession, *, platform: str, external_id: str, user_id: str
) -> tuple[Organisation | None, Person | None]:
    """The workspace's organisation and the person with this platform user id in it, in one query.

    Every turn starts with both; asking once saves a round trip to the database per event. The
    person is None when the organisation has not met this user yet; both are None for a workspace
    that no organisation owns.
    """
    org, met = await for_workspace_users(
        session, platform=platform, external_id=external_id, user_ids=[user_id]
    )
    return org, met.get(user_id)


async def for_workspace_users(
    session: AsyncSession, *, platform: str, external_id: str, user_ids: Iterable[str]
) -> tuple[Organisation | None, dict[str, Person]]:
    """`for_workspace_and_user` for many users of one workspace (commands handled together), in one
    query: the organisation, and the people it has met among them by platform user id."""
    params = {"platform": platform, "external_id": external_id, "user_ids": list(set(user_ids))}
    rows = (await session.execute(_WORKSPACE_AND_USERS, params)).all()
    if not rows:
        return None, {}
    return rows[0][0], {user_id: person for _, user_id, person in rows if person is not None}


# Built once: every event starts with this query, and building it cost more than running it.
_WORKSPACE_AND_USERS = (
    select(Organisation, Identity.platform_user_id, Person)
    .select_from(Workspace)
    .join(Organisation, Organisation.id == Workspace.org_id)
    .outerjoin(
        Identity,
        (Identity.org_id == Workspace.org_id)
        & (Identity.platform == bindparam("platform"))
        & (Identity.platform_user_id.in_(bindparam("user_ids", expanding=True))),
    )
    .outerjoin(Person, Person.id == Identity.person_id)
    .where(Workspace.platform == bindparam("platform"), Workspace.external_id == bindparam("external_id"))
)


async def create(
    session: AsyncSession, *, slug: str, name: str, now: datetime, default_locale: str = "en"
) -> Organisation:
    org = Organisation(slug=slug, name=name, default_locale=default_locale, company_values=[], created_at=now)
    session.add(org)
    await session.flush()
    set_committed_value(org, "default_timezone", None)  # its database default: no need to read it back
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
