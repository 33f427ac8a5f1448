"""DingTalk through the fake Stream gateway (robot messages pushed over the websocket the real
dingtalk-stream client holds) and the fake Open API (sessionWebhook replies, batchSend DMs)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import unquote

from adapters.dingtalk.entry import ENTRY
from adapters.dingtalk.inbound import ROBOT_TOPIC
from adapters.dingtalk.render import SEND_MESSAGE
from bot.platform import Profile
from tests.conformance.driver import HANDLES, Served, link_people, newest_with, with_mentions
from tests.dingtalk.fake import CLIENT_ID, CLIENT_SECRET, CORP, FakeDingTalk, Sent

_FONT = re.compile(r"</?font[^>]*>")


def _plain(markdown: str) -> str:
    """A message as the person reads it: no Markdown marks, DingTalk's hard line breaks as breaks."""
    return _FONT.sub("", markdown).replace("**", "").replace("  \n", "\n")


def _buttons(sent: Sent) -> list[tuple[str, str]]:
    """Each button's label and what pressing it makes the client send."""
    return [(label, unquote(url.removeprefix(SEND_MESSAGE))) for label, url in sent.buttons]


class DingTalkDriver(Served):
    name = "dingtalk"
    has_profiles = True
    workspace = CORP

    def __init__(self, app, org) -> None:
        self.app, self.org = app, org
        self.last: dict | None = None

    async def start(self) -> None:
        self.fake = FakeDingTalk(users={h: {"name": name, "email": f"{h}@example.com"} for h, name in HANDLES.items()})
        await self.fake.start()
        environ = {
            "DINGTALK_CLIENT_ID": CLIENT_ID,
            "DINGTALK_CLIENT_SECRET": CLIENT_SECRET,
            "DINGTALK_API_URL": self.fake.url,
            "RAPPORT_ORG": self.org.slug,
        }
        assert ENTRY.enabled(environ)
        self.dingtalk = ENTRY.build(self.app, environ)
        self.dingtalk.deliver = False
        await link_people(self.app, self.org, platform="dingtalk", user_id=self.user_id)  # dingtalk_user_id
        await self.serve(self.app, self.dingtalk, "/")
        await self.fake.connected()

    def user_id(self, who: str) -> str:
        return who

    async def say(self, who: str, text: str) -> None:
        text, mentioned = with_mentions(text, lambda handle: "@" + HANDLES[handle])
        await self._push(self.fake.robot_message(who, text, at=tuple(dict.fromkeys(mentioned))))

    async def again(self) -> None:
        await self._push(self.last)  # DingTalk pushes it again: the same message id

    async def press(self, who: str, label: str) -> None:
        """What the DingTalk client does on a button without a card: send its message."""
        content = newest_with(self._messages(who), _buttons, label)
        await self._push(self.fake.robot_message(who, content))

    async def _push(self, data: dict) -> None:
        self.last = data
        ack = await self.fake.push(ROBOT_TOPIC, data)
        assert ack is not None and ack["code"] == 200, ack

    def _messages(self, who: str) -> list[Sent]:
        mine = {m["sessionWebhook"].rsplit("=", 1)[1] for m in self._pushed() if m["senderStaffId"] == who}
        return [s for s in self.fake.sent if (s.api == "batch" and s.to == who) or (s.api == "webhook" and s.to in mine)]

    def _pushed(self) -> list[dict]:
        import json

        return [json.loads(frame["data"]) for frame in self.fake.pushed if frame["headers"]["topic"] == ROBOT_TOPIC]

    async def deliver(self) -> None:
        """The worker until nothing is due; a message DingTalk throttled waits its second first."""
        for _ in range(50):
            outcomes = await self.dingtalk.worker.run_once()
            if not outcomes:
                return
            if any(o.status == "retry" for o in outcomes):
                self.app.clock.advance(timedelta(seconds=2))

    def seen(self, who: str) -> list[str]:
        return [_plain(sent.text) for sent in self._messages(who)]

    def rate_limit(self, *, times: int, retry_after: float) -> None:
        """DingTalk's rate limit is a 403 QpsLimit without Retry-After, on what the worker sends."""
        self.fake.qps_limit(times)

    def give_profile(self, who: str, profile: Profile) -> None:
        self.fake.users[who] = {"name": profile.name, "email": profile.email}

    async def fetch_profile(self, who: str) -> Profile | None:
        return await self.dingtalk.fetch_profile(workspace=CORP, user_id=who)
