"""What Rapport does with a verified Feishu event, whichever way it came (HTTP callback or the long
connection): link the tenant, translate, hand the core one event, and answer.

A message (`im.message.receive_v1`) is answered through the outbox, as a direct message to the person
who wrote (in a group, what the core answers one person is for that person only); the core writes it
in the turn's own transaction. Feishu retries an event it got no answer to, with the same event_id:
the core acts on it once. A card button (`card.action.trigger`) is answered in the callback: a polite
mistake as a toast, leaving the card as it was; anything else replaces the card the button was on,
so a form's card moves on to the next question in place.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from adapters.app import App
from adapters.feishu.api import FeishuApi, FeishuError
from adapters.feishu.inbound import PLATFORM, event_type, tenant_of, to_event
from adapters.feishu.render import cards
from adapters.feishu.settings import FeishuSettings
from bot.core import PRIVATELY, UnknownWorkspace
from bot.events import Action
from bot.replies import Reply
from store import feishu as feishu_store
from store import orgs

log = logging.getLogger(__name__)


class FeishuEvents:
    """Handles verified event payloads (schema 2.0) and says what to answer Feishu."""

    def __init__(self, *, app: App, settings: FeishuSettings, api: FeishuApi) -> None:
        self.app = app
        self.settings = settings
        self.api = api
        self.bot_open_id: str | None = None
        self._linked: set[str] = set()

    async def learn_identity(self) -> None:
        """Rapport's own open_id, to tell its mention apart; tried again on the next event if Feishu
        cannot be reached now."""
        try:
            self.bot_open_id = await self.api.bot_open_id()
        except FeishuError as error:
            log.warning("could not read the bot's open_id from Feishu: %s", error.reason)

    async def _link(self, tenant: str) -> bool:
        """Make the app's tenant belong to RAPPORT_ORG on first sight; False for another tenant
        (an internal app serves one)."""
        if tenant in self._linked:
            return True
        now = self.app.clock.now()
        async with self.app.db.transaction() as session:
            if await orgs.for_workspace(session, platform=PLATFORM, external_id=tenant) is None:
                org = await orgs.by_slug(session, self.settings.org) or await orgs.create(
                    session, slug=self.settings.org, name=self.settings.org, now=now
                )
                if await feishu_store.tenant_of_org(session, org_id=org.id):
                    log.warning("ignoring Feishu tenant %s: %s has one already", tenant, self.settings.org)
                    return False
                await orgs.link_workspace(session, org_id=org.id, platform=PLATFORM, external_id=tenant, now=now)
        self._linked.add(tenant)
        return True

    async def handle(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """The answer to one event: `{}` for most, a toast or a card for a card callback."""
        if self.bot_open_id is None:
            await self.learn_identity()
        tenant = tenant_of(payload)
        event = to_event(payload, bot_open_id=self.bot_open_id, commands=self.app.core.router.commands)
        if event is None or not tenant or not await self._link(tenant):
            return {}
        try:
            if isinstance(event, Action):
                return answer_card(await self.app.core.handle(event))
            await self.app.core.handle(event, queue_reply=lambda reply: PRIVATELY)
        except UnknownWorkspace:
            log.info("an event from a Feishu tenant no organisation owns: %s", event_type(payload))
        return {}


def answer_card(reply: Reply | None) -> dict[str, Any]:
    """A card callback's answer: a mistake is a toast; a reply replaces the card."""
    if reply is None:
        return {}
    if reply.error:
        return {"toast": {"type": "error", "content": reply.plain_text()}}
    return {"card": {"type": "raw", "data": cards(reply)[0]}}

