"""Who a platform's workspace and users are, written once for every platform and fed by neutral facts.

A platform says what it saw (`bot.platform.WorkspaceSeen`, `bot.platform.ProfileSeen`); the policy
of what follows (which organisation a workspace joins, which fields a profile may change, when two
people are one) lives here and in `store.profiles`.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkins import cycle
from bot.clock import Clock
from bot.platform import ProfileSeen, WorkspaceSeen
from store import orgs, profiles
from store.db import Database
from store.models import Person

log = logging.getLogger(__name__)


async def onboard(db: Database, *, seen: WorkspaceSeen, clock: Clock) -> int | None:
    """The organisation a workspace belongs to, linking it first when its configuration says which.

    A workspace already linked answers with its organisation. Else, with `seen.org_slug`, it joins
    that organisation (created when missing); without, it is not Rapport's to serve (None). Two
    requests that link the same workspace at once link it once.
    """
    async with db.read() as session:
        org = await orgs.for_workspace(session, platform=seen.platform, external_id=seen.external_id)
    if org is not None:
        return org.id
    if seen.org_slug is None:
        return None
    try:
        async with db.transaction() as session:
            org = await orgs.by_slug(session, seen.org_slug) or await orgs.create(
                session, slug=seen.org_slug, name=seen.org_name or seen.org_slug, now=clock.now()
            )
            await orgs.link_workspace(
                session, org_id=org.id, platform=seen.platform, external_id=seen.external_id, now=clock.now()
            )
            return org.id
    except IntegrityError:  # another request linked it first
        log.info("%s workspace %s was linked by a concurrent request", seen.platform, seen.external_id)
        async with db.read() as session:
            org = await orgs.for_workspace(session, platform=seen.platform, external_id=seen.external_id)
        return org.id if org else None


async def learn_profile(db: Database, *, seen: ProfileSeen, clock: Clock) -> Person | None:
    """`apply_profile` in a transaction of its own."""
    async with db.transaction() as session:
        return await apply_profile(session, seen=seen, now=clock.now())


async def apply_profile(session: AsyncSession, *, seen: ProfileSeen, now: datetime) -> Person | None:
    """Apply a profile a platform gave: the first one fills the person (merging a first-sight person
    into the imported one with the same email), a later one refreshes what came from the platform.
    A check-in planned before the person's time zone was known (or changed) moves with it. In the
    caller's transaction, so that a platform can record what it fetched with it.

    Returns:
        The person holding the identity after a first profile; after a later one, the person when
        their time zone moved. None when Rapport has not met the user.
    """
    common = {"org_id": seen.org_id, "platform": seen.platform, "user_id": seen.user_id, "now": now}
    profile = seen.profile.as_dict()
    if seen.before is None:
        person = await profiles.fill_profile(session, profile=profile, **common)
    else:
        person = await profiles.refresh_profile(
            session, profile=profile, before=seen.before.as_dict(), **common
        )
    if person is not None:
        await cycle.follow_timezones(session, org_id=seen.org_id, person_ids=[person.id], now=now)
    return person
