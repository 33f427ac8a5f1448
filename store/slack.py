"""What Slack delivery needs to know about a message's organisation and recipient."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Identity, Organisation, Person, Workspace

PLATFORM = "slack"


@dataclass(frozen=True, kw_only=True)
class Target:
    """Where a message goes on Slack: the team, the recipient's user id (DMs) and their language."""

    team_id: str | None
    user_id: str | None
    locale: str


async def delivery_target(session: AsyncSession, *, org_id: int, person_id: int | None) -> Target:
    """The Slack team of `org_id` and, for a DM, the recipient's Slack user id and locale."""
    team_id = await session.scalar(
        select(Workspace.external_id)
        .where(Workspace.org_id == org_id, Workspace.platform == PLATFORM)
        .order_by(Workspace.id)
        .limit(1)
    )
    org_locale = await session.scalar(select(Organisation.default_locale).where(Organisation.id == org_id))
    if person_id is None:
        return Target(team_id=team_id, user_id=None, locale=org_locale or "en")
    row = (
        await session.execute(
            select(Identity.platform_user_id, Person.locale)
            .join(Person, Person.id == Identity.person_id)
            .where(Identity.org_id == org_id, Identity.person_id == person_id, Identity.platform == PLATFORM)
            .order_by(Identity.id)
            .limit(1)
        )
    ).first()
    if row is None:
        return Target(team_id=team_id, user_id=None, locale=org_locale or "en")
    return Target(team_id=team_id, user_id=row.platform_user_id, locale=row.locale or org_locale or "en")
