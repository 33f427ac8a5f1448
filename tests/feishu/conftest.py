"""Fixtures for the Feishu adapter: a fake Feishu Open Platform, and Rapport's `/feishu/events` over
loopback HTTP, signed (and encrypted, with an encrypt key) as Feishu sends it."""

from __future__ import annotations

import itertools
import json
import os
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.delivery import Outcome
from adapters.feishu.api import FeishuApi
from adapters.feishu.endpoint import FeishuEndpoint
from adapters.feishu.events import FeishuEvents
from adapters.feishu.sender import FeishuSender, feishu_worker
from adapters.feishu.settings import FeishuSettings
from adapters.feishu.verify import NONCE, SIGNATURE, TIMESTAMP, encrypt, signature
from store import people
from tests.feishu.fake_feishu import BOT_OPEN_ID, FakeFeishu, Sent
from tests.support import PEOPLE

TENANT = "tenant-acme"
TOKEN = "verification-token"
ENCRYPT_KEY = "encrypt-key-of-the-app"
NAMES = {handle: name for handle, name, *_ in PEOPLE}
_HANDLE = re.compile(r"@([a-z]+)\b")


def open_id(handle: str) -> str:
    return f"ou_{handle}"


def dm_chat(handle: str) -> str:
    return f"oc_dm_{handle}"


def message_event(
    sender: str,
    text: str,
    *,
    chat_id: str | None = None,
    mention_bot: bool = False,
    event_id: str | None = None,
    names: dict[str, str] = NAMES,
) -> dict[str, Any]:
    """An `im.message.receive_v1` event as Feishu sends it: each `@handle` of a person in `names` (the
    seeded people) becomes an `@_user_N` placeholder with its entry in `mentions`; in a group, the
    bot is mentioned first."""
    mentions: list[dict[str, Any]] = []
    counter = itertools.count(1)

    def placeholder(open_id_: str, name: str) -> str:
        key = f"@_user_{next(counter)}"
        ids = {"open_id": open_id_, "union_id": f"on_{open_id_}", "user_id": None}
        mentions.append({"key": key, "id": ids, "name": name, "tenant_key": TENANT})
        return key

    if mention_bot:
        text = f"{placeholder(BOT_OPEN_ID, 'Rapport')} {text}"
    text = _HANDLE.sub(lambda m: placeholder(open_id(m[1]), names[m[1]]) if m[1] in names else m[0], text)
    return {
        "schema": "2.0",
        "header": {
            "event_id": event_id or uuid.uuid4().hex,
            "event_type": "im.message.receive_v1",
            "create_time": "1764806400000",
            "token": TOKEN,
            "app_id": "cli_test",
            "tenant_key": TENANT,
        },
        "event": {
            "sender": {
                "sender_id": {"open_id": open_id(sender), "union_id": f"on_{sender}", "user_id": None},
                "sender_type": "user",
                "tenant_key": TENANT,
            },
            "message": {
                "message_id": f"om_{uuid.uuid4().hex[:12]}",
                "create_time": "1764806400000",
                "chat_id": chat_id or dm_chat(sender),
                "chat_type": "group" if chat_id else "p2p",
                "message_type": "text",
                "content": json.dumps({"text": text}, ensure_ascii=False),
                "mentions": mentions or None,
            },
        },
    }


def card_action(who: str, value: dict[str, Any], *, chat_id: str, message_id: str, option: str | None = None) -> dict:
    """A `card.action.trigger` callback: `who` pressed a button (or picked `option` in a menu)."""
    action: dict[str, Any] = {"value": value, "tag": "select_static" if option else "button"}
    if option:
        action["option"] = option
    return {
        "schema": "2.0",
        "header": {
            "event_id": uuid.uuid4().hex,
            "event_type": "card.action.trigger",
            "token": TOKEN,
            "tenant_key": TENANT,
            "app_id": "cli_test",
        },
        "event": {
            "operator": {"open_id": open_id(who), "tenant_key": TENANT},
            "token": "c-" + uuid.uuid4().hex,
            "action": action,
            "host": "im_message",
            "context": {"open_message_id": message_id, "open_chat_id": chat_id},
        },
    }


def buttons_of(sent: Sent) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(element: Any) -> None:
        if isinstance(element, dict):
            if element.get("tag") == "button":
                found.append(element)
            for value in element.values():
                walk(value)
        elif isinstance(element, list):
            for item in element:
                walk(item)

    walk(sent.card)
    return found


@dataclass
class FeishuHarness:
    """Rapport's Feishu request URL on 127.0.0.1, the fake Feishu it talks to, and a test's moves."""

    app: Any
    fake: FakeFeishu
    settings: FeishuSettings
    events: FeishuEvents
    sender: FeishuSender
    url: str = ""
    http: aiohttp.ClientSession | None = None
    responses: list[tuple[int, Any]] = field(default_factory=list)
    last: bytes = b""

    def sign(self, body: bytes) -> dict[str, str]:
        if not self.settings.encrypt_key:
            return {}
        timestamp, nonce = "1764806400", uuid.uuid4().hex
        digest = signature(timestamp=timestamp, nonce=nonce, encrypt_key=self.settings.encrypt_key, body=body)
        return {TIMESTAMP: timestamp, NONCE: nonce, SIGNATURE: digest}

    def seal(self, payload: dict[str, Any]) -> bytes:
        text = json.dumps(payload, ensure_ascii=False)
        if self.settings.encrypt_key:
            text = json.dumps({"encrypt": encrypt(text, encrypt_key=self.settings.encrypt_key, iv=os.urandom(16))})
        return text.encode()

    async def post(self, body: bytes, *, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        self.last = body
        headers = {"Content-Type": "application/json", **self.sign(body), **(headers or {})}
        async with self.http.post(self.url, data=body, headers=headers) as response:
            text = await response.text()
            result = (response.status, json.loads(text) if text.startswith("{") else text)
        self.responses.append(result)
        return result

    async def send(self, payload: dict[str, Any]) -> Any:
        status, answer = await self.post(self.seal(payload))
        assert status == 200, answer
        return answer

    async def say(self, who: str, text: str, **options: Any) -> dict[str, Any]:
        event = message_event(who, text, **options)
        await self.send(event)
        return event

    async def again(self) -> None:
        """The last request delivered again, as Feishu retries one it got no answer to in time."""
        status, answer = await self.post(self.last)
        assert status == 200, answer

    async def deliver(self) -> list[Outcome]:
        await self.events.settle()
        return await feishu_worker(self.app, self.sender, batch_size=100, jitter=lambda: 0.0).run_once()

    def got(self, who: str) -> list[Sent]:
        return [s for s in self.fake.sent if s.receive_id == open_id(who)]

    def seen(self, who: str) -> list[str]:
        return [s.text for s in self.got(who)]

    async def press(self, who: str, label: str) -> Any:
        """`who` presses the button labelled `label` on the newest card they got with one."""
        for sent in reversed(self.got(who)):
            for button in buttons_of(sent):
                if button["text"]["content"] == label:
                    value = button["behaviors"][0]["value"]
                    return await self.send(card_action(who, value, chat_id=dm_chat(who), message_id=sent.message_id))
        raise AssertionError(f"{who} got no button labelled {label!r}")


async def link_feishu_ids(app, org) -> None:
    """Give every seeded person an open_id, as the org import's feishu_user_id column does."""
    async with app.db.transaction() as session:
        for person in await people.all_in_org(session, org_id=org.id):
            await people.add_identity(
                session, org_id=org.id, person_id=person.id, platform="feishu", user_id=open_id(person.handle)
            )


@pytest.fixture
async def fake():
    server = FakeFeishu()
    await server.start()
    for handle, name, *_ in PEOPLE:
        server.add_user(open_id(handle), name=name, email=f"{handle}@example.com")
    yield server
    await server.stop()


async def _harness(app, fake: FakeFeishu, *, encrypt_key: str = ""):
    settings = FeishuSettings(
        app_id=fake.app_id, app_secret=fake.app_secret, verification_token=TOKEN,
        encrypt_key=encrypt_key, domain=fake.url, org="acme",
    )
    api = FeishuApi(settings)
    events = FeishuEvents(app=app, settings=settings, api=api)
    application = web.Application()
    application.router.add_post("/feishu/events", FeishuEndpoint(events=events, settings=settings).handle)
    runner = web.AppRunner(application)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    harness = FeishuHarness(
        app=app, fake=fake, settings=settings, events=events, sender=FeishuSender(app=app, api=api),
        url=f"http://{host}:{port}/feishu/events",
    )
    return harness, runner


async def _served(app, org, fake, *, encrypt_key: str):
    await link_feishu_ids(app, org)
    harness, runner = await _harness(app, fake, encrypt_key=encrypt_key)
    async with aiohttp.ClientSession() as http:
        harness.http = http
        yield harness
    await harness.events.settle()
    await runner.cleanup()


@pytest.fixture(params=["plain", "encrypted"])
async def feishu(request, app, org, fake):
    """Rapport's Feishu endpoint, people linked by open_id; bodies plain, or encrypted and signed."""
    async for harness in _served(app, org, fake, encrypt_key=ENCRYPT_KEY if request.param == "encrypted" else ""):
        yield harness


@pytest.fixture
async def plain_feishu(app, org, fake):
    """The same, with plain bodies only: for what does not depend on how an event came."""
    async for harness in _served(app, org, fake, encrypt_key=""):
        yield harness
