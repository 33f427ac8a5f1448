"""Teams through activities posted to `/api/messages` (local mode) and the fake Bot Framework connector."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from adapters.teams.platform import build_teams
from adapters.teams.settings import TeamsSettings
from bot.platform import Profile
from tests.conformance.driver import HANDLES, LOCALES, Served, newest_with, with_mentions
from tests.teams.conftest import TENANT, activity, card_text, link_teams_ids, user_id
from tests.teams.fake_connector import Call, FakeConnector

_BOLD = re.compile(r"\*\*([^*\n]+)\*\*")


def _buttons(call: Call) -> list[tuple[str, dict[str, Any]]]:
    """Every Action.Submit of the card(s) a call carried: its title and data."""
    found: list[tuple[str, dict[str, Any]]] = []

    def collect(element: dict[str, Any]) -> dict[str, Any]:
        if element.get("type") == "Action.Submit":
            found.append((element.get("title", ""), element.get("data") or {}))
        return element

    json.loads(json.dumps(call.body.get("attachments", [])), object_hook=collect)
    return found


class TeamsDriver(Served):
    name = "teams"
    has_profiles = True
    workspace = TENANT

    def __init__(self, app, org) -> None:
        self.app, self.org = app, org
        self.last: dict[str, Any] | None = None

    async def start(self) -> None:
        self.connector = FakeConnector()
        await self.connector.start()
        self.fake = self.connector
        await link_teams_ids(self.app, self.org)
        settings = TeamsSettings(org=self.org.slug, service_url=self.connector.url + "/", allow_local=True)
        self.teams = build_teams(
            self.app, settings=settings, batch_size=100, jitter=lambda: 0.0, interval=0.01
        )
        self.teams.deliver = False
        await self.serve(self.app, self.teams, "/api/messages")

    def user_id(self, who: str) -> str:
        return user_id(who)

    def _activity(self, who: str, **fields: Any) -> dict[str, Any]:
        locale = {"zh-Hans": "zh-CN"}.get(LOCALES.get(who, "en"), "en-US")
        return activity(who, service_url=self.connector.url, locale=locale, **fields)

    async def say(self, who: str, text: str) -> None:
        text, mentioned = with_mentions(text, lambda handle: f"<at>{html.escape(HANDLES[handle])}</at>")
        entities = [
            {
                "type": "mention",
                "text": f"<at>{html.escape(HANDLES[h])}</at>",
                "mentioned": {"id": user_id(h), "name": HANDLES[h]},
            }
            for h in dict.fromkeys(mentioned)
        ]
        await self._post(self._activity(who, text=text, entities=entities))

    async def again(self) -> None:
        await self._post(self.last)

    async def press(self, who: str, label: str) -> None:
        data = newest_with(self._messages(who), _buttons, label)
        await self._post(self._activity(who, text="", value=data))

    async def _post(self, sent: dict[str, Any]) -> None:
        self.last = sent
        async with self.http.post(self.url, json=sent) as response:
            assert response.status in (200, 201), await response.text()

    def _messages(self, who: str) -> list[Call]:
        mine = {f"a:dm-{who}", self.connector.conversation_with(user_id(who))}
        return [c for c in self.connector.messages() if c.conversation_id in mine]

    async def deliver(self) -> None:
        for _ in range(50):
            if not await self.teams.worker.run_once():
                return

    def seen(self, who: str) -> list[str]:
        return [html.unescape(_BOLD.sub(r"\1", card_text(call))) for call in self._messages(who)]

    def rate_limit(self, *, times: int, retry_after: float) -> None:
        """The storm hits what the delivery worker sends (into conversations Rapport created); the
        answer to a turn is sent inside the turn, which a 429 fails (Teams then redelivers it)."""
        headers = {"Retry-After": str(int(retry_after))}
        self.connector.fail(
            429, times=times, headers=headers, path=r"/conversations/a:conversation-[^/]+/activities"
        )

    def give_profile(self, who: str, profile: Profile) -> None:
        self.connector.members[user_id(who)] = {"name": profile.name, "email": profile.email}

    async def fetch_profile(self, who: str) -> Profile | None:
        return await self.teams.fetch_profile(workspace=TENANT, user_id=user_id(who))
