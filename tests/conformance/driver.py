"""What the conformance kit asks of a platform's test driver, and what drivers share.

A driver speaks for people through the platform's own wire format and fake server (signed requests,
activities, webhooks), and reads what each person received the way the platform would show it.
People are the seeded handles of `tests.support.PEOPLE`, plus newcomers Rapport has never met.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

import aiohttp
from aiohttp import web

from adapters.server import build_server
from bot.platform import Profile
from store import people
from tests.support import PEOPLE

HANDLES = {handle: name for handle, name, *_ in PEOPLE}
LOCALES = {handle: locale for handle, *_, locale in PEOPLE}
_MENTION = re.compile(r"(?<![\w@])@([a-z]+)\b")


class Driver(Protocol):
    name: str
    has_profiles: bool  # whether the platform can tell Rapport about a user (the console cannot)
    workspace: str  # the platform's key of the organisation's workspace

    async def start(self) -> None:
        """Start the fake server and Rapport's side of the platform; link the seeded people."""

    async def stop(self) -> None: ...

    def user_id(self, who: str) -> str:
        """The platform's user id of `who`."""

    async def say(self, who: str, text: str) -> None:
        """`who` types `text` to Rapport (a command when it starts with "/"); "@handle" of a known
        person is written as the platform writes a mention."""

    async def again(self) -> None:
        """The last request delivered again, as the platform retries or replays one."""

    async def press(self, who: str, label: str) -> None:
        """`who` presses the button whose label contains `label`, in the newest message with one."""

    async def deliver(self) -> None:
        """Run the platform's delivery until nothing is due."""

    def seen(self, who: str) -> list[str]:
        """Everything `who` received (replies and messages), as plain text, oldest first."""

    def rate_limit(self, *, times: int, retry_after: float) -> None:
        """The platform answers the next `times` sends with 429 and Retry-After."""

    def give_profile(self, who: str, profile: Profile) -> None:
        """What the platform's server says about `who`."""

    async def fetch_profile(self, who: str) -> Profile | None:
        """The platform's `fetch_profile` for `who`."""


def with_mentions(text: str, write: Callable[[str], str]) -> tuple[str, list[str]]:
    """`text` with each "@handle" of a known person written by `write`, and the handles mentioned."""
    found: list[str] = []

    def replace(match: re.Match[str]) -> str:
        handle = match.group(1)
        if handle not in HANDLES:
            return match.group(0)
        found.append(handle)
        return write(handle)

    return _MENTION.sub(replace, text), found


def newest_with(messages: list, buttons: Callable[[object], list[tuple[str, object]]], label: str) -> object:
    """The first button whose label contains `label`, newest message first."""
    for message in reversed(messages):
        for text, button in buttons(message):
            if label in text:
                return button
    raise AssertionError(f"no button labelled {label!r} in {len(messages)} message(s)")


async def link_people(app, org, *, platform: str, user_id: Callable[[str], str]) -> None:
    """Give every seeded person their user id on `platform`, as the org import does."""
    async with app.db.transaction() as session:
        for handle in HANDLES:
            person = await people.by_handle(session, org_id=org.id, handle=handle)
            await people.add_identity(
                session, org_id=org.id, person_id=person.id, platform=platform, user_id=user_id(handle)
            )


class Served:
    """A driver whose platform is mounted on Rapport's server, with a fake platform server (`fake`)."""

    runner: web.AppRunner
    http: aiohttp.ClientSession
    url: str

    async def serve(self, app, platform, path: str) -> None:
        """Rapport's server with `platform` mounted, on 127.0.0.1 and a port of its own."""
        self.runner = web.AppRunner(build_server(app, platforms=[platform]), shutdown_timeout=1)
        await self.runner.setup()
        await web.TCPSite(self.runner, host="127.0.0.1", port=0).start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}{path}"
        self.http = aiohttp.ClientSession()

    async def stop(self) -> None:
        await self.http.close()
        await self.runner.cleanup()
        await self.fake.stop()
