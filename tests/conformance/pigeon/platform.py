"""Pigeon: a chat platform that exists only in the tests, to prove the platform contract.

It is written as a new platform's package would be, using only what `bot.platform` and the shared
adapters offer (the host, the delivery worker, `bot.identity`, `store.reach`), and passes the
conformance kit without any file outside `tests/` knowing it exists.

Pigeon's webhook: `POST /pigeon/events`, signed with `X-Pigeon-Signature` (hex HMAC-SHA256 of the body
with the shared secret). The body is one event: {"id", "workspace", "user", "name", "locale", "type":
"message" | "press", "text", "mentions": [{"text": "{@p-bob}", "user": "p-bob", "name": "Bob"}],
"action", "value"}. Pigeon shows the reply the response carries: {"messages": [...]}.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from adapters.console.render import render as plain_text
from adapters.delivery import DeliveryWorker
from bot.core import UnknownWorkspace
from bot.events import Action, Actor, Channel, Command, Event, Mention, Message
from bot.identity import onboard
from bot.platform import Environ, Host, PlatformEntry, Profile, Runtime, SendError, WorkspaceSeen
from bot.replies import Buttons, Choices, FormQuestion, Reply
from store import reach
from store.outbox import Claimed

NAME = "pigeon"


@dataclass(frozen=True, kw_only=True)
class PigeonSettings:
    secret: str
    api_url: str
    org: str

    @classmethod
    def from_env(cls, environ: Environ) -> PigeonSettings:
        return cls(
            secret=environ.get("PIGEON_SECRET", ""),
            api_url=environ.get("PIGEON_API_URL", ""),
            org=environ.get("RAPPORT_ORG") or "demo",
        )


def to_event(payload: Mapping[str, Any]) -> Event | None:
    """One Pigeon event as a core event; None for a kind Rapport does not act on."""
    actor = Actor(
        platform=NAME,
        org=payload["workspace"],
        user_id=payload["user"],
        name=payload.get("name"),
        locale=payload.get("locale"),
    )
    common = {"actor": actor, "channel": Channel(id=f"dm:{payload['user']}"), "event_id": payload.get("id")}
    if payload.get("type") == "press":
        return Action(action_id=payload["action"], value=payload.get("value", ""), **common)
    if payload.get("type") != "message":
        return None
    text = (payload.get("text") or "").strip()
    mentions = tuple(
        Mention(text=m["text"], user_id=m.get("user"), label=f"@{m['name']}" if m.get("name") else None)
        for m in payload.get("mentions") or ()
    )
    if text.startswith("/") and len(text) > 1:
        name, _, rest = text[1:].partition(" ")
        return Command(name=name.lower(), text=rest.strip(), mentions=mentions, **common)
    return Message(text=text, mentions=mentions, **common)


def render(reply: Reply) -> list[dict[str, Any]]:
    """One Pigeon message: the text, and a button for each option or button of the reply."""
    buttons: list[dict[str, str]] = []
    for part in reply.parts:
        if isinstance(part, Buttons):
            buttons += [{"label": b.label, "action": b.action_id, "value": b.value} for b in part.buttons]
        elif isinstance(part, Choices):
            buttons += [{"label": o.label, "action": part.action_id, "value": o.value} for o in part.options]
        elif isinstance(part, FormQuestion):
            buttons += [
                {"label": o.label, "action": part.action_id, "value": part.answer_value(o)}
                for o in part.options
            ]
    return [{"text": plain_text(reply), "buttons": buttons}]


class Pigeon:
    """The `bot.platform.Platform` of Pigeon."""

    name = NAME

    def __init__(
        self, *, app: Runtime, settings: PigeonSettings, deliver: bool = True, **worker_options: Any
    ) -> None:
        self.app = app
        self.settings = settings
        self.deliver = deliver  # tests that drive delivery themselves turn the background off
        self.http: aiohttp.ClientSession | None = None
        self.worker = DeliveryWorker(db=app.db, clock=app.clock, platform=NAME, sender=self, **worker_options)

    def mount(self, host: Host) -> None:
        host.route("POST", "/pigeon/events", self.handle)
        if self.deliver:
            host.background("pigeon-delivery", self.worker.run)
        host.on_stop(self.close)

    async def handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        expected = hmac.new(self.settings.secret.encode(), raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("X-Pigeon-Signature", "")):
            return web.json_response({"error": "bad signature"}, status=401)
        try:
            event = self.to_event(json.loads(raw))
        except (ValueError, KeyError, TypeError, AttributeError):
            return web.json_response({"error": "not a Pigeon event"}, status=400)
        if event is None:
            return web.json_response({"messages": []})
        seen = WorkspaceSeen(platform=NAME, external_id=event.actor.org, org_slug=self.settings.org)
        if await onboard(self.app.db, seen=seen, clock=self.app.clock) is None:
            return web.json_response({"messages": [{"text": "Rapport is not set up here.", "buttons": []}]})
        try:
            reply = await self.app.core.handle(event)
        except UnknownWorkspace:
            return web.json_response({"messages": []})
        return web.json_response({"messages": self.render(reply) if reply else []})

    def to_event(self, payload: Mapping[str, Any]) -> Event | None:
        return to_event(payload)

    def render(self, reply: Reply) -> Sequence[dict[str, Any]]:
        return render(reply)

    async def send(self, message: Claimed) -> None:
        async with self.app.db.read() as session:
            target = await reach.delivery_target(
                session, org_id=message.org_id, person_id=message.recipient_id, platform=NAME
            )
        to = target.user_id if message.kind == "dm" else message.channel_id
        if not to or not target.workspace:
            raise SendError("the recipient has no Pigeon account", permanent=True)
        for body in self.render(Reply.from_dict(message.payload)):
            await self._post({**body, "workspace": target.workspace, "to": to})

    async def _post(self, body: dict[str, Any]) -> None:
        try:
            async with self._session().post(f"{self.settings.api_url}/messages.send", json=body) as response:
                if response.status == 429:
                    raise SendError(
                        "rate limited", retry_after=float(response.headers.get("Retry-After", "1"))
                    )
                if response.status >= 500:
                    raise SendError(f"Pigeon answered {response.status}")
                if response.status >= 400:
                    raise SendError(f"Pigeon refused the message ({response.status})", permanent=True)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise SendError(f"Pigeon could not be reached: {error!r}") from error

    async def fetch_profile(self, *, workspace: str, user_id: str) -> Profile | None:
        async with self._session().get(f"{self.settings.api_url}/users/{workspace}/{user_id}") as response:
            if response.status != 200:
                return None
            user = (await response.json())["user"]
        return Profile(**{k: user.get(k) for k in ("name", "email", "timezone", "locale")})

    def _session(self) -> aiohttp.ClientSession:
        if self.http is None:
            self.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5))
        return self.http

    async def close(self) -> None:
        if self.http is not None:
            await self.http.close()


def _build(runtime: Runtime, environ: Environ) -> Pigeon:
    return Pigeon(app=runtime, settings=PigeonSettings.from_env(environ))


# Pigeon's row of the platform table, as a real platform's `entry.py` declares it.
ENTRY = PlatformEntry(
    name=NAME,
    user_id_column="pigeon_user_id",
    enabled=lambda environ: bool(environ.get("PIGEON_SECRET") and environ.get("PIGEON_API_URL")),
    notices=lambda environ, host: [],
    build=_build,
)
