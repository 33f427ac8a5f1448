"""Fixtures for the Teams adapter: a fake connector, and Rapport's `/api/messages` over loopback HTTP."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.sending import Outcome
from adapters.teams.connector import build_adapter
from adapters.teams.delivery import teams_worker
from adapters.teams.routes import teams_routes
from adapters.teams.sender import TeamsSender
from adapters.teams.settings import TeamsSettings
from store import people
from store.models import Person
from tests.support import PEOPLE
from tests.teams.fake_connector import Call, FakeConnector

TENANT = "tenant-acme"
BOT_ID = "28:rapport-bot"
NAMES = {handle: name for handle, name, *_ in PEOPLE}


def user_id(handle: str) -> str:
    return f"29:{handle}"


def mention(handle: str, name: str | None = None) -> dict[str, Any]:
    name = name or NAMES[handle]
    return {"type": "mention", "text": f"<at>{name}</at>", "mentioned": {"id": user_id(handle), "name": name}}


def activity(sender: str, *, service_url: str, **fields: Any) -> dict[str, Any]:
    """A Teams activity from `sender` in their personal chat with Rapport; `fields` override."""
    base = {
        "type": "message",
        "id": f"activity-{uuid.uuid4().hex[:10]}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": user_id(sender), "name": NAMES.get(sender, sender), "aadObjectId": f"aad-{sender}"},
        "recipient": {"id": BOT_ID, "name": "Rapport"},
        "conversation": {"id": f"a:dm-{sender}", "conversationType": "personal", "tenantId": TENANT},
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "en-US",
    }
    return {**base, **fields}


def card_text(call: Call) -> str:
    """Every TextBlock and fact of the Adaptive Card a call carried, one per line."""
    lines: list[str] = []

    def walk(element: Any) -> None:
        if isinstance(element, dict):
            if element.get("type") == "TextBlock":
                lines.append(element["text"])
            for fact in element.get("facts", []):
                lines.append(f"{fact['title']}: {fact['value']}")
            for value in element.values():
                walk(value)
        elif isinstance(element, list):
            for item in element:
                walk(item)

    for attachment in call.body.get("attachments", []):
        walk(attachment["content"].get("body"))
    return "\n".join(lines)


@dataclass
class TeamsHarness:
    """Rapport's Teams endpoint on 127.0.0.1, and what a test does with it."""

    app: Any
    connector: FakeConnector
    sender: TeamsSender
    url: str = ""
    http: aiohttp.ClientSession | None = None
    responses: list[tuple[int, str]] = field(default_factory=list)

    def activity(self, sender: str, **fields: Any) -> dict[str, Any]:
        return activity(sender, service_url=self.connector.url, **fields)

    async def post(self, body: Any, *, headers: dict[str, str] | None = None) -> int:
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        headers = {"Content-Type": "application/json", **(headers or {})}
        async with self.http.post(self.url, data=data, headers=headers) as response:
            self.responses.append((response.status, await response.text()))
            return response.status

    async def say(self, sender: str, text: str, **fields: Any) -> dict[str, Any]:
        """`sender` types `text` in their chat with Rapport; returns the activity sent."""
        sent = self.activity(sender, text=text, **fields)
        assert await self.post(sent) == 201, self.responses[-1]
        return sent

    def replies_to(self, sent: dict[str, Any]) -> list[Call]:
        conversation = sent["conversation"]["id"]
        return [c for c in self.connector.messages(conversation) if c.reply_to == sent["id"]]

    def reply_text(self, sent: dict[str, Any]) -> str:
        replies = self.replies_to(sent)
        assert len(replies) == 1, f"expected one reply, got {replies}"
        return card_text(replies[0])

    async def deliver(self) -> list[Outcome]:
        """One batch through the Teams worker; its backoffs without jitter, so a test can name them."""
        return await teams_worker(self.app, self.sender, batch_size=100, jitter=lambda: 0.0).run_once()


async def link_teams_ids(app, org) -> dict[str, Person]:
    """Give every seeded person a Teams id, as the org import does."""
    async with app.db.transaction() as session:
        everyone = await people.all_in_org(session, org_id=org.id)
        for person in everyone:
            await people.add_identity(
                session, org_id=org.id, person_id=person.id, platform="teams", user_id=user_id(person.handle)
            )
    return {p.handle: p for p in everyone}


async def serve(routes: list[web.RouteDef]) -> tuple[web.AppRunner, str]:
    application = web.Application()
    application.add_routes(routes)
    runner = web.AppRunner(application)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}/api/messages"


@pytest.fixture
async def connector():
    fake = FakeConnector()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def teams(app, org, connector):
    """Rapport in local mode (no app id, as with the Emulator), the acme org linked to Teams ids."""
    await link_teams_ids(app, org)
    settings = TeamsSettings(org="acme")
    adapter = build_adapter(settings, clock=app.clock)
    runner, url = await serve(teams_routes(app=app, settings=settings, adapter=adapter))
    harness = TeamsHarness(
        app=app, connector=connector, sender=TeamsSender(app=app, settings=settings, adapter=adapter), url=url
    )
    async with aiohttp.ClientSession() as http:
        harness.http = http
        yield harness
    await runner.cleanup()
    await adapter.connector.close()
