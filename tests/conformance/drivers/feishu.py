"""Feishu through the fake Feishu Open Platform that the real lark-oapi client talks to: events and card
callbacks as Feishu sends them, to `/feishu/events` (encrypted and signed) or down lark-oapi's long
connection. What a person sees is every card sent to their open_id, and every card a button's callback
put in place of the one pressed, in order."""

from __future__ import annotations

import json
import os
import re
from typing import Any

from adapters.feishu.entry import ENTRY
from adapters.feishu.verify import NONCE, SIGNATURE, TIMESTAMP, encrypt, signature
from bot.platform import Profile
from tests.conformance.driver import HANDLES, Served, link_people, newest_with
from tests.feishu.conftest import TENANT, TOKEN, buttons_of, card_action, dm_chat, message_event, open_id
from tests.feishu.fake_feishu import FakeFeishu, Sent, _texts

ENCRYPT_KEY = "conformance-encrypt-key"
_MARKS = re.compile(r"\*\*([^*\n]+)\*\*|\*([^*\n]+)\*")


def _plain(card: dict[str, Any]) -> str:
    text = "\n".join(_texts(card.get("body", {}).get("elements", [])))
    return _MARKS.sub(lambda m: m.group(1) or m.group(2), text)


def _buttons(item: tuple[dict[str, Any], str | None]) -> list[tuple[str, tuple[dict[str, Any], str | None]]]:
    card, message_id = item
    found = buttons_of(Sent("open_id", "", "interactive", json.dumps(card), message_id or ""))
    return [(b["text"]["content"], (b["behaviors"][0]["value"], message_id)) for b in found]


class FeishuDriver(Served):
    name = "feishu"
    has_profiles = True
    workspace = TENANT
    long_connection = False
    answers_through_outbox = True  # Feishu's events get no answer in the response: a message follows

    def __init__(self, app, org) -> None:
        self.app, self.org = app, org
        self.timeline: dict[str, list[tuple[dict[str, Any], str | None]]] = {}
        self.taken = 0
        self.last: dict[str, Any] | None = None

    async def start(self) -> None:
        self.fake = FakeFeishu()
        await self.fake.start()
        for handle, name in HANDLES.items():
            self.fake.add_user(open_id(handle), name=name)
        environ = {
            "FEISHU_APP_ID": self.fake.app_id,
            "FEISHU_APP_SECRET": self.fake.app_secret,
            "FEISHU_VERIFICATION_TOKEN": TOKEN,
            "FEISHU_ENCRYPT_KEY": ENCRYPT_KEY,
            "FEISHU_DOMAIN": self.fake.url,
            "FEISHU_LONG_CONNECTION": "1" if self.long_connection else "",
            "RAPPORT_ORG": self.org.slug,
        }
        assert ENTRY.enabled(environ)
        self.feishu = ENTRY.build(self.app, environ)
        self.feishu.deliver = False
        self.feishu.worker.batch_size, self.feishu.worker.jitter = 100, lambda: 0.0
        await link_people(self.app, self.org, platform="feishu", user_id=self.user_id)  # by feishu_user_id
        await self.serve(self.app, self.feishu, "/feishu/events")

    def user_id(self, who: str) -> str:
        return open_id(who)

    async def _send(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.last = payload
        text = json.dumps({"encrypt": encrypt(json.dumps(payload), encrypt_key=ENCRYPT_KEY, iv=os.urandom(16))})
        body = text.encode()
        stamp, nonce = "1764806400", os.urandom(8).hex()
        headers = {
            TIMESTAMP: stamp,
            NONCE: nonce,
            SIGNATURE: signature(timestamp=stamp, nonce=nonce, encrypt_key=ENCRYPT_KEY, body=body),
        }
        async with self.http.post(self.url, data=body, headers=headers) as response:
            assert response.status == 200, await response.text()
            return await response.json()

    async def say(self, who: str, text: str) -> None:
        await self._send(message_event(who, text))

    async def again(self) -> None:
        await self._send(self.last)

    async def press(self, who: str, label: str) -> None:
        self._take()
        value, message_id = newest_with(self.timeline.get(who, []), _buttons, label)
        answer = await self._send(card_action(who, value, chat_id=dm_chat(who), message_id=message_id or ""))
        if "card" in answer:  # the pressed card, replaced in place
            self.timeline[who].append((answer["card"]["data"], message_id))

    def _take(self) -> None:
        """What Feishu delivered since, into each person's timeline."""
        for sent in self.fake.sent[self.taken :]:
            who = sent.receive_id.removeprefix("ou_")
            self.timeline.setdefault(who, []).append((sent.card, sent.message_id))
        self.taken = len(self.fake.sent)

    async def deliver(self) -> None:
        await self.feishu.events.settle()
        for _ in range(50):
            if not await self.feishu.worker.run_once():
                break
        self._take()

    def seen(self, who: str) -> list[str]:
        self._take()
        return [_plain(card) for card, _ in self.timeline.get(who, [])]

    def rate_limit(self, *, times: int, retry_after: float) -> None:
        self.fake.fail("rate_limit", times=times, reset=int(retry_after))

    def give_profile(self, who: str, profile: Profile) -> None:
        self.fake.add_user(open_id(who), name=profile.name, email=profile.email, time_zone=profile.timezone)

    async def fetch_profile(self, who: str) -> Profile | None:
        return await self.feishu.fetch_profile(workspace=TENANT, user_id=open_id(who))


class FeishuLongConnectionDriver(FeishuDriver):
    """The same, over lark-oapi's long connection: events and callbacks come down the WebSocket."""

    long_connection = True

    async def start(self) -> None:
        await super().start()
        import asyncio

        await asyncio.wait_for(self.fake.long_connection.connected.wait(), 10)

    async def _send(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.last = payload
        return await self.fake.long_connection.push(payload)
