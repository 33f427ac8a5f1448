"""The `mixed` benchmark's load: signed Slack requests and HR's dashboard, sent on schedule (open loop)."""

from __future__ import annotations

import asyncio
import time
import uuid

import aiohttp

from benchmarks import mixed_world as world
from tests.slack.support import dm_event, event_callback, signature_headers, slash_command

KUDOS_PER_S, DMS_PER_S, DASHBOARD_EVERY_S = 100, 20, 1.0
KUDOS_TEXT = "<@{}|colleague> shipped the migration on time"  # one recipient: one DM to deliver each


class Load:
    """Open-loop streams of requests; each latency is counted from the moment it was due."""

    def __init__(
        self, http: aiohttp.ClientSession, base: str, *, cookie: str, without: frozenset = frozenset()
    ) -> None:
        self.http, self.base, self.cookie, self.without = http, base, cookie, without
        self.samples: dict[str, list[float]] = {"kudos": [], "dm": [], "dashboard": []}
        self.errors: dict[str, int] = dict.fromkeys(self.samples, 0)
        # Each dashboard request's (sent, answered), wall-clock seconds as the fake's prompt times:
        # the report can tell which pages were computed while the fan-out went out.
        self.dashboard_spans: list[tuple[float, float]] = []

    async def run(self, stop: asyncio.Event) -> None:
        streams = [
            stream
            for stream in (
                ("kudos", KUDOS_PER_S, self._kudos),
                ("dm", DMS_PER_S, self._dm),
                ("dashboard", 1 / DASHBOARD_EVERY_S, self._dashboard),
            )
            if stream[0] not in self.without
        ]
        sent: set[asyncio.Task] = set()
        await asyncio.gather(*(self._stream(kind, rate, send, stop, sent) for kind, rate, send in streams))
        await asyncio.gather(*sent)

    async def _stream(self, kind, rate, send, stop, sent) -> None:
        loop = asyncio.get_running_loop()
        started, n = loop.time(), 0
        while not stop.is_set():
            due = started + n / rate
            await asyncio.sleep(max(0.0, due - loop.time()))
            task = asyncio.create_task(self._timed(kind, send, due))
            sent.add(task)
            task.add_done_callback(sent.discard)
            n += 1

    async def _timed(self, kind: str, send, due: float) -> None:
        sent = time.time()
        try:
            ok = await send()
        except aiohttp.ClientError:
            ok = False
        self.samples[kind].append((asyncio.get_running_loop().time() - due) * 1000)
        self.errors[kind] += not ok
        if kind == "dashboard":
            self.dashboard_spans.append((sent, time.time()))

    async def _post(self, body: str, content_type: str) -> tuple[int, str]:
        headers = {"Content-Type": content_type, **signature_headers(body)}
        async with self.http.post(f"{self.base}/slack/events", data=body.encode(), headers=headers) as answer:
            return answer.status, await answer.text()

    async def _kudos(self) -> bool:
        # From each of the load's people in turn to the next: one person's hundred kudos a second
        # would all wait for the one row of their day's count (a row lock on PostgreSQL).
        n = len(self.samples["kudos"])
        giver, recipient = (world.slack_id(1 + (n + k) % world.LOAD_PEOPLE) for k in (0, 1))
        body = slash_command(user=giver, text=KUDOS_TEXT.format(recipient), channel="D0LOAD")
        status, text = await self._post(body, "application/x-www-form-urlencoded")
        return status == 200 and "Kudos sent" in text

    async def _dm(self) -> bool:
        user = world.slack_id(1 + len(self.samples["dm"]) % world.LOAD_PEOPLE)
        body = event_callback(dm_event(user=user, text="help"), event_id=f"Ev{uuid.uuid4().hex}")
        status, _ = await self._post(body, "application/json")
        return status == 200

    async def _dashboard(self) -> bool:
        async with self.http.get(
            f"{self.base}/admin", headers={"Cookie": f"rapport_session={self.cookie}"}
        ) as answer:
            return answer.status == 200 and "table-checkins" in await answer.text()
