"""What Rapport does with a verified Feishu event, whichever way it came (HTTP callback or the long
connection): onboard the tenant, translate, hand the core one event, answer, and learn the person's
profile the first time this process sees them.

A message (`im.message.receive_v1`) is answered through the outbox, as a direct message to the person
who wrote (in a group, what the core answers one person is for that person only); the core writes it
in the turn's own transaction. Feishu retries an event it got no answer to, with the same event_id:
the core acts on it once. A card button (`card.action.trigger`) is answered in the callback: a polite
mistake as a toast, leaving the card as it was; anything else replaces the card the button was on,
so a form's card moves on to the next question in place.

An internal app serves one tenant: the first one Rapport hears from joins RAPPORT_ORG; any other is
ignored (and logged), never joined.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any

from adapters.app import App
from adapters.feishu.api import FeishuApi, FeishuError
from adapters.feishu.inbound import PLATFORM, event_type, tenant_of, to_event
from adapters.feishu.render import cards
from adapters.feishu.settings import FeishuSettings
from bot.core import UnknownWorkspace, answer_privately
from bot.events import Action, Event
from bot.identity import learn_profile, onboard
from bot.platform import Profile, ProfileSeen, WorkspaceSeen
from bot.replies import Reply
from store import orgs, reach

log = logging.getLogger(__name__)
PROFILE_RETRY = 600.0  # seconds before asking again for a profile Feishu could not give


class FeishuEvents:
    """Handles verified event payloads (schema 2.0) and says what to answer Feishu."""

    def __init__(self, *, app: App, settings: FeishuSettings, api: FeishuApi) -> None:
        self.app = app
        self.settings = settings
        self.api = api
        self.bot_open_id: str | None = None
        self._orgs: dict[str, int] = {}  # tenant -> organisation, once onboarded
        self._profiled: set[str] = set()  # learnt, or refused for good, in this process
        self._retry_at: dict[str, float] = {}  # a profile Feishu could not give just now: when to ask again
        self._learning: set[asyncio.Task] = set()

    async def learn_identity(self) -> None:
        """Rapport's own open_id, to tell its mention apart; tried again on the next event if Feishu
        cannot be reached now."""
        try:
            self.bot_open_id = await self.api.bot_open_id()
        except FeishuError as error:
            log.warning("could not read the bot's open_id from Feishu: %s", error.reason)

    async def _org_of(self, tenant: str) -> int | None:
        if tenant in self._orgs:
            return self._orgs[tenant]
        async with self.app.db.read() as session:
            org = await orgs.for_workspace(session, platform=PLATFORM, external_id=tenant)
            home = org or await orgs.by_slug(session, self.settings.org)
            other = home and await reach.workspace_of(session, org_id=home.id, platform=PLATFORM)
        if org is None and other and other != tenant:
            log.warning("ignoring Feishu tenant %s: %s belongs to tenant %s", tenant, self.settings.org, other)
            return None
        seen = WorkspaceSeen(platform=PLATFORM, external_id=tenant, org_slug=self.settings.org)
        org_id = await onboard(self.app.db, seen=seen, clock=self.app.clock)
        if org_id is not None:
            self._orgs[tenant] = org_id
        return org_id

    async def handle(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """The answer to one event: `{}` for most, a toast or a card for a card callback."""
        if self.bot_open_id is None:
            await self.learn_identity()
        tenant = tenant_of(payload)
        event = to_event(payload, bot_open_id=self.bot_open_id, commands=self.app.core.router.commands)
        if event is None or not tenant:
            return {}
        org_id = await self._org_of(tenant)
        if org_id is None:
            return {}
        try:
            if isinstance(event, Action):
                return answer_card(await self.app.core.handle(event))
            await self.app.core.handle(event, queue_reply=answer_privately)
        except UnknownWorkspace:
            log.info("an event from a Feishu tenant no organisation owns: %s", event_type(payload))
        finally:
            self._learn_later(event, org_id)
        return {}

    def _learn_later(self, event: Event, org_id: int) -> None:
        """Fetch the person's profile after their first event here, without holding up the answer."""
        user_id = event.actor.user_id
        if user_id in self._profiled or time.monotonic() < self._retry_at.get(user_id, 0.0):
            return
        self._profiled.add(user_id)
        task = asyncio.create_task(self._learn(org_id, user_id))
        self._learning.add(task)
        task.add_done_callback(self._learning.discard)

    async def _learn(self, org_id: int, user_id: str) -> None:
        try:
            profile = await self.fetch_profile(user_id)
        except FeishuError as error:
            if not error.permanent:  # asked again after a while, not on every event of an outage
                self._profiled.discard(user_id)
                self._retry_at[user_id] = time.monotonic() + PROFILE_RETRY
            log.info("could not read the Feishu profile of %s: %s", user_id, error.reason)
            return
        seen = ProfileSeen(org_id=org_id, platform=PLATFORM, user_id=user_id, profile=profile)
        await learn_profile(self.app.db, seen=seen, clock=self.app.clock)

    async def fetch_profile(self, user_id: str) -> Profile:
        return await self.api.profile(user_id)

    async def settle(self) -> None:
        """Wait for the profiles being learnt (tests; and shutdown)."""
        while self._learning:
            await asyncio.gather(*self._learning, return_exceptions=True)


def answer_card(reply: Reply | None) -> dict[str, Any]:
    """A card callback's answer: a mistake is a toast; a reply replaces the card."""
    if reply is None:
        return {}
    if reply.error:
        return {"toast": {"type": "error", "content": reply.plain_text()}}
    return {"card": {"type": "raw", "data": cards(reply)[0]}}
