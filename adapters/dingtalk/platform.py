"""DingTalk as a Rapport platform (`bot.platform.Platform`): the stream in, the Open API out.

A robot message is one turn: its corporation joins `RAPPORT_ORG` on first contact (one internal app
serves one corporation), the core handles the event, and the reply goes back through the message's
`sessionWebhook` while it is valid, its answer checked. When the webhook has expired before the turn
the reply is queued in the outbox with the turn (delivered, retried, exactly once); when it fails
after, the reply is sent proactively (a DM through `batchSend`, a group post through
`groupMessages/send`). The first time this process meets someone, their profile (name, email) is
fetched from the user API and given to the core, which merges them into the imported person with the
same email.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

from adapters.delivery import DeliveryWorker
from adapters.dingtalk import inbound, render
from adapters.dingtalk.cards import Cards
from adapters.dingtalk.inbound import CARD_TOPIC, PLATFORM, ROBOT_TOPIC
from adapters.dingtalk.openapi import DingTalkApi, DingTalkError
from adapters.dingtalk.sender import DingTalkSender
from adapters.dingtalk.settings import DingTalkSettings
from adapters.dingtalk.stream import StreamClient
from bot.core import PRIVATELY
from bot.events import Event
from bot.identity import learn_profile, onboard
from bot.platform import Host, Profile, ProfileSeen, Runtime, WorkspaceSeen
from bot.replies import Reply
from store.outbox import Claimed

log = logging.getLogger(__name__)

WEBHOOK_MARGIN = 5.0  # seconds: a webhook this close to its end is treated as expired
PROFILED_KEPT = 50_000


class DingTalkPlatform:
    """DingTalk, built once by the platform table for `rapport serve` (and by tests)."""

    name = PLATFORM
    deliver = True  # run the delivery worker in `rapport serve` (a test may drive it itself)

    def __init__(
        self, *, runtime: Runtime, settings: DingTalkSettings, api: DingTalkApi | None = None, backoff: float = 1.0
    ) -> None:
        self.runtime = runtime
        self.settings = settings
        self.api = api or DingTalkApi(settings=settings)
        template = settings.card_template_id
        self.cards = Cards(api=self.api, template_id=template) if template else None
        self.sender = DingTalkSender(db=runtime.db, clock=runtime.clock, api=self.api, cards=self.cards)
        self.commands = frozenset(runtime.core.router.commands)
        topics = {ROBOT_TOPIC: self.on_message, CARD_TOPIC: self.on_card}
        self.stream = StreamClient(settings=settings, topics=topics, backoff=backoff)
        self.worker = DeliveryWorker(db=runtime.db, clock=runtime.clock, platform=PLATFORM, sender=self)
        self._orgs: dict[str, int] = {}
        self._profiled: OrderedDict[tuple[int, str], None] = OrderedDict()
        self._shown: OrderedDict[str, str] = OrderedDict()  # staff id -> the name DingTalk shows
        self._tasks: set[asyncio.Task] = set()

    # --- the contract ----------------------------------------------------------------------------
    def mount(self, host: Host) -> None:
        host.background("dingtalk-stream", self.stream.run)
        if self.deliver:
            host.background("dingtalk-delivery", self.worker.run)
        host.on_stop(self.close)

    def to_event(self, payload: Mapping[str, Any], *, names: Mapping[str, str] | None = None) -> Event | None:
        return inbound.to_event(payload, commands=self.commands, names=names)

    def render(self, reply: Reply) -> Sequence[render.RobotMessage]:
        return render.messages(reply)

    async def prepare(self, messages: list[Claimed]) -> None:
        await self.sender.prepare(messages)

    async def send(self, message: Claimed) -> None:
        await self.sender.send(message)

    async def fetch_profile(self, *, workspace: str, user_id: str) -> Profile | None:
        found = await self.api.user(user_id)
        return Profile(name=found.name, email=found.email) if found else None

    async def close(self) -> None:
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.api.close()

    # --- what the stream pushes ------------------------------------------------------------------
    async def on_message(self, data: Mapping[str, Any], message_id: str) -> None:
        """One robot message: the turn, then its reply to the person who wrote.

        In their 1:1 chat with the robot the reply goes through the message's sessionWebhook, or, when
        that has expired, is queued with the turn. In a group everyone would read it (a feedback's "only
        Ann will see it", an export): it goes to the person's 1:1 chat instead, as Slack shows such a
        reply to its author alone; what is meant for the group (a kudos post) is posted there.
        """
        actor = inbound.actor_of(data)
        event = self.to_event(data, names=await self._names(inbound.mentioned(data)))
        if actor is None or event is None:
            return
        org_id = await self._org(actor.org)
        direct = event.channel is None or event.channel.is_dm
        webhook_valid = direct and _webhook_valid(data)
        queue = None if webhook_valid else (lambda reply: PRIVATELY)
        reply = await self.runtime.core.handle(event, queue_reply=queue)
        self._learn_profile(org_id, actor.user_id)
        if reply is not None and webhook_valid:
            await self.answer(data, reply)

    async def on_card(self, data: Mapping[str, Any], message_id: str) -> None:
        """A click on an interactive card: the press, whose reply replaces the card (the rest of a
        long reply follows as messages)."""
        event = inbound.card_action(data)
        if event is None:
            return
        await self._org(event.actor.org)
        reply = await self.runtime.core.handle(event)
        if reply is None:
            return
        first, *rest = render.messages(reply)
        if self.cards is not None and data.get("outTrackId"):
            await self.cards.update(data["outTrackId"], first)
        else:
            rest = [first, *rest]
        for message in rest:
            await self._proactively(message, staff_id=event.actor.user_id)

    async def answer(self, data: Mapping[str, Any], reply: Reply) -> None:
        """Each message of the reply through the sessionWebhook of a 1:1 chat, else proactively."""
        webhook = data.get("sessionWebhook") or ""
        staff_id = data.get("senderStaffId") or ""
        for message in render.messages(reply):
            if not (self.cards and message.actions):  # a sessionWebhook takes no interactive card
                try:
                    await self.api.webhook(webhook, message)
                    continue
                except DingTalkError as error:
                    log.info("DingTalk sessionWebhook refused a reply (%s); sending it proactively", error)
            try:
                await self._proactively(message, staff_id=staff_id)
            except DingTalkError:
                log.exception("DingTalk refused a reply both ways; it is lost")
                return

    async def _proactively(self, message: render.RobotMessage, *, staff_id: str = "", group: str = "") -> None:
        """One message into a person's 1:1 chat with the robot, or a group: a card when it has
        buttons and cards are set up."""
        if self.cards is not None and message.actions:
            await self.cards.deliver(message, staff_id=staff_id, conversation_id=group)
        elif staff_id:
            await self.api.batch_send([staff_id], message)
        else:
            await self.api.group_send(group, message)

    async def _names(self, staff_ids: list[str]) -> dict[str, str]:
        """The names DingTalk shows for these people (to find "@Alice Smith" in a text), from the
        user API, remembered; those it cannot give are left out."""
        found = {}
        for staff_id in staff_ids:
            name = self._shown.get(staff_id)
            if name is None:
                try:
                    profile = await self.api.user(staff_id)
                except DingTalkError:
                    continue
                name = profile.name if profile and profile.name else ""
                self._shown[staff_id] = name
                while len(self._shown) > PROFILED_KEPT:
                    self._shown.popitem(last=False)
            if name:
                found[staff_id] = name
        return found

    async def _org(self, corp: str) -> int:
        known = self._orgs.get(corp)
        if known is None:
            seen = WorkspaceSeen(
                platform=PLATFORM, external_id=corp, org_slug=self.settings.org, org_name=self.settings.org.title()
            )
            known = self._orgs[corp] = await onboard(self.runtime.db, seen=seen, clock=self.runtime.clock)
        return known

    def _learn_profile(self, org_id: int, staff_id: str) -> None:
        """The first time this process meets someone: their profile, in the background."""
        key = (org_id, staff_id)
        if key in self._profiled:
            return
        self._profiled[key] = None
        while len(self._profiled) > PROFILED_KEPT:
            self._profiled.popitem(last=False)
        task = asyncio.ensure_future(self._fetch_and_learn(org_id, staff_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _fetch_and_learn(self, org_id: int, staff_id: str) -> None:
        try:
            profile = await self.fetch_profile(workspace="", user_id=staff_id)
            if profile is not None:
                seen = ProfileSeen(org_id=org_id, platform=PLATFORM, user_id=staff_id, profile=profile)
                await learn_profile(self.runtime.db, seen=seen, clock=self.runtime.clock)
        except Exception:  # a profile is a nicety: the next process start tries again
            log.exception("DingTalk profile of %s could not be fetched", staff_id)
            self._profiled.pop((org_id, staff_id), None)


def _webhook_valid(data: Mapping[str, Any]) -> bool:
    """Whether the message's sessionWebhook is still good for a while. Its expiry is DingTalk's real
    time, so it is compared with the real time, not with Rapport's clock (which tests set anywhere)."""
    expiry = data.get("sessionWebhookExpiredTime")
    if not data.get("sessionWebhook") or not isinstance(expiry, int | float):
        return False
    return expiry / 1000 > time.time() + WEBHOOK_MARGIN
