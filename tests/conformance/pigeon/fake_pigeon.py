"""A fake Pigeon server on 127.0.0.1 (port 0): Pigeon is the tests' own chat platform (see
`tests/conformance/pigeon/platform.py`). Like a real platform's API it records every message sent,
answers 429 with Retry-After when told to, refuses a message that names no user, and serves profiles.

API: `POST /messages.send` {"workspace", "to", "text", "buttons": [{"label", "action", "value"}]} →
{"ok": true, "id"}; `GET /users/{workspace}/{user}` → the user's profile, 404 when unknown.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class FakePigeon:
    sent: list[dict[str, Any]] = field(default_factory=list)  # accepted messages, in order
    refused: list[int] = field(default_factory=list)  # statuses of refused calls
    profiles: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    url: str = ""
    _limited: list[float] = field(default_factory=list)  # Retry-After of the next 429s
    _runner: web.AppRunner | None = None

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)

    async def start(self) -> FakePigeon:
        application = web.Application()
        application.router.add_post("/messages.send", self._send)
        application.router.add_get("/users/{workspace}/{user}", self._user)
        self._runner = web.AppRunner(application)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def stop(self) -> None:
        await self._runner.cleanup()

    def rate_limit(self, *, times: int, retry_after: float) -> None:
        """The next `times` sends answer 429 with `Retry-After: retry_after`."""
        self._limited.extend([retry_after] * times)

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self._limited:
            self.refused.append(429)
            return web.json_response(
                {"ok": False, "error": "rate_limited"},
                status=429,
                headers={"Retry-After": str(self._limited.pop(0))},
            )
        if not body.get("to") or not isinstance(body.get("text"), str):
            self.refused.append(400)
            return web.json_response({"ok": False, "error": "no_recipient"}, status=400)
        self.sent.append(body)
        return web.json_response({"ok": True, "id": f"m{next(self._ids)}"})

    async def _user(self, request: web.Request) -> web.Response:
        profile = self.profiles.get((request.match_info["workspace"], request.match_info["user"]))
        if profile is None:
            return web.json_response({"ok": False, "error": "user_not_found"}, status=404)
        return web.json_response({"ok": True, "user": profile})
