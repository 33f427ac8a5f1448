"""Pigeon, the tests-only platform, through signed webhooks and its fake server."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from typing import Any

from bot.platform import Profile
from tests.conformance.driver import HANDLES, LOCALES, Served, link_people, newest_with, with_mentions
from tests.conformance.pigeon.fake_pigeon import FakePigeon
from tests.conformance.pigeon.platform import ENTRY

SECRET = "pigeon-secret"
WORKSPACE = "w-acme"


def _buttons(message: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(b["label"], b) for b in message.get("buttons") or []]


class PigeonDriver(Served):
    name = "pigeon"
    has_profiles = True
    workspace = WORKSPACE

    def __init__(self, app, org) -> None:
        self.app, self.org = app, org
        self.timeline: dict[str, list[dict[str, Any]]] = {}
        self.taken = 0
        self.last: bytes | None = None

    async def start(self) -> None:
        self.fake = await FakePigeon().start()
        environ = {"PIGEON_SECRET": SECRET, "PIGEON_API_URL": self.fake.url, "RAPPORT_ORG": self.org.slug}
        assert ENTRY.enabled(environ)
        self.pigeon = ENTRY.build(self.app, environ)
        self.pigeon.deliver = False
        await link_people(self.app, self.org, platform="pigeon", user_id=self.user_id)  # by pigeon_user_id
        await self.serve(self.app, self.pigeon, "/pigeon/events")

    def user_id(self, who: str) -> str:
        return f"p-{who}"

    def _event(self, who: str, **fields: Any) -> dict[str, Any]:
        return {
            "id": uuid.uuid4().hex,
            "workspace": WORKSPACE,
            "user": self.user_id(who),
            "name": HANDLES.get(who),
            "locale": LOCALES.get(who),
            **fields,
        }

    async def say(self, who: str, text: str) -> None:
        text, mentioned = with_mentions(text, lambda handle: "{@" + self.user_id(handle) + "}")
        mentions = [
            {"text": "{@" + self.user_id(h) + "}", "user": self.user_id(h), "name": HANDLES[h]}
            for h in dict.fromkeys(mentioned)
        ]
        await self._post(
            who, json.dumps(self._event(who, type="message", text=text, mentions=mentions)).encode()
        )

    async def again(self) -> None:
        await self._post(json.loads(self.last)["user"].removeprefix("p-"), self.last)

    async def press(self, who: str, label: str) -> None:
        button = newest_with(self.timeline.get(who, []), _buttons, label)
        event = self._event(who, type="press", action=button["action"], value=button["value"])
        await self._post(who, json.dumps(event).encode())

    async def _post(self, who: str, body: bytes) -> None:
        self.last = body
        signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json", "X-Pigeon-Signature": signature}
        async with self.http.post(self.url, data=body, headers=headers) as response:
            assert response.status == 200, await response.text()
            self.timeline.setdefault(who, []).extend((await response.json())["messages"])

    async def deliver(self) -> None:
        for _ in range(50):
            if not await self.pigeon.worker.run_once():
                break
        for message in self.fake.sent[self.taken :]:
            self.timeline.setdefault(message["to"].removeprefix("p-"), []).append(message)
        self.taken = len(self.fake.sent)

    def seen(self, who: str) -> list[str]:
        return [m["text"] for m in self.timeline.get(who, [])]

    def rate_limit(self, *, times: int, retry_after: float) -> None:
        self.fake.rate_limit(times=times, retry_after=retry_after)

    def give_profile(self, who: str, profile: Profile) -> None:
        self.fake.profiles[(WORKSPACE, self.user_id(who))] = profile.as_dict()

    async def fetch_profile(self, who: str) -> Profile | None:
        return await self.pigeon.fetch_profile(workspace=WORKSPACE, user_id=self.user_id(who))
