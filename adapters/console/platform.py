"""The console as a platform of the platform table: typed lines in, plain text out, nothing served.

`rapport shell` and the tests' `Chat` drive it through `ConsoleChat`; this is the same console seen
through the platform contract, so that the conformance kit runs against it like any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from adapters.console.chat import Delivery, delivery, to_event
from adapters.console.render import render
from bot.events import Event
from bot.i18n import Messages
from bot.platform import Host, Profile, Runtime
from bot.replies import Reply
from store.outbox import Claimed

PLATFORM = "console"


class Console:
    """The `bot.platform.Platform` of the console. What it sends is kept in `delivered`, in order."""

    name = PLATFORM

    def __init__(self, *, app: Runtime, viewer: Messages | None = None) -> None:
        self.app = app
        self.viewer = viewer or app.catalogue.messages("en")
        self.delivered: list[Delivery] = []

    def mount(self, host: Host) -> None:
        """Nothing to serve: the console is the terminal `rapport shell` runs in."""

    def to_event(self, payload: Mapping[str, Any]) -> Event | None:
        """A typed line: `{"org": slug, "email": who, "text": line, "channel": "dm"}`."""
        return to_event(**payload)

    def render(self, reply: Reply) -> Sequence[str]:
        return [render(reply)]

    async def send(self, message: Claimed) -> None:
        async with self.app.db.read() as session:
            self.delivered.append(await delivery(session, message, self.viewer))

    async def fetch_profile(self, *, workspace: str, user_id: str) -> Profile | None:
        """The console knows people only by the org import: it has no profile of its own to give."""
        return None
