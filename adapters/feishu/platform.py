"""Feishu (Lark) as a platform of the contract (`bot.platform.Platform`).

Mounted on `rapport serve`: Feishu's request URL `POST /feishu/events`, or with
FEISHU_LONG_CONNECTION=1 lark-oapi's long connection instead (no public URL needed); the bot's open_id
is learnt at start; the Feishu delivery worker runs in the background.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from adapters.app import App
from adapters.feishu.api import FeishuApi
from adapters.feishu.endpoint import FeishuEndpoint
from adapters.feishu.events import FeishuEvents
from adapters.feishu.inbound import PLATFORM, to_event
from adapters.feishu.render import cards
from adapters.feishu.sender import FeishuSender, feishu_worker
from adapters.feishu.settings import FeishuSettings
from bot.events import Event
from bot.platform import Host, Profile
from bot.replies import Reply
from store.outbox import Claimed


class FeishuPlatform:
    name = PLATFORM

    def __init__(
        self, app: App, settings: FeishuSettings, *, deliver: bool = True, **worker_options: Any
    ) -> None:
        self.app = app
        self.settings = settings
        self.deliver = deliver  # a benchmark of the request path turns the delivery worker off
        self.api = FeishuApi(settings)
        self.events = FeishuEvents(app=app, settings=settings, api=self.api)
        self.sender = FeishuSender(app=app, api=self.api)
        self.worker = feishu_worker(app, self.sender, **worker_options)

    def mount(self, host: Host) -> None:
        host.on_start(self.events.learn_identity)
        if self.deliver:
            host.background("feishu-delivery", self.worker.run)
        if self.settings.long_connection:
            from adapters.feishu.longconn import LongConnection  # lark-oapi's WebSocket client

            host.background(
                "feishu-long-connection", LongConnection(settings=self.settings, events=self.events).run
            )
        else:
            host.route(
                "POST", "/feishu/events", FeishuEndpoint(events=self.events, settings=self.settings).handle
            )
        host.on_stop(self.events.settle)
        host.on_stop(self.api.close)

    def to_event(self, payload: Mapping[str, Any]) -> Event | None:
        return to_event(payload, bot_open_id=self.events.bot_open_id, commands=self.app.core.router.commands)

    def render(self, reply: Reply) -> Sequence[dict[str, Any]]:
        return cards(reply)

    async def send(self, message: Claimed) -> None:
        await self.sender.send(message)

    async def fetch_profile(self, *, workspace: str, user_id: str) -> Profile | None:
        return await self.events.fetch_profile(user_id)
