"""DingTalk mounted on a test app against the fake: speak as seeded people, read what they got."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

from adapters.dingtalk.inbound import ROBOT_TOPIC
from adapters.dingtalk.platform import DingTalkPlatform
from store import orgs, people
from tests.dingtalk.fake import CORP, FakeDingTalk


@dataclass
class DingTalkChat:
    app: object
    fake: FakeDingTalk
    platform: DingTalkPlatform
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task | None = None
    last: dict | None = None

    async def start(self, *, linked: tuple[str, ...] = ("carol", "alice", "bob", "wei", "erin")) -> None:
        """The corporation linked to the seeded organisation, each handle's staff id its handle."""
        await link_corp(self.app, handles=linked)
        self.task = asyncio.create_task(self.platform.stream.run(self.stop))
        await self.fake.connected()

    async def close(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, 5)
        await self.platform.close()

    async def say(self, who: str, text: str, *, at: tuple[str, ...] = (), group: str | None = None, **options) -> dict:
        self.last = self.fake.robot_message(who, text, at=at, group=group, **options)
        ack = await self.fake.push(ROBOT_TOPIC, self.last)
        assert ack is not None and ack["code"] == 200
        return ack

    async def deliver(self):
        outcomes = []
        while batch := await self.platform.worker.run_once():
            outcomes += batch
            if all(o.status != "sent" for o in batch):
                break
        return outcomes

    def seen(self, who: str) -> list[str]:
        """Every message `who` got: replies in their 1:1 chat's webhook and DMs."""
        webhooks = {self._session(m) for m in self._messages_from(who)}
        return [s.text for s in self.fake.sent if (s.api == "batch" and s.to == who) or (s.api == "webhook" and s.to in webhooks)]

    def _messages_from(self, who: str):
        return [m for m in self._pushed if m["senderStaffId"] == who and m["conversationType"] == "1"]

    @staticmethod
    def _session(message: dict) -> str:
        return message["sessionWebhook"].rsplit("=", 1)[1]

    @property
    def _pushed(self) -> list[dict]:
        return [json.loads(f["data"]) for f in self.fake.pushed]


async def link_corp(app, *, slug: str = "acme", handles: tuple[str, ...] = ("carol", "alice", "bob", "wei", "erin")) -> None:
    """The fake's corporation linked to the organisation, each handle's staff id its handle."""
    async with app.db.transaction() as session:
        org = await orgs.by_slug(session, slug)
        await orgs.link_workspace(session, org_id=org.id, platform="dingtalk", external_id=CORP, now=app.clock.now())
        for handle in handles:
            person = await people.by_handle(session, org_id=org.id, handle=handle)
            await people.add_identity(session, org_id=org.id, person_id=person.id, platform="dingtalk", user_id=handle)
