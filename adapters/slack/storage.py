"""What the Slack adapter keeps in its own table: the profile queue (Slack identities whose profile has
not been fetched) and what Slack said last about each user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.slack.tables import SlackProfile
from bot.platform import Profile
from store.models import Identity, Workspace

PLATFORM = "slack"


@dataclass(frozen=True, kw_only=True)
class ProfileWork:
    """A Slack user whose profile has not been fetched: where to ask (team) and whom."""

    org_id: int
    team_id: str
    user_id: str


async def unfetched_profiles(session: AsyncSession, *, limit: int) -> list[ProfileWork]:
    """Slack identities with no profile fetched yet, oldest first, across organisations.

    Like the delivery worker's claims, this serves every organisation at once; each row names its own.
    """
    team = (
        select(func.min(Workspace.external_id))
        .where(Workspace.org_id == Identity.org_id, Workspace.platform == PLATFORM)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Identity.org_id, team.label("team_id"), Identity.platform_user_id)
        .outerjoin(
            SlackProfile,
            (SlackProfile.org_id == Identity.org_id) & (SlackProfile.user_id == Identity.platform_user_id),
        )
        .where(Identity.platform == PLATFORM, SlackProfile.user_id.is_(None))
        .order_by(Identity.id)
        .limit(limit)
    )
    return [
        ProfileWork(org_id=org_id, team_id=team_id, user_id=user_id)
        for org_id, team_id, user_id in rows
        if team_id is not None
    ]


async def record_fetch(
    session: AsyncSession,
    *,
    org_id: int,
    user_id: str,
    now: datetime,
    error: str | None = None,
    profile: Mapping[str, str | None] | None = None,
) -> None:
    """Mark a user's profile fetched (or given up on, with the reason), so it is not asked for again,
    and keep the name and time zone Slack gave (a later change is compared with them: `last_said`)."""
    row = await session.get(SlackProfile, (org_id, user_id))
    if row is None:
        row = SlackProfile(org_id=org_id, user_id=user_id, fetched_at=now)
        session.add(row)
    row.fetched_at, row.error = now, error
    if profile is not None:
        _said(row, profile)
    await session.flush()


async def remember_said(
    session: AsyncSession, *, org_id: int, user_id: str, profile: Mapping[str, str | None]
) -> None:
    """Keep what Slack now says about a user whose profile was fetched (a `user_change`)."""
    row = await session.get(SlackProfile, (org_id, user_id))
    if row is not None:
        _said(row, profile)
        await session.flush()


def _said(row: SlackProfile, profile: Mapping[str, str | None]) -> None:
    row.display_name = profile.get("name") or row.display_name
    row.timezone = profile.get("timezone") or row.timezone


async def last_said(session: AsyncSession, *, org_id: int, user_id: str) -> Profile | None:
    """What Slack said last about a user (None: their first profile has yet to be fetched)."""
    row = await session.get(SlackProfile, (org_id, user_id))
    if row is None:
        return None
    return Profile(name=row.display_name, timezone=row.timezone)
