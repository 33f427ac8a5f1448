"""People's Slack profiles, filled in the background from `users.info`, never on the request path.

The queue is the database itself: every Slack identity without a `slack_profile` row is work. So a
person first seen in a request (or mentioned in one) is picked up by the next pass of the filler,
nothing is lost in a restart, and nothing here holds state between passes. What a profile changes,
and how a first-sight person merges into an imported one with the same email, is the core's
(`bot.identity.apply_profile`), the same for every platform.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError

from adapters.slack import storage
from adapters.slack.workspaces import Workspaces
from bot.clock import Clock
from bot.i18n import normalise_locale
from bot.identity import apply_profile
from bot.platform import Profile, ProfileSeen
from store import orgs
from store.db import Database

log = logging.getLogger(__name__)


def profile_of(user: dict[str, Any]) -> Profile:
    """The fields Rapport keeps from a `users.info` user (email only when users:read.email allows)."""
    profile = user.get("profile") or {}
    return Profile(
        name=profile.get("real_name") or user.get("real_name") or profile.get("display_name") or None,
        email=profile.get("email") or None,
        timezone=user.get("tz") or None,
        locale=normalise_locale(user.get("locale")),
    )


class ProfileFiller:
    """Fetches the profile of each Slack user Rapport has not asked about yet, one batch a pass."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        workspaces: Workspaces,
        batch_size: int = 20,
        interval: float = 1.0,
    ) -> None:
        self.db = db
        self.clock = clock
        self.workspaces = workspaces
        self.batch_size = batch_size
        self.interval = interval

    async def run_once(self) -> int:
        """Fill one batch; returns how many profiles were settled (fetched, or given up on)."""
        async with self.db.read() as session:
            work = await storage.unfetched_profiles(session, limit=self.batch_size)
        settled = 0
        for item in work:
            if not await self._fill(item):
                break  # Slack is busy or unreachable: the rest wait for the next pass
            settled += 1
        return settled

    async def _fill(self, item: storage.ProfileWork) -> bool:
        client = await self.workspaces.client(item.team_id)
        profile, error = None, None
        if client is None:
            error = f"Rapport is not installed in workspace {item.team_id}"
        else:
            try:
                response = await client.users_info(user=item.user_id, include_locale=True)
                profile = profile_of(response["user"])
            except SlackApiError as failure:
                if failure.response.status_code == 429 or failure.response.status_code >= 500:
                    return False
                error = str(failure.response.get("error") or failure.response.status_code)
            except (aiohttp.ClientError, TimeoutError):
                return False
        async with self.db.transaction() as session:
            now = self.clock.now()
            if profile is not None:
                seen = ProfileSeen(
                    org_id=item.org_id, platform=storage.PLATFORM, user_id=item.user_id, profile=profile
                )
                await apply_profile(session, seen=seen, now=now)
            await storage.record_fetch(
                session,
                org_id=item.org_id,
                user_id=item.user_id,
                now=now,
                error=error,
                profile=profile.as_dict() if profile else None,
            )
        return True

    async def refresh(self, *, team_id: str, user: dict[str, Any]) -> None:
        """A profile changed on Slack (`user_change`, which carries the whole user): the person's name
        and time zone follow where they came from Slack, and a time zone change moves the next check-in.
        Users Rapport has not met are ignored, as are bots and deactivated accounts."""
        if user.get("is_bot") or user.get("deleted") or not user.get("id"):
            return
        async with self.db.transaction() as session:
            org = await orgs.for_workspace(session, platform=storage.PLATFORM, external_id=team_id)
            before = await storage.last_said(session, org_id=org.id, user_id=user["id"]) if org else None
            if before is None:  # not met, or the first profile is the filler's to fetch
                return
            now, profile = self.clock.now(), profile_of(user)
            seen = ProfileSeen(
                org_id=org.id, platform=storage.PLATFORM, user_id=user["id"], profile=profile, before=before
            )
            await apply_profile(session, seen=seen, now=now)
            await storage.remember_said(session, org_id=org.id, user_id=user["id"], profile=profile.as_dict())

    async def run(self, stop: asyncio.Event) -> None:
        """Fill profiles until `stop` is set. A pass still waiting on Slack then is cut short, so that
        the server stops at once: the profiles it settled are kept, the rest wait for the next start."""
        while not stop.is_set():
            work, halt = asyncio.ensure_future(self.run_once()), asyncio.ensure_future(stop.wait())
            try:
                await asyncio.wait((work, halt), return_when=asyncio.FIRST_COMPLETED)
            finally:
                halt.cancel()
                if not work.done():
                    work.cancel()
                    await asyncio.gather(work, return_exceptions=True)
            if work.cancelled():
                return
            try:
                settled = work.result()
            except Exception:
                log.exception("profile pass failed; trying again")
                settled = 0
            if settled < self.batch_size:
                try:
                    await asyncio.wait_for(stop.wait(), timeout=self.interval)
                except TimeoutError:
                    pass
