"""Slack through signed requests to `/slack/events` and the fake Slack Web API."""

from __future__ import annotations

import html
import itertools
import json
import re
import uuid
from dataclasses import replace
from typing import Any

from adapters.slack.platform import build_slack
from bot.platform import Profile
from tests.conformance.driver import Served, link_people, newest_with, with_mentions
from tests.slack.conftest import BOT_TOKEN, WORKER_OPTIONS, make_clients
from tests.slack.fake_slack import TEAM_ID, FakeSlack
from tests.slack.support import (
    SIGNING_SECRET,
    block_action,
    dm_event,
    event_callback,
    signature_headers,
    slash_command,
)

_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")


def plain(blocks: list[dict[str, Any]] | None, text: str | None) -> str:
    """What a person reads of a message: its blocks' text and button labels, without mrkdwn."""
    lines: list[str] = []
    for block in blocks or []:
        if block.get("text"):
            lines.append(block["text"]["text"])
        lines += [f["text"] for f in block.get("fields") or []]
        for element in block.get("elements") or []:
            lines.append(
                element["text"]["text"] if element.get("type") == "button" else element.get("text", "")
            )
    return html.unescape(_BOLD.sub(r"\1", "\n".join(lines) if lines else text or ""))


def _buttons(message: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (element["text"]["text"], {**element, "ts": message.get("ts") or "1764000000.000001"})
        for block in message.get("blocks") or []
        for element in block.get("elements") or []
        if element.get("type") == "button"
    ]


class SlackDriver(Served):
    name = "slack"
    has_profiles = True
    workspace = TEAM_ID

    def __init__(self, app, org) -> None:
        self.app, self.org = app, org
        self.timeline: dict[str, list[dict[str, Any]]] = {}  # acks and delivered messages, in order
        self.taken: dict[str, int] = {}  # messages of each DM channel already in the timeline
        self.last: tuple[bytes, dict[str, str]] | None = None
        self.ids = itertools.count(1)

    async def start(self) -> None:
        self.fake = await FakeSlack().start()
        environ = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": self.fake.url,
        }
        self.app.settings = replace(self.app.settings, environ=environ)
        await link_people(self.app, self.org, platform="slack", user_id=self.user_id)
        self.slack = build_slack(self.app, clients=make_clients(self.fake), worker_options=WORKER_OPTIONS)
        self.slack.deliver = False
        await self.serve(self.app, self.slack, "/slack/events")

    def user_id(self, who: str) -> str:
        return f"U0{who.upper()}"

    async def say(self, who: str, text: str) -> None:
        text, _ = with_mentions(text, lambda handle: f"<@{self.user_id(handle)}|{handle}>")
        user = self.user_id(who)
        if text.startswith("/"):
            command, _, rest = text.partition(" ")
            body = slash_command(user=user, text=rest, command=command, channel="D0" + who.upper())
            await self._post(who, body.encode(), "application/x-www-form-urlencoded")
        else:
            event = dm_event(user=user, text=text)
            body = event_callback(event, event_id=f"Ev{uuid.uuid4().hex[:10].upper()}")
            await self._post(who, body.encode(), "application/json")

    async def again(self) -> None:
        """The same request, signature and all: a replay (or Slack's retry of an event)."""
        body, headers = self.last
        async with self.http.post(self.url, data=body, headers=headers) as response:
            assert response.status == 200, await response.text()

    async def press(self, who: str, label: str) -> None:
        button = newest_with(self._messages(who), _buttons, label)
        body = block_action(
            user=self.user_id(who),
            action_id=button["action_id"],
            value=button["value"],
            message_ts=button["ts"],
            action_ts=f"1764000000.{next(self.ids):06d}",
        )
        await self._post(who, body.encode(), "application/x-www-form-urlencoded")

    async def _post(self, who: str, body: bytes, content_type: str) -> None:
        headers = {"Content-Type": content_type, **signature_headers(body)}
        self.last = (body, headers)
        async with self.http.post(self.url, data=body, headers=headers) as response:
            assert response.status == 200, await response.text()
            answer = await response.text()
        if answer.startswith("{") and "blocks" in (shown := json.loads(answer)):
            self.timeline.setdefault(who, []).append(shown)

    def _messages(self, who: str) -> list[dict[str, Any]]:
        return self.timeline.get(who, [])

    async def deliver(self) -> None:
        for _ in range(50):
            if not await self.slack.worker.run_once():
                break
        for channel, messages in self.fake.messages.items():
            who = (
                channel.removeprefix("D0").removeprefix("U0").lower()
            )  # D0ALICE, or where she spoke: D0U0ALICE
            self.timeline.setdefault(who, []).extend(messages[self.taken.get(channel, 0) :])
            self.taken[channel] = len(messages)

    def seen(self, who: str) -> list[str]:
        return [plain(m.get("blocks"), m.get("text")) for m in self._messages(who)]

    def rate_limit(self, *, times: int, retry_after: float) -> None:
        self.fake.fail("chat.postMessage", 429, times=times, retry_after=int(retry_after))

    def give_profile(self, who: str, profile: Profile) -> None:
        extra = {"email": profile.email, "tz": profile.timezone, "locale": profile.locale}
        self.fake.add_user(
            TEAM_ID, self.user_id(who), name=profile.name, **{k: v for k, v in extra.items() if v}
        )

    async def fetch_profile(self, who: str) -> Profile | None:
        return await self.slack.fetch_profile(workspace=TEAM_ID, user_id=self.user_id(who))
